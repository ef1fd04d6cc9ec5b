"""Bad input is a 4xx in the API's error shape, never a 5xx (huge ids, wrong types, wrong methods, junk bodies)."""

import pytest
from django.core.cache import cache

from .helpers import bearer, opinion_at

HUGE = "9" * 30


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_huge_and_odd_values_are_client_errors(world):
    opinion = opinion_at(world.mudu_home)
    client, _secret = bearer(world.wuzhong_staff)
    assert client.get(f"/api/v1/staff/opinions/{HUGE}").status_code == 404
    assert client.get("/api/v1/staff/opinions/2147483648").status_code == 404
    for query in (f"category={HUGE}", f"unit={HUGE}", "date_from=2026-13-40", "overdue=maybe", "limit=0"):
        response = client.get(f"/api/v1/staff/opinions?{query}")
        assert response.status_code == 422 and response.json()["code"] == "validation_error", query
    forward = client.post(
        f"/api/v1/staff/opinions/{opinion.pk}/actions/forward", {"unit": 2**63}, content_type="application/json"
    )
    assert forward.status_code == 422
    body = {"station": world.mudu_home.public_code, "category": 2**63, "text": "路口红绿灯时间太短"}
    submitted = client.post("/api/v1/opinions", body, content_type="application/json")
    assert submitted.status_code == 422 and "category" in submitted.json()["details"]
    junk = client.post(f"/api/v1/staff/opinions/{opinion.pk}/actions/accept", "[1,2", content_type="application/json")
    assert junk.status_code in (400, 422) and junk.json()["code"]
    as_list = client.post("/api/v1/opinions", [1, 2], content_type="application/json")
    assert as_list.status_code == 422
    assert client.get(f"/api/v1/stations?offset={HUGE}").status_code == 422
    assert client.get(f"/api/v1/regions/{HUGE}").status_code == 404
    assert client.get("/api/v1/opinions/" + "A" * 500).status_code == 404


def test_filters_overdue_unit_and_dates(world):
    from datetime import timedelta

    from django.utils import timezone

    from renda.opinions import actions
    from renda.opinions.models import Opinion
    from renda.opinions.workflow import Action

    late = opinion_at(world.mudu_home, "晚上路灯不亮很危险", "late")
    fresh = opinion_at(world.mudu_home, "小区门口垃圾没人清理", "fresh")
    Opinion.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    actions.perform(world.wuzhong_staff, fresh.pk, Action.ACCEPT)
    actions.perform(world.wuzhong_staff, fresh.pk, Action.FORWARD, unit=world.wuzhong_unit)
    client, _secret = bearer(world.wuzhong_staff)

    def ids(query):
        response = client.get(f"/api/v1/staff/opinions?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["items"]]

    assert ids("overdue=true") == [late.pk]
    assert ids(f"unit={world.wuzhong_unit.pk}") == [fresh.pk]
    today = timezone.localdate()
    assert set(ids(f"date_from={today}&date_to={today}")) == {late.pk, fresh.pk}
    assert ids(f"date_to={today - timedelta(days=1)}") == []
    assert ids("status=forwarded") == [fresh.pk]
