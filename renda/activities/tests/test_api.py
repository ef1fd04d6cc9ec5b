"""The JSON API: the organiser's management, the invitee's answers, attendance and the problem list, with the same
scoping and refusals (409 with a stable code and the Chinese message) as the pages; documented in OpenAPI."""

import json

from renda.api.tests.helpers import bearer
from renda.opinions.models import Category, Opinion

from ..models import Activity, ProblemItem
from .helpers import make_activity

BASE = "/api/v1/staff/activities"


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_organiser_and_invitee_through_the_api(world):
    staff, _ = bearer(world.wuzhong_staff)
    response = post(
        staff,
        f"{BASE}/",
        {
            "region_id": world.wuzhong.pk,
            "kind": "inspection",
            "title": "视察营商环境",
            "starts_at": "2030-05-01T09:00:00+08:00",
            "ends_at": "2030-05-01T11:00:00+08:00",
        },
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    # Outside the region: 409 "outside", nothing invited.
    response = post(staff, f"{BASE}/{pk}/invite", {"by": "name", "value": "顾测试"})
    assert response.status_code == 409 and response.json()["code"] == "outside"
    assert "不在组织者所在地区" in response.json()["message"]
    assert post(staff, f"{BASE}/{pk}/invite", {"deputy_ids": [world.deputy_wz.pk]}).json() == {"count": 1}
    assert post(staff, f"{BASE}/{pk}/act/publish").json()["status"] == "published"
    assert [a["id"] for a in staff.get(f"{BASE}/").json()["items"]] == [pk]
    # The deputy answers.
    deputy, _ = bearer(world.deputy_user)
    (invitation,) = deputy.get(f"{BASE}/invitations").json()
    response = post(deputy, f"{BASE}/invitations/{invitation['id']}/answer", {"answer": "excused"})
    assert response.status_code == 409 and "请假事由" in response.json()["message"]
    response = post(deputy, f"{BASE}/invitations/{invitation['id']}/answer", {"answer": "excused", "reason": "出差"})
    assert response.json()["answer"] == "excused"
    # Attendance before it starts: refused; the deputy cannot reach the organiser's endpoints at all.
    response = post(staff, f"{BASE}/{pk}/attendance", {"marks": {str(invitation["id"]): "present"}})
    assert response.status_code == 409 and response.json()["code"] == "too_early"
    assert deputy.get(f"{BASE}/{pk}").status_code == 404
    gusu, _ = bearer(world.gusu_staff)
    assert gusu.get(f"{BASE}/{pk}").status_code == 404


def test_problems_through_the_api_pushed_once(world):
    activity = make_activity(world, hours=-1, invite=[world.deputy_wz])
    activity.invitations.update(answer="attend")
    deputy, _ = bearer(world.deputy_user)
    category = Category.objects.first()
    response = post(deputy, f"{BASE}/{activity.pk}/problems", {"text": "融资难", "category_id": category.pk})
    assert response.status_code == 201, response.content
    item = ProblemItem.objects.get()
    staff, _ = bearer(world.wuzhong_staff)
    response = post(staff, f"{BASE}/{activity.pk}/problems/{item.pk}/push")
    assert response.status_code == 200 and response.json()["opinion_tracking_code"]
    response = post(staff, f"{BASE}/{activity.pk}/problems/{item.pk}/push")
    assert response.status_code == 409 and response.json()["code"] == "twice"
    assert Opinion.objects.count() == 1
    detail = staff.get(f"{BASE}/{activity.pk}").json()
    assert detail["problems"][0]["status"] == "pushed" and detail["invitations"][0]["answer"] == "attend"
    assert Activity.objects.count() == 1


def test_openapi_documents_the_endpoints(world):
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/staff/activities")]
    assert "/api/v1/staff/activities/{activity_id}/attendance" in paths
    assert "/api/v1/staff/activities/invitations/{invitation_id}/answer" in paths
