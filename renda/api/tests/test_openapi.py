"""The OpenAPI document validates, the docs page loads only local assets, and every operation survives a
schemathesis run (no 5xx; every documented response matches its schema)."""

import re
import time
from datetime import date
from datetime import time as time_of_day

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from renda.receptions.models import Campaign

from .helpers import bearer, opinion_at


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


def test_schemathesis_every_operation(world, wsgi_app):
    cache.clear()
    opinion = opinion_at(world.mudu_home)
    _client, secret = bearer(world.wuzhong_staff)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 32  # 23 + livelihood projects (9)
    campaign = Campaign.objects.create(
        region=world.wuzhong, title="吴中区接待日", date=date(2026, 12, 9), starts=time_of_day(9), ends=time_of_day(11)
    )
    real = {"opinion_id": opinion.pk, "campaign_id": campaign.pk}
    started = time.monotonic()
    for operation in operations:

        @settings(
            max_examples=20,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            for name, pk in real.items():
                if name in (case.path_parameters or {}) and case.path_parameters[name] % 2 == 0:
                    case.path_parameters[name] = pk  # half the staff calls hit a real object
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        check()
    assert time.monotonic() - started < 60
