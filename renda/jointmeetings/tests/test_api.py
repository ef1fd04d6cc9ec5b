"""The JSON API (/api/v1/staff/jointmeetings/): the office reads and works on topics, a unit answers its questions;
outside scope 404, refusals 409 with nothing changed; the routes are in the OpenAPI document."""

from renda.api.tests.helpers import bearer

from ..models import Stream, Topic, Work
from .helpers import make_topic, resort_meeting

BASE = "/api/v1/staff/jointmeetings"


def test_office_reads_and_works(world):
    meeting = resort_meeting(world)
    topic = make_topic(meeting)
    api, _secret = bearer(world.resort_staff)
    assert [m["id"] for m in api.get(f"{BASE}/meetings").json()] == [meeting.pk]
    detail = api.get(f"{BASE}/meetings/{meeting.pk}").json()
    assert detail["zone"] == "苏州太湖国家旅游度假区" and detail["topics"][0]["id"] == topic.pk
    assert len(detail["members"]) == 1
    body = {"stream": "inquiry", "title": "询问码头管理", "unit_id": world.wuzhong_unit.pk}
    made = api.post(f"{BASE}/topics/{topic.pk}/works", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["unit"] == "吴中区住房和城乡建设局"
    assert made.json()["due"] is not None  # JOINT_MEETING_ANSWER_DAYS after today
    refused = api.post(
        f"{BASE}/topics/{topic.pk}/works", body | {"unit_id": world.gusu_unit.pk}, content_type="application/json"
    )
    assert refused.status_code == 409 and Work.objects.count() == 1
    assert api.post(f"{BASE}/topics/{topic.pk}/publish").status_code == 200
    assert api.post(f"{BASE}/topics/{topic.pk}/publish").status_code == 409
    assert Topic.objects.get().status == "published"
    assert api.get(f"{BASE}/topics/{topic.pk}").json()["works"][0]["title"] == "询问码头管理"


def test_outside_scope_is_missing(world):
    meeting = resort_meeting(world)
    topic = make_topic(meeting)
    api, _secret = bearer(world.wuzhong_staff)
    assert api.get(f"{BASE}/meetings").json() == []
    assert api.get(f"{BASE}/meetings/{meeting.pk}").status_code == 404
    assert api.get(f"{BASE}/topics/{topic.pk}").status_code == 404
    assert api.post(f"{BASE}/topics/{topic.pk}/close").status_code == 404
    assert Topic.objects.get().status == "draft"


def test_unit_answers(world):
    topic = make_topic(resort_meeting(world), status="published")
    work = Work.objects.create(topic=topic, stream=Stream.INQUIRY, title="询问码头管理", unit=world.wuzhong_unit)
    api, _secret = bearer(world.unit_user)
    assert [q["id"] for q in api.get(f"{BASE}/questions").json()] == [work.pk]
    url = f"{BASE}/questions/{work.pk}/answer"
    assert api.post(url, {"text": "已安排"}, content_type="application/json").status_code == 200
    assert api.post(url, {"text": "再答"}, content_type="application/json").status_code == 409
    assert Work.objects.get().answer == "已安排"
    assert api.get(f"{BASE}/meetings/{topic.meeting_id}").status_code == 404


def test_in_openapi(world, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert f"{BASE}/topics/{{topic_id}}/works" in paths
    assert f"{BASE}/questions/{{work_id}}/answer" in paths
