"""The JSON API (/api/v1/staff/consultation/): the office's meetings, a member's own speech, a unit's feedback;
outside scope 404, refusals 409; the routes are in the OpenAPI document."""

from renda.api.tests.helpers import bearer

from .. import actions
from ..models import Feedback, Speech
from .helpers import member_login, wuzhong_meeting

BASE = "/api/v1/staff/consultation"


def test_office_reads(world):
    meeting = wuzhong_meeting(world)
    api, _secret = bearer(world.wuzhong_staff)
    assert [m["id"] for m in api.get(f"{BASE}/meetings").json()] == [meeting.pk]
    detail = api.get(f"{BASE}/meetings/{meeting.pk}").json()
    assert detail["invited"] == ["吴委员"] and detail["form"] == "biweekly"
    body = {"title": "办公室代录", "text": "发言全文", "member_id": world.member_wz.pk}
    assert api.post(f"{BASE}/meetings/{meeting.pk}/speeches", body, content_type="application/json").status_code == 200
    other, _secret = bearer(world.gusu_staff)
    assert other.get(f"{BASE}/meetings/{meeting.pk}").status_code == 404
    assert other.get(f"{BASE}/meetings").json() == []


def test_member_submits_own_speech(world):
    meeting = wuzhong_meeting(world)
    api, _secret = bearer(member_login(world))
    assert [m["id"] for m in api.get(f"{BASE}/my/meetings").json()] == [meeting.pk]
    body = {"title": "守护太湖", "text": "建议……"}
    made = api.post(f"{BASE}/meetings/{meeting.pk}/speeches", body, content_type="application/json")
    assert made.status_code == 200 and Speech.objects.get().member == world.member_wz
    # naming another member changes nothing: a member speaks for themselves only
    other = body | {"member_id": world.member_gs.pk}
    assert api.post(f"{BASE}/meetings/{meeting.pk}/speeches", other, content_type="application/json").status_code in (
        404,
        409,
    )
    assert Speech.objects.count() == 1


def test_unit_feedback(world):
    meeting = wuzhong_meeting(world)
    actions.add_result(world.wuzhong_staff, meeting, title="建言成果", text="……", units=[world.wuzhong_unit])
    feedback = Feedback.objects.get()
    api, _secret = bearer(world.unit_user)
    assert [r["id"] for r in api.get(f"{BASE}/unit/results").json()] == [feedback.pk]
    url = f"{BASE}/unit/results/{feedback.pk}/feedback"
    assert api.post(url, {"text": "已采纳"}, content_type="application/json").status_code == 200
    assert api.post(url, {"text": "再答"}, content_type="application/json").status_code == 409
    assert Feedback.objects.get().text == "已采纳"


def test_in_openapi(world, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert f"{BASE}/meetings/{{consultation_id}}/speeches" in paths
    assert f"{BASE}/unit/results/{{feedback_id}}/feedback" in paths
