"""CPPCC consultation through HTTP, then the database: topics, meetings with invited members, speeches (the member's
own from their login, the office's record), results sent to units and each unit's feedback, the region rule."""

import pytest
from django.urls import reverse

from renda.activities.models import Invitation
from renda.audit.models import AuditEvent
from renda.testing import assert_statuses

from .. import actions
from ..models import Feedback, Meeting, Result, Speech, Topic
from .helpers import member_login, wuzhong_meeting


def test_topics_per_year(world):
    client = world.client(world.wuzhong_staff)
    data = {"region": world.wuzhong.pk, "year": 2026, "title": "推进乡村振兴", "proposed_by": "农业和农村委员会"}
    client.post(reverse("consultation:topic_create"), data)
    client.post(reverse("consultation:topic_create"), data)  # the same title twice: refused
    assert Topic.objects.count() == 1
    assert "推进乡村振兴" in client.get(reverse("consultation:home")).content.decode()
    assert "推进乡村振兴" not in world.client(world.gusu_staff).get(reverse("consultation:home")).content.decode()
    # 姑苏区 staff cannot place a topic in 吴中区
    world.client(world.gusu_staff).post(reverse("consultation:topic_create"), data | {"title": "越界"})
    assert Topic.objects.count() == 1


def test_create_a_meeting(world):
    topic = Topic.objects.create(region=world.wuzhong, year=2026, title="太湖生态保护")
    client = world.client(world.wuzhong_staff)
    data = {
        "region": world.wuzhong.pk,
        "title": "专题协商会：太湖生态",
        "form": "thematic",
        "starts_at": "2026-12-20T09:00",
        "ends_at": "2026-12-20T11:00",
        "place": "吴中区政协",
        "topics": [topic.pk],
        "members": [world.member_wz.pk],
    }
    response = client.post(reverse("consultation:meeting_create"), data)
    meeting = Meeting.objects.get()
    assert response.url == reverse("consultation:meeting", args=[meeting.pk])
    activity = meeting.activity
    assert (activity.body, activity.kind.code, activity.region, activity.status) == (
        "cppcc",
        "consultation",
        world.wuzhong,
        "published",
    )
    assert list(meeting.topics.all()) == [topic]
    assert list(Invitation.objects.values_list("member_id", flat=True)) == [world.member_wz.pk]
    assert AuditEvent.objects.filter(action="consultation.meeting_create").exists()


def test_inviting_a_member_of_another_committee_is_refused(world):
    meeting = wuzhong_meeting(world)
    client = world.client(world.wuzhong_staff)
    response = client.post(reverse("consultation:invite", args=[meeting.pk]), {"members": [world.member_gs.pk]})
    assert response.status_code == 302
    assert not Invitation.objects.filter(member=world.member_gs).exists()
    with pytest.raises(actions.ConsultationError):
        actions.invite(world.wuzhong_staff, meeting, [world.member_gs])
    assert Invitation.objects.count() == 1


def test_member_submits_their_speech(world):
    meeting = wuzhong_meeting(world)
    user = member_login(world)
    client = world.client(user)
    assert "双周协商座谈会" in client.get(reverse("consultation_my:list")).content.decode()
    url = reverse("consultation_my:meeting", args=[meeting.pk])
    response = client.post(url, {"title": "守护太湖生态", "text": "建议建立跨区域生态补偿机制。"})
    assert response.status_code == 302
    speech = Speech.objects.get()
    assert (speech.member, speech.order, speech.submitted_by) == (world.member_wz, 1, user)
    client.post(url, {"title": "守护太湖生态", "text": "修改后的发言。"})
    assert Speech.objects.get().text == "修改后的发言。"
    # the office sees and edits it
    office = world.client(world.wuzhong_staff)
    assert "守护太湖生态" in office.get(reverse("consultation:meeting", args=[meeting.pk])).content.decode()
    office.post(
        reverse("consultation:speech_save", args=[meeting.pk]),
        {"member": world.member_wz.pk, "title": "守护太湖生态（定稿）", "text": "定稿。", "order": 3},
    )
    speech.refresh_from_db()
    assert (speech.title, speech.order) == ("守护太湖生态（定稿）", 3)


def test_an_uninvited_member_finds_nothing(world):
    meeting = wuzhong_meeting(world, members=[])
    client = world.client(member_login(world))
    assert client.get(reverse("consultation_my:meeting", args=[meeting.pk])).status_code == 404
    assert (
        client.post(reverse("consultation_my:meeting", args=[meeting.pk]), {"title": "t", "text": "x"}).status_code
        == 404
    )
    with pytest.raises(actions.ConsultationError):
        actions.save_speech(world.wuzhong_staff, meeting, world.member_wz, title="t", text="x")
    assert not Speech.objects.exists()
    # someone without a member account has no member pages
    assert world.client(world.deputy_user).get(reverse("consultation_my:list")).status_code == 404


def test_member_cannot_submit_for_another(world):
    meeting = wuzhong_meeting(world, members=[world.member_wz])
    other = member_login(world, world.member_gs, "member_gs")
    with pytest.raises(actions.ConsultationError):
        actions.save_speech(other, meeting, world.member_wz, title="t", text="x")
    assert world.client(other).get(reverse("consultation_my:meeting", args=[meeting.pk])).status_code == 404


def test_results_and_unit_feedback(world):
    meeting = wuzhong_meeting(world)
    office = world.client(world.wuzhong_staff)
    url = reverse("consultation:result_add", args=[meeting.pk])
    response = office.post(url, {"title": "关于太湖生态补偿的建议", "text": "一、……", "units": [world.wuzhong_unit.pk]})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.unit == world.wuzhong_unit and feedback.due is not None
    # a unit outside the region: refused (the form does not offer it)
    assert office.post(url, {"title": "x", "text": "y", "units": [world.gusu_unit.pk]}).status_code == 400
    assert Result.objects.count() == 1

    unit = world.client(world.unit_user)
    assert "关于太湖生态补偿的建议" in unit.get(reverse("consultation_unit:list")).content.decode()
    feedback_url = reverse("consultation_unit:feedback", args=[feedback.pk])
    assert unit.post(feedback_url, {"text": "已纳入明年工作计划"}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.text == "已纳入明年工作计划" and feedback.answered_by == world.unit_user
    assert unit.post(feedback_url, {"text": "再答"}).status_code == 400
    assert Feedback.objects.get().text == "已纳入明年工作计划"
    assert "已纳入明年工作计划" in office.get(reverse("consultation:meeting", args=[meeting.pk])).content.decode()
    # another unit's staff: missing
    gusu_unit_user = _unit_user(world, world.gusu_unit)
    assert world.client(gusu_unit_user).get(feedback_url).status_code == 404
    assert (
        "关于太湖生态补偿的建议"
        not in world.client(gusu_unit_user).get(reverse("consultation_unit:list")).content.decode()
    )


def _unit_user(world, unit):
    from renda.accounts.models import Grant, Role, User

    user = User.objects.create_user(username="gusu_unit_user", password="x")
    Grant.objects.create(user=user, role=Role.UNIT_STAFF, unit=unit)
    return user


def test_region_rule(world):
    meeting = wuzhong_meeting(world)
    assert_statuses(
        world,
        reverse("consultation:meeting", args=[meeting.pk]),
        {
            "wuzhong_staff": 200,
            "city_staff": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "unit_user": 404,
            "keeper": 404,
            "outsider": 404,
            "anonymous": 302,
        },
    )
    assert "双周协商座谈会" not in world.client(world.gusu_staff).get(reverse("consultation:home")).content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_query_counts(world, django_assert_max_num_queries, count):
    for i in range(count):
        meeting = wuzhong_meeting(world, topic_title=f"议题{i}")
        Speech.objects.create(meeting=meeting, member=world.member_wz, title="t", text="x", order=1)
        actions.add_result(world.wuzhong_staff, meeting, title=f"成果{i}", text="x", units=[world.wuzhong_unit])
    client = world.client(world.wuzhong_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultation:home")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("consultation:meeting", args=[meeting.pk])).status_code == 200
    unit = world.client(world.unit_user)
    with django_assert_max_num_queries(12):
        assert unit.get(reverse("consultation_unit:list")).status_code == 200


def test_invited_members_are_told_through_the_outbox(world):
    """Creating the meeting tells its invited members (site message to their login, SMS to their phone); inviting
    more later tells only the new ones."""
    from renda.notifications.models import Message
    from renda.notifications.texts import render_body

    def told():
        return Message.objects.filter(template="activity_invited")

    first = member_login(world)
    world.member_wz.phone = "13900139000"
    world.member_wz.save(update_fields=["phone"])
    meeting = wuzhong_meeting(world)
    assert {(m.channel, m.user_id) for m in told()} == {("site", first.pk), ("sms", first.pk)}
    assert "双周协商座谈会" in render_body(told().first())
    from renda.people.models import Member

    other = Member.objects.create(
        name="吴委员二", term=14, level="county", region=world.wuzhong, sector="经济界", public_code="MWZ002"
    )
    second = member_login(world, other, username="member_wz2")
    client = world.client(world.wuzhong_staff)
    assert client.post(reverse("consultation:invite", args=[meeting.pk]), {"members": [other.pk]}).status_code == 302
    assert {(m.channel, m.user_id) for m in told()} == {("site", first.pk), ("sms", first.pk), ("site", second.pk)}
