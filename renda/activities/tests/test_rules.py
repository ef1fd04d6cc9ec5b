"""The rules and bad input of issue 14, each refused with a clear (Chinese) message and nothing changed: attendance
only by the organiser; answering after the activity; inviting deputies outside the organiser's region; a problem
pushed twice (also at the same moment); region scope 404; every write an action with its audit row."""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.opinions.models import Category, Opinion

from ..actions import ActivityError, problems
from ..models import Attendance, Invitation, ProblemItem, ProblemStatus, Status
from .helpers import make_activity

pytestmark = pytest.mark.django_db


def _page(response):
    return response.content.decode()


def test_attendance_only_by_the_organiser_and_only_once_started(world):
    activity = make_activity(world, hours=-1, invite=[world.deputy_wz])
    invitation = activity.invitations.get()
    url = reverse("activities:attendance", args=[activity.pk])
    data = {f"att-{invitation.pk}": Attendance.PRESENT}
    # Another region's staff, the invited deputy and the station keeper (not a station activity): no such page.
    for user in (world.gusu_staff, world.deputy_user, world.keeper):
        assert world.client(user).post(url, data).status_code == 404
    # The deputy through the action itself (e.g. the API): refused by the rule, with its message.
    with pytest.raises(ActivityError, match="谁组织谁记录"):
        from ..actions import answers

        answers.record_attendance(world.deputy_user, activity.pk, {invitation.pk: Attendance.PRESENT})
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.UNKNOWN
    # Not before it starts.
    later = make_activity(world, hours=5, invite=[world.deputy_wz])
    response = world.client(world.wuzhong_staff).post(
        reverse("activities:attendance", args=[later.pk]), {f"att-{later.invitations.get().pk}": "present"}
    )
    assert response.status_code == 400 and "活动开始后" in _page(response)
    # The organiser, once it started: recorded, audited.
    assert world.client(world.wuzhong_staff).post(url, data).status_code == 302
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.PRESENT and invitation.recorded_by == world.wuzhong_staff
    assert AuditEvent.objects.filter(action="activity.attendance", object_id=str(activity.pk)).exists()


def test_a_station_keeper_records_their_station_activity(world):
    activity = make_activity(world, region=world.mudu, station=world.mudu_home, hours=-1, invite=[world.deputy_wz])
    invitation = activity.invitations.get()
    response = world.client(world.keeper).post(
        reverse("activities:attendance", args=[activity.pk]), {f"att-{invitation.pk}": "absent"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).attendance == Attendance.ABSENT


def test_answering_after_the_activity_has_started_is_refused(world):
    activity = make_activity(world, hours=-1, invite=[world.deputy_wz])
    response = world.client(world.deputy_user).post(
        reverse("activities_my:answer", args=[activity.pk]), {"answer": "attend"}
    )
    assert response.status_code == 400
    assert "活动已经开始" in _page(response)
    assert activity.invitations.get().answer == "pending"
    assert not AuditEvent.objects.filter(action="activity.answer").exists()


def test_excused_needs_a_reason(world):
    activity = make_activity(world, hours=24, invite=[world.deputy_wz])
    url = reverse("activities_my:answer", args=[activity.pk])
    response = world.client(world.deputy_user).post(url, {"answer": "excused"})
    assert response.status_code == 400 and "请假事由" in _page(response)
    assert world.client(world.deputy_user).post(url, {"answer": "excused", "reason": "出差"}).status_code == 302
    invitation = activity.invitations.get()
    assert (invitation.answer, invitation.reason) == ("excused", "出差")
    assert AuditEvent.objects.filter(action="activity.answer").count() == 1


def test_inviting_deputies_outside_the_organisers_region_is_refused(world):
    activity = make_activity(world, status=Status.DRAFT)
    url = reverse("activities:invite", args=[activity.pk])
    client = world.client(world.wuzhong_staff)
    # 顾测试 is elected in 姑苏区: the whole list is refused, nobody is invited.
    response = client.post(url, {"by": "name", "value": "吴测试、顾测试"})
    assert response.status_code == 400
    assert "不在组织者所在地区" in _page(response) and "顾测试" in _page(response)
    assert not activity.invitations.exists()
    # By a region outside: the same.
    response = client.post(url, {"by": "region", "value": world.canglang.code})
    assert response.status_code == 400 and not activity.invitations.exists()
    # Inside: 吴测试 (elected in 木渎镇) and 苏测试 (a city deputy serving at 木渎镇代表之家) by station.
    assert client.post(url, {"by": "station", "value": "MUDU01"}).status_code == 302
    assert set(activity.invitations.values_list("deputy__name", flat=True)) == {"吴测试", "苏测试"}


def test_a_zones_managed_towns_count_for_its_organiser(world):
    # 苏州工业园区 manages 唯亭街道 in the test world? Use the zone's own members, whatever they are.
    from renda.regions.models import ZoneMembership

    member = ZoneMembership.objects.filter(zone=world.park).select_related("member").first()
    if member is None:
        ZoneMembership.objects.create(zone=world.park, member=world.mudu)
        town = world.mudu
    else:
        town = member.member
    from renda.people.models import Deputy

    deputy = Deputy.objects.create(name="园测试", term=17, level="town", electoral_region=town, public_code="DPK001")
    activity = make_activity(world, region=world.park, status=Status.DRAFT)
    response = world.client(world.park_staff).post(
        reverse("activities:invite", args=[activity.pk]), {"by": "name", "value": "园测试"}
    )
    assert response.status_code == 302
    assert activity.invitations.get().deputy == deputy


def _pushable(world):
    activity = make_activity(world, hours=-1, invite=[world.deputy_wz])
    item = ProblemItem.objects.create(
        activity=activity,
        number=1,
        recorded_by_deputy=world.deputy_wz,
        recorded_by=world.deputy_user,
        text="企业门前道路破损",
        category=Category.objects.first(),
    )
    return activity, item


def test_a_problem_pushed_twice_is_refused(world):
    activity, item = _pushable(world)
    url = reverse("activities:problem_act", args=[activity.pk, item.pk, "push"])
    client = world.client(world.wuzhong_staff)
    assert client.post(url, {"category": item.category_id}).status_code == 302
    item.refresh_from_db()
    opinion = item.opinion
    assert item.status == ProblemStatus.PUSHED and opinion.region == world.wuzhong
    assert opinion.deputy == world.deputy_wz and opinion.category == item.category
    response = client.post(url, {"category": item.category_id})
    assert response.status_code == 400 and "已经推送" in _page(response)
    assert Opinion.objects.count() == 1
    item.refresh_from_db()
    assert item.opinion == opinion
    # Nor linked afterwards.
    link = reverse("activities:problem_act", args=[activity.pk, item.pk, "link"])
    assert client.post(link, {"suggestion": "1"}).status_code in (400, 404)
    assert AuditEvent.objects.filter(action="activity.problem_push").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_push_makes_one_opinion(world):
    _activity, item = _pushable(world)
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    barrier = threading.Barrier(2)
    pushed, refused, errors = [], [], []

    def push():
        try:
            barrier.wait()
            with turns:
                problems.push(world.wuzhong_staff, item.pk)
            pushed.append(1)
        except ActivityError as exc:
            refused.append(exc.code)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=push) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert (len(pushed), refused) == (1, ["twice"])
    assert Opinion.objects.count() == 1


def test_region_scope_404(world):
    activity = make_activity(world, invite=[world.deputy_wz])
    for name in ("detail", "edit", "attendance"):
        url = reverse(f"activities:{name}", args=[activity.pk])
        assert world.client(world.gusu_staff).get(url).status_code == 404
        assert world.client(world.wuzhong_staff).get(url).status_code == 200
        assert world.client(world.city_staff).get(url).status_code == 200
    # A deputy sees only activities they are invited to, and never a draft.
    mine = reverse("activities_my:detail", args=[activity.pk])
    assert world.client(world.deputy_user).get(mine).status_code == 200
    other = make_activity(world)
    assert world.client(world.deputy_user).get(reverse("activities_my:detail", args=[other.pk])).status_code == 404
    draft = make_activity(world, status=Status.DRAFT, invite=[world.deputy_wz])
    assert world.client(world.deputy_user).get(reverse("activities_my:detail", args=[draft.pk])).status_code == 404
    # Not public: no public page.
    assert world.client(None).get(reverse("activities_public:activity", args=[activity.pk])).status_code == 404


def test_edit_with_a_stale_version_is_refused(world):
    activity = make_activity(world, status=Status.DRAFT)
    url = reverse("activities:edit", args=[activity.pk])
    form = {
        "kind": activity.kind_id,
        "title": "新标题",
        "place": "x",
        "starts_at": "2030-01-01T09:00",
        "ends_at": "2030-01-01T11:00",
        "version": activity.version,
    }
    client = world.client(world.wuzhong_staff)
    assert client.post(url, form).status_code == 302
    response = client.post(url, form | {"title": "又一个标题"})  # the same (now old) version
    assert response.status_code == 400 and "其他人修改" in _page(response)
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("新标题", 2)


def test_the_phone_page_offers_recording_a_problem_exactly_when_the_action_takes_one(world):
    """One rule (workflow.takes_part) for the page and the action: said they attend but recorded absent → neither."""
    from ..models import Answer

    activity = make_activity(world, hours=-1, invite=[world.deputy_wz])
    invitation = Invitation.objects.get(activity=activity, deputy=world.deputy_wz)
    client = world.client(world.deputy_user)
    url = reverse("activities_my:detail", args=[activity.pk])
    form = reverse("activities_my:problem_add", args=[activity.pk])
    for answer, attendance, offered in [
        (Answer.ATTEND, Attendance.UNKNOWN, True),
        (Answer.ATTEND, Attendance.ABSENT, False),
        (Answer.PENDING, Attendance.PRESENT, True),
        (Answer.EXCUSED, Attendance.UNKNOWN, False),
    ]:
        Invitation.objects.filter(pk=invitation.pk).update(answer=answer, attendance=attendance)
        assert (form in client.get(url).content.decode()) is offered, (answer, attendance)
        before = ProblemItem.objects.count()
        client.post(form, {"text": "企业用电报装慢", "raised_by_kind": "enterprise"})
        assert ProblemItem.objects.count() == before + (1 if offered else 0), (answer, attendance)
