"""API and Open311 clients get their documented error shape for every failure, from whichever layer (issue 11,
item 4): unexpected errors, a briefly unreachable database (503 + Retry-After), CSRF, NUL bytes, wrong methods,
unknown paths. Web pages keep their HTML error pages."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from .helpers import bearer, opinion_at

API_KEYS = {"code", "message", "details"}


def is_api_error(response, status, code=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == API_KEYS and body["message"], body
    assert code is None or body["code"] == code, body
    return body


def is_open311_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"], body


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def test_an_unexpected_error_answers_the_api_shape(world, anonymous):
    with mock.patch("renda.api.public.access.top_regions", side_effect=RuntimeError("a bug")):
        response = anonymous.get("/api/v1/regions")
    body = is_api_error(response, 500, "server_error")
    assert "a bug" not in str(body)  # nothing of the internals leaks


@pytest.mark.parametrize("error", [OperationalError("could not connect to server"), InterfaceError("closed")])
def test_an_unreachable_database_answers_503_with_retry_after(world, anonymous, settings, error):
    opinion = opinion_at(world.mudu_home)
    client, _secret = bearer(world.wuzhong_staff)
    client.raise_request_exception = False
    settings.DB_UNAVAILABLE_RETRY_AFTER = 7
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        answers = [
            anonymous.get("/api/v1/categories"),
            anonymous.post(
                "/api/v1/opinions", {"station": "MUDU01", "category": 1, "text": "路灯坏了"}, "application/json"
            ),
            client.get(f"/api/v1/staff/opinions/{opinion.pk}"),
        ]
        open311 = anonymous.get("/open311/v2/services.json")
    for response in answers:
        is_api_error(response, 503, "unavailable")
        assert response["Retry-After"] == "7"
    is_open311_error(open311, 503)
    assert open311["Retry-After"] == "7"


def test_a_bearer_post_to_an_unknown_path_is_a_json_404_not_a_csrf_page(world):
    _client, secret = bearer(world.wuzhong_staff)
    strict = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    is_api_error(strict.post("/api/v1/staff/opinions/abc/actions/x", {}, "application/json"), 404, "not_found")
    # Open311 answers its own error list for a refused POST as well.
    is_open311_error(Client(enforce_csrf_checks=True).post("/open311/v2/unknown.json", {}), 403)


def test_nul_bytes_wrong_methods_and_unknown_paths(world, anonymous):
    is_api_error(anonymous.get("/api/v1/regions/%00"), 400, "bad_request")
    is_api_error(anonymous.get("/api/v1/stations?q=a%00b"), 400, "bad_request")
    is_open311_error(anonymous.get("/open311/v2/requests/%00.json"), 400)
    wrong = anonymous.put("/api/v1/categories")
    is_api_error(wrong, 405, "method_not_allowed")
    assert "GET" in wrong["Allow"]
    is_api_error(anonymous.get("/api/v1/no/such/thing"), 404, "not_found")
    # The security headers of the original answer are kept.
    assert wrong["X-Content-Type-Options"] == "nosniff"


def test_web_pages_keep_their_html_error_pages(world, anonymous):
    response = anonymous.get("/s/%00/")
    assert response.status_code == 400 and not response["Content-Type"].startswith("application/json")
    response = anonymous.get("/staff/opinions/999999/")
    assert response.status_code in (302, 404) and not response["Content-Type"].startswith("application/json")
