"""The OpenAPI document validates, the docs page loads only local assets, and every operation survives a
schemathesis run (no 5xx; every documented response matches its schema)."""

import re
from datetime import date
from datetime import time as time_of_day

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from renda.receptions.models import Campaign

from .helpers import bearer, opinion_at

# No 5xx; every status code answered is documented for its operation, with the documented content type and schema.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["info"]["version"] == "1"
    paths = document["paths"]
    assert "/api/v1/staff/opinions/{opinion_id}/actions/{action}" in paths
    assert "/api/v1/opinions/{tracking_code}" in paths
    # Staff operations declare the bearer scheme; public ones need none.
    assert paths["/api/v1/staff/opinions"]["get"]["security"]
    assert "security" not in paths["/api/v1/categories"]["get"]


def test_docs_page_uses_local_assets_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the docs page must not load anything remotely"
    assert "cdn" not in html.lower()


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler without closing the connection after each request (the test's transaction lives on
    it), as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(world, wsgi_app, mode, max_examples):
    cache.clear()
    opinion = opinion_at(world.mudu_home)
    _client, secret = bearer(world.wuzhong_staff)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # 23 + suggestions 9 (3 of them plenary sessions) + livelihood projects 9 + joint meetings 10 + consultation 6
    # + calendar 2 + activities 11 + performance records 2
    assert len(operations) == 72
    campaign = Campaign.objects.create(
        region=world.wuzhong, title="吴中区接待日", date=date(2026, 12, 9), starts=time_of_day(9), ends=time_of_day(11)
    )
    real = {"opinion_id": opinion.pk, "campaign_id": campaign.pk}
    unsatisfiable = []
    for operation in operations:
        definition = operation.definition.raw
        if mode == GenerationMode.NEGATIVE and not (definition.get("parameters") or definition.get("requestBody")):
            continue  # nothing to get wrong

        @settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), token=st.sampled_from([True, True, False]))
        def check(case, token):
            for name, pk in real.items():
                value = (case.path_parameters or {}).get(name)
                if isinstance(value, int) and value % 2 == 0:
                    case.path_parameters[name] = pk  # half the staff calls hit a real object
            headers = {"Authorization": f"Bearer {secret}"} if token else {}
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            # Every input this operation can be sent is valid (e.g. only free-text optional parameters): schemathesis
            # cannot make a wrong one. The positive run covers it.
            parameters = definition.get("parameters", [])
            free_text = all(p["in"] == "path" and set(p["schema"]) <= {"title", "type"} for p in parameters)
            assert mode == GenerationMode.NEGATIVE and free_text and "requestBody" not in definition, operation.label
            unsatisfiable.append(operation.label)
    return unsatisfiable


def test_schemathesis_every_operation(world, wsgi_app):
    _run(world, wsgi_app, GenerationMode.POSITIVE, 20)


def test_schemathesis_bad_input_answers_documented_errors(world, wsgi_app):
    """Invalid parameters and bodies (and calls without a token): every answer's status code and content type are
    documented for its operation, in the documented error shape."""
    unsatisfiable = _run(world, wsgi_app, GenerationMode.NEGATIVE, 10)
    assert "GET /api/v1/regions/{code}" in unsatisfiable  # a free-text code: any string is a valid one


def test_every_operation_documents_the_common_errors(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"400", "500", "503"} <= set(responses), (method, path)
            assert "Retry-After" in responses["503"]["headers"]
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, (method, path)
            if operation.get("security"):
                assert {"401", "404", "429"} <= set(responses), (method, path)
