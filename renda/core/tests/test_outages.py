"""A database or Redis briefly out of reach is an outage, not a bug: the API answers 503 with Retry-After in its JSON
error shape, the HTML pages a plain 503 page (core/channel_errors.py). And behind trusted proxies the client's own
address is the one rate limits and audit rows see (core/middleware.py TrustedProxyMiddleware)."""

import ipaddress
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from renda.core.middleware import TrustedProxyMiddleware


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


OUTAGES = [
    OperationalError("server closed the connection unexpectedly"),
    RedisConnectionError("Error 111 connecting to 127.0.0.1:6380. Connection refused."),
    RedisTimeoutError("Timeout reading from socket"),
]


@pytest.mark.parametrize("error", OUTAGES, ids=["postgresql", "redis-refused", "redis-timeout"])
def test_the_api_answers_503_json_with_retry_after(world, anonymous, settings, error):
    settings.DB_UNAVAILABLE_RETRY_AFTER = 4
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        response = anonymous.post(
            "/api/v1/opinions", {"station": "X", "category": 1, "text": "路灯坏了"}, "application/json"
        )
    assert response.status_code == 503 and response["Retry-After"] == "4"
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "unavailable" and body["message"]


@pytest.mark.parametrize("error", OUTAGES, ids=["postgresql", "redis-refused", "redis-timeout"])
def test_html_pages_answer_a_plain_503_page(world, anonymous, settings, error):
    settings.DB_UNAVAILABLE_RETRY_AFTER = 4
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        response = anonymous.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "4"
    assert response["Content-Type"].startswith("text/html")
    assert "服务暂时不可用" in response.content.decode()


def test_a_staff_page_answers_503_when_the_database_goes_away(world, settings):
    staff = Client(raise_request_exception=False)
    staff.force_login(world.city_staff)
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("the database is shut down")):
        response = staff.get("/staff/opinions/")
    assert response.status_code == 503 and "服务暂时不可用" in response.content.decode()


def test_a_bug_is_still_a_500(world, anonymous):
    with mock.patch("renda.public.views.render", side_effect=RuntimeError("a bug")):
        response = anonymous.get("/")
    assert response.status_code == 500 and "Retry-After" not in response


def _seen(remote, forwarded=None, proxies="127.0.0.1/32,10.0.0.0/8"):
    seen = {}

    def view(request):
        seen.update(addr=request.META["REMOTE_ADDR"], proxy=request.META.get("PROXY_ADDR"))
        return HttpResponse()

    from django.test import override_settings

    networks = tuple(ipaddress.ip_network(item) for item in filter(None, proxies.split(",")))
    with override_settings(TRUSTED_PROXIES=networks):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        TrustedProxyMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))
    return seen


def test_a_trusted_proxy_passes_the_clients_address():
    assert _seen("127.0.0.1", "203.0.113.9") == {"addr": "203.0.113.9", "proxy": "127.0.0.1"}
    # Proxies in a chain are skipped; what the client wrote left of its own address proves nothing.
    assert _seen("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.1.2.3")["addr"] == "203.0.113.9"


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies"),
    [
        ("198.51.100.7", "203.0.113.9", "127.0.0.1/32"),  # a client that is no proxy cannot choose its address
        ("127.0.0.1", "203.0.113.9", ""),  # no trusted proxies: REMOTE_ADDR as the server saw it
        ("127.0.0.1", "not-an-address", "127.0.0.1/32"),  # garbage: the proxy's own address stays
        ("127.0.0.1", None, "127.0.0.1/32"),  # the proxy itself (a health probe)
    ],
)
def test_nobody_else_can_choose_the_address(remote, forwarded, proxies):
    assert _seen(remote, forwarded, proxies)["addr"] == remote


def test_a_session_in_an_unreachable_redis_is_an_outage_not_a_logout(world, settings):
    """SESSION_STORE=cache: Django's own store would read the error as "no session" and delete the cookie."""
    settings.SESSION_ENGINE = "renda.core.sessions"
    staff = Client(raise_request_exception=False)
    staff.force_login(world.city_staff)
    cookie = staff.cookies[settings.SESSION_COOKIE_NAME].value
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.get", side_effect=RedisConnectionError("refused")):
        response = staff.get("/staff/opinions/")
    assert response.status_code == 503 and response["Retry-After"]
    assert staff.cookies[settings.SESSION_COOKIE_NAME].value == cookie  # the cookie is kept
    assert staff.get("/staff/opinions/").status_code == 200  # Redis back: still logged in
