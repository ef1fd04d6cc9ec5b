"""The JSON API: same scoping and same refusals as the web, through a bearer token."""

import json

from renda.api.tests.helpers import bearer
from renda.suggestions.models import Suggestion
from renda.suggestions.workflow import State

from .helpers import add_people, category, make_suggestion

BASE = "/api/v1/staff/suggestions"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_submitter_unit_and_office_through_the_api(world):
    add_people(world)
    deputy, _ = bearer(world.deputy_user)
    response = post(deputy, BASE, {"title": "关于停车的建议", "category_id": category().pk, "text": "正文"})
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    assert [item["number"] for item in deputy.get(f"{BASE}/mine").json()] == [number]
    s = make_suggestion(world, State.ASSIGNED)
    unit, _ = bearer(world.unit_user)
    assert [t["item"]["number"] for t in unit.get(f"{BASE}/inbox").json()] == [s.number]
    # The unit may not reply before the contact is confirmed — a 409 with the Chinese reason, nothing changed.
    s.contacts.update(confirmed_at=None)
    response = post(unit, f"{BASE}/{s.pk}/actions/reply", {"category": "A", "text": "已解决"})
    assert response.status_code == 409 and "见面沟通" in response.json()["message"]
    assert Suggestion.objects.get(pk=s.pk).status == State.ASSIGNED
    response = post(deputy, f"{BASE}/{s.pk}/actions/confirm_contact", {})
    assert response.status_code == 200
    response = post(unit, f"{BASE}/{s.pk}/actions/reply", {"category": "A", "text": "已解决"})
    assert response.status_code == 200 and response.json()["status"] == State.REPLIED
    office, _ = bearer(world.wuzhong_staff)
    assert s.number in [item["number"] for item in office.get(f"{BASE}/office", {"status": "replied"}).json()]
    assert "accept_reply" in office.get(f"{BASE}/{s.pk}").json()["actions"]
    # Another district's office: missing.
    other, _ = bearer(world.gusu_staff)
    assert other.get(f"{BASE}/{s.pk}").status_code == 404
    assert post(other, f"{BASE}/{s.pk}/actions/accept_reply", {}).status_code == 404
    assert office.get(f"{BASE}/mine").json() == []
    # Without a token: 401.
    from django.test import Client

    assert Client().get(f"{BASE}/mine").status_code == 401


def test_unit_staff_cannot_submit(world):
    add_people(world)
    unit, _ = bearer(world.unit_user)
    response = post(unit, BASE, {"title": "t", "category_id": category().pk, "text": "x"})
    assert response.status_code == 409 and "人大代表和政协委员" in response.json()["message"]
