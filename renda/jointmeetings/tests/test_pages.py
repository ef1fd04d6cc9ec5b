"""Joint meetings through HTTP, then the database: the office's pages, the four streams, the unit's answer, the
refusals, the region rule (404 outside) and pinned query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.opinions.actions import submit
from renda.opinions.models import Category
from renda.projects.models import Body, Round
from renda.testing import assert_statuses

from ..models import JointMeeting, Membership, Stream, Topic, Work, WorkStatus
from .helpers import activity, jinting_deputy, make_topic, problem, resort_meeting


def test_create_a_meeting_for_the_zone(world):
    client = world.client(world.resort_staff)
    page = client.get(reverse("jointmeetings:home")).content.decode()
    assert "苏州太湖国家旅游度假区" in page  # offered in the form
    response = client.post(reverse("jointmeetings:create"), {"zone": world.resort.pk, "name": "度假区联席会议"})
    meeting = JointMeeting.objects.get()
    assert response.url == reverse("jointmeetings:meeting", args=[meeting.pk])
    assert meeting.zone == world.resort
    assert AuditEvent.objects.filter(action="jointmeetings.create").exists()
    # a second meeting for the zone is refused, nothing changed
    client.post(reverse("jointmeetings:create"), {"zone": world.resort.pk, "name": "又一个"})
    assert JointMeeting.objects.count() == 1


def test_wuzhong_staff_cannot_create_the_resorts_meeting(world):
    response = world.client(world.wuzhong_staff).post(
        reverse("jointmeetings:create"), {"zone": world.resort.pk, "name": "x"}
    )
    assert response.status_code == 302
    assert not JointMeeting.objects.exists()


def test_members_come_from_the_zones_towns(world):
    meeting = resort_meeting(world, with_member=False)
    client = world.client(world.resort_staff)
    jinting = jinting_deputy(world)
    client.post(reverse("jointmeetings:member_add", args=[meeting.pk]), {"deputy": jinting.pk, "role": "member"})
    assert list(meeting.memberships.values_list("deputy_id", flat=True)) == [jinting.pk]
    # a 木渎镇 deputy is outside the zone: refused, nothing changed
    client.post(
        reverse("jointmeetings:member_add", args=[meeting.pk]), {"deputy": world.deputy_wz.pk, "role": "member"}
    )
    assert meeting.memberships.count() == 1
    membership = meeting.memberships.get()
    client.post(reverse("jointmeetings:member_remove", args=[meeting.pk, membership.pk]))
    assert not meeting.memberships.exists()


def test_topic_one_per_month(world):
    meeting = resort_meeting(world)
    client = world.client(world.resort_staff)
    data = {"month": "2026-05", "title": "民宿规范管理"}
    response = client.post(reverse("jointmeetings:topic_create", args=[meeting.pk]), data)
    topic = Topic.objects.get()
    assert response.url == reverse("jointmeetings:topic", args=[topic.pk])
    assert topic.month == datetime.date(2026, 5, 1) and topic.status == "draft"
    client.post(reverse("jointmeetings:topic_create", args=[meeting.pk]), data | {"title": "另一个"})
    assert Topic.objects.count() == 1
    client.post(
        reverse("jointmeetings:topic_edit", args=[topic.pk]), {"title": "民宿规范管理与服务", "description": ""}
    )
    assert Topic.objects.get().title == "民宿规范管理与服务"


def test_the_four_streams(world):
    meeting = resort_meeting(world)
    owner = meeting.memberships.get().deputy
    topic = make_topic(meeting)
    client = world.client(world.resort_staff)
    url = reverse("jointmeetings:work_add", args=[topic.pk])
    inspection = activity(world)
    act = activity(world, kind="research", title="民宿调研")
    item = problem(world, act)
    opinion = submit(station=world.mudu_home, category=Category.objects.first(), text="x").opinion
    opinion.region = world.jinting
    opinion.save(update_fields=["region"])
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    base = {"owner": owner.pk, "due": due}
    posts = [
        {"stream": "supervision", "title": "联合视察太湖岸线", "activity": inspection.pk},
        {"stream": "inquiry", "title": "询问码头管理", "unit": world.wuzhong_unit.pk},
        {"stream": "matter", "title": "码头停车难", "problem": item.pk},
        {"stream": "matter", "title": "路灯", "opinion": opinion.pk},
        {"stream": "report", "title": "关于民宿发展的信息", "sent_to": "city", "sent_on": "2026-05-20"},
    ]
    for data in posts:
        response = client.post(url, base | data)
        assert response.status_code == 302, response.content.decode()[-2000:]
    works = {work.title: work for work in Work.objects.all()}
    assert works["联合视察太湖岸线"].activity == inspection
    assert works["询问码头管理"].unit == world.wuzhong_unit
    assert works["码头停车难"].problem == item
    assert works["路灯"].opinion == opinion
    assert works["关于民宿发展的信息"].sent_to == "city"
    assert all(work.owner == owner for work in works.values())
    assert AuditEvent.objects.filter(action="jointmeetings.work_add").count() == 5

    # refusals: nothing changed
    refused = [
        {"stream": "supervision", "title": "调研不是监督", "activity": act.pk},  # not a supervision kind
        {"stream": "matter", "title": "又一次", "problem": item.pk},  # linked twice
        {"stream": "inquiry", "title": "问姑苏区", "unit": world.gusu_unit.pk},  # not the zone's unit
        {"stream": "report", "title": "没说报给谁"},
        {"stream": "inquiry", "title": "owner outside", "unit": world.wuzhong_unit.pk, "owner": world.deputy_wz.pk},
    ]
    for data in refused:
        response = client.post(url, {"due": due} | data)
        assert response.status_code == 400, data
    assert Work.objects.count() == 5

    page = client.get(reverse("jointmeetings:topic", args=[topic.pk])).content.decode()
    for title in works:
        assert title in page

    # publish, then progress and adoption
    client.post(reverse("jointmeetings:topic_publish", args=[topic.pk]))
    report = works["关于民宿发展的信息"]
    client.post(reverse("jointmeetings:work_adoption", args=[report.pk]), {"adopted": "1", "level": "city"})
    assert Work.objects.get(pk=report.pk).adopted is None  # no date: refused
    client.post(
        reverse("jointmeetings:work_adoption", args=[report.pk]),
        {"adopted": "1", "level": "city", "adopted_on": "2026-06-01"},
    )
    report.refresh_from_db()
    assert (report.adopted, report.adopted_level, report.adopted_on) == (True, "city", datetime.date(2026, 6, 1))
    client.post(reverse("jointmeetings:work_done", args=[works["联合视察太湖岸线"].pk]))
    assert Work.objects.get(title="联合视察太湖岸线").status == WorkStatus.DONE


def test_unit_answers_its_question_once(world):
    topic = make_topic(resort_meeting(world), status="published")
    work = Work.objects.create(topic=topic, stream=Stream.INQUIRY, title="询问码头管理", unit=world.wuzhong_unit)
    other = Work.objects.create(topic=topic, stream=Stream.INQUIRY, title="问姑苏区", unit=world.gusu_unit)
    client = world.client(world.unit_user)
    page = client.get(reverse("jointmeetings_unit:list")).content.decode()
    assert "询问码头管理" in page and "问姑苏区" not in page
    assert client.get(reverse("jointmeetings_unit:question", args=[other.pk])).status_code == 404
    response = client.post(reverse("jointmeetings_unit:question", args=[work.pk]), {"text": "已安排专人管理"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.answer == "已安排专人管理" and work.answered_by == world.unit_user and work.status == WorkStatus.DONE
    response = client.post(reverse("jointmeetings_unit:question", args=[work.pk]), {"text": "再答一次"})
    assert response.status_code == 400  # refused: answered once
    assert Work.objects.get(pk=work.pk).answer == "已安排专人管理"
    # the office sees the answer
    page = world.client(world.resort_staff).get(reverse("jointmeetings:topic", args=[topic.pk])).content.decode()
    assert "已安排专人管理" in page


def test_a_draft_topics_questions_are_not_the_units_yet(world):
    topic = make_topic(resort_meeting(world), status="draft")
    work = Work.objects.create(topic=topic, stream=Stream.INQUIRY, title="草稿中的询问", unit=world.wuzhong_unit)
    client = world.client(world.unit_user)
    assert "草稿中的询问" not in client.get(reverse("jointmeetings_unit:list")).content.decode()
    assert client.get(reverse("jointmeetings_unit:question", args=[work.pk])).status_code == 404


def test_region_rule(world):
    meeting = resort_meeting(world)
    topic = make_topic(meeting)
    expected = {
        "resort_staff": 200,
        "city_staff": 200,
        "wuzhong_staff": 404,
        "gusu_staff": 404,
        "park_staff": 404,
        "keeper": 404,
        "unit_user": 404,
        "deputy_user": 404,
        "outsider": 404,
        "anonymous": 302,
    }
    assert_statuses(world, reverse("jointmeetings:meeting", args=[meeting.pk]), expected)
    assert_statuses(world, reverse("jointmeetings:topic", args=[topic.pk]), expected)
    assert (
        "度假区人大代表联席会议"
        not in world.client(world.wuzhong_staff).get(reverse("jointmeetings:home")).content.decode()
    )
    assert world.client(world.unit_user).get(reverse("jointmeetings:home")).status_code == 404
    assert world.client(world.resort_staff).get(reverse("jointmeetings_unit:list")).status_code == 404


def test_meeting_page_links_its_sittings_and_rounds(world):
    meeting = resort_meeting(world)
    sitting = activity(world, region=world.resort, kind="meeting", title="第三次联席会议")
    sitting.organiser_kind = "joint_meeting"
    sitting.save(update_fields=["organiser_kind"])
    round_ = Round.objects.create(
        region=world.resort, year=2026, title="度假区民生实事", places=5, body=Body.JOINT_MEETING
    )
    page = world.client(world.resort_staff).get(reverse("jointmeetings:meeting", args=[meeting.pk])).content.decode()
    assert "第三次联席会议" in page
    assert reverse("projects:round", args=[round_.pk]) in page


@pytest.mark.parametrize("months", [1, 12])
def test_query_counts(world, django_assert_max_num_queries, months):
    meeting = resort_meeting(world)
    for i in range(months):
        topic = make_topic(meeting, month=datetime.date(2025, 1 + i, 1))
        for stream in (Stream.INQUIRY, Stream.REPORT):
            Work.objects.create(
                topic=topic, stream=stream, title=f"{stream}{i}", unit=world.wuzhong_unit, sent_to="city"
            )
    client = world.client(world.resort_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("jointmeetings:home")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("jointmeetings:meeting", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("jointmeetings:topic", args=[topic.pk])).status_code == 200
    assert Membership.objects.count() == 1


def test_a_new_matter_is_filed_as_an_opinion_in_the_zone_once(world):
    """事项联办 without an existing opinion or problem item: the office gives a category and the matter becomes an
    opinion in the zone, raised by the owner deputy (who follows and rates it); a retried post files nothing twice;
    neither a category nor a link: refused with the reason, nothing written."""
    from renda.opinions.models import Opinion

    meeting = resort_meeting(world)
    owner = meeting.memberships.get().deputy
    topic = make_topic(meeting, status="published")
    client = world.client(world.resort_staff)
    url = reverse("jointmeetings:work_add", args=[topic.pk])
    category = Category.objects.first()
    data = {"stream": "matter", "title": "码头夜间照明不足", "detail": "游客反映码头晚上太暗", "owner": owner.pk}
    refused = client.post(url, data)
    assert (
        refused.status_code == 400 and "选择类别" in refused.content.decode() or "category" in refused.content.decode()
    )
    assert not Work.objects.exists() and not Opinion.objects.exists()
    for _ in range(2):  # the second post is a retry: the same work, no second opinion
        assert client.post(url, data | {"category": category.pk}).status_code == 302
    work = Work.objects.get()
    opinion = Opinion.objects.get()
    assert work.opinion == opinion and work.stream == Stream.MATTER
    assert (opinion.region, opinion.deputy, opinion.category) == (world.resort, owner, category)
    assert opinion.text == "码头夜间照明不足\n游客反映码头晚上太暗" and opinion.status == "submitted"
    # The zone's staff find it in their inbox; the topic page links it.
    assert opinion.tracking_code in client.get(reverse("opinions:list")).content.decode()
    assert opinion.tracking_code in client.get(reverse("jointmeetings:topic", args=[topic.pk])).content.decode()
    assert AuditEvent.objects.filter(action="jointmeetings.work_add").count() == 1


def test_a_new_matter_through_the_api(world):
    import json

    from renda.api.tests.helpers import bearer

    meeting = resort_meeting(world)
    topic = make_topic(meeting, status="published")
    api, _secret = bearer(world.resort_staff)
    body = {"stream": "matter", "title": "码头夜间照明不足", "category_id": Category.objects.first().pk}
    url = f"/api/v1/staff/jointmeetings/topics/{topic.pk}/works"
    made = api.post(url, json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json()["opinion_id"] is not None
    again = api.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 201 and again.json()["id"] == made.json()["id"]
    assert Work.objects.count() == 1
    missing = api.post(url, json.dumps(body | {"category_id": 999999, "title": "x"}), content_type="application/json")
    assert missing.status_code == 404 and Work.objects.count() == 1


def test_the_office_plans_a_sitting_with_every_member_invited(world):
    """A sitting is a draft activity the joint meeting organises in its zone with its members invited; the office
    publishes it from the activity's page (the members are told then); bad times are refused, nothing written."""
    from renda.activities.models import Activity, OrganiserKind

    meeting = resort_meeting(world)
    member = meeting.memberships.get().deputy
    client = world.client(world.resort_staff)
    url = reverse("jointmeetings:sitting_plan", args=[meeting.pk])
    starts = timezone.localtime() + datetime.timedelta(days=10)
    data = {
        "kind": client.get(reverse("jointmeetings:meeting", args=[meeting.pk])).context["sitting_form"]["kind"].initial,
        "title": "第三次联席会议",
        "place": "度假区人大工委",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    refused = client.post(url, data, follow=True)
    assert "活动结束时间不能早于开始时间" in refused.content.decode()
    assert not Activity.objects.exists()
    data["ends_at"] = (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data)
    activity = Activity.objects.get()
    assert response.url == reverse("activities:detail", args=[activity.pk])
    assert (activity.region, activity.organiser_kind, activity.status) == (
        world.resort,
        OrganiserKind.JOINT_MEETING,
        "draft",
    )
    assert activity.kind.code == "meeting"
    assert list(activity.invitations.values_list("deputy", flat=True)) == [member.pk]
    page = client.get(reverse("jointmeetings:meeting", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("activities:detail", args=[activity.pk])}"' in page
    assert AuditEvent.objects.filter(action="jointmeetings.sitting_plan").exists()
    # Another district's staff: the meeting is missing.
    assert world.client(world.gusu_staff).post(url, data).status_code == 404
    assert Activity.objects.count() == 1
