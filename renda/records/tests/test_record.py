"""The record through HTTP, then the database: every figure recomputed here from the events with plain ORM counts
(independently of compute.py and sources.py) and compared; idempotent refresh; points, caps, grades; weights of a
past year read-only and never changing its scores; another region's deputy missing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from renda.activities.models import Attendance as ActivityAttendance
from renda.activities.models import Invitation, ProblemItem
from renda.opinions.models import Opinion
from renda.projects.models import RollEntry
from renda.receptions.models import Duty, ReceptionOpinion, Visit
from renda.receptions.workflow import Attendance
from renda.records.compute import refresh, refresh_person
from renda.records.models import Figure, Line, Score, WeightTable
from renda.suggestions.models import Signature, SocialReport, Suggestion
from renda.testing import assert_statuses

from .helpers import make_events, make_table

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def expected_deputy_figures(deputy, year) -> dict:
    """Independent counts straight from the events' tables."""
    duties = Duty.objects.filter(deputy=deputy, reception__date__year=year).exclude(reception__status="cancelled")
    invitations = Invitation.objects.filter(deputy=deputy, activity__status="finished", activity__starts_at__year=year)
    meetings = invitations.filter(activity__kind__code="meeting")
    others = invitations.exclude(activity__kind__code="meeting")
    opinions = Opinion.objects.filter(deputy=deputy)
    closed = opinions.filter(closed_at__year=year)
    problems = ProblemItem.objects.filter(recorded_by_deputy=deputy, created__year=year)
    counts = {
        "duty_attended": duties.filter(attendance=Attendance.ATTENDED).count(),
        "duty_absent": duties.filter(attendance=Attendance.ABSENT, absence_reason="").count(),
        "duty_excused": duties.filter(attendance=Attendance.ABSENT).exclude(absence_reason="").count(),
        "reception_opinion": ReceptionOpinion.objects.filter(duty__deputy=deputy, reception__date__year=year).count(),
        "opinion_received": opinions.filter(created__year=year).count(),
        "opinion_handled": closed.count(),
        "opinion_on_time": closed.filter(closed_at__lte=F("due_at")).count(),
        "opinion_satisfied": closed.filter(rating="satisfied").count(),
        "activity_present": others.filter(attendance=ActivityAttendance.PRESENT).count(),
        "activity_absent": others.filter(attendance=ActivityAttendance.ABSENT).count(),
        "activity_excused": invitations.filter(attendance=ActivityAttendance.EXCUSED).count(),
        "meeting_present": meetings.filter(attendance=ActivityAttendance.PRESENT).count(),
        "meeting_absent": meetings.filter(attendance=ActivityAttendance.ABSENT).count(),
        "problem_recorded": problems.count(),
        "problem_pushed": problems.filter(status__in=["pushed", "linked"]).count(),
        "suggestion_submitted": Suggestion.objects.filter(deputy=deputy, year=year)
        .exclude(status__in=["signing", "withdrawn"])
        .count(),
        "suggestion_signed": Signature.objects.filter(user=deputy.user, status="signed", suggestion__year=year).count(),
        "project_vote": RollEntry.objects.filter(
            deputy=deputy, session__starts_at__year=year, session__status__in=["closed", "signed", "published"]
        )
        .filter(present=True)
        .count(),
    }
    return {kind: count for kind, count in counts.items() if count}


def test_every_figure_matches_an_independent_count(world):
    make_events(world, YEAR)
    call_command("records_refresh", "--year", str(YEAR))
    stored = dict(Figure.objects.filter(deputy=world.deputy_wz, year=YEAR).values_list("kind", "count"))
    assert stored == expected_deputy_figures(world.deputy_wz, YEAR)
    visitors = Visit.objects.filter(duty__deputy=world.deputy_wz, duty__attendance="attended").aggregate(n=Sum("count"))
    assert Figure.objects.get(deputy=world.deputy_wz, year=YEAR, kind="duty_attended").quantity == visitors["n"] == 5
    member = dict(Figure.objects.filter(member=world.member_wz, year=YEAR).values_list("kind", "count"))
    assert member == {
        "activity_present": Invitation.objects.filter(member=world.member_wz, attendance="present").count(),
        "social_report_provincial": SocialReport.objects.filter(
            member=world.member_wz, adopted_level="provincial"
        ).count(),
    }
    # every line names its event, and the lines add up to the figures
    lines = Line.objects.filter(deputy=world.deputy_wz, year=YEAR)
    assert lines.count() == sum(stored.values())
    assert not lines.filter(key="").exists()
    duty = Duty.objects.get(deputy=world.deputy_wz, attendance="attended")
    assert lines.get(key=f"duty:{duty.pk}").link == reverse("receptions:attendance", args=[duty.reception_id])


def test_refresh_is_idempotent_and_follows_the_events(world):
    make_events(world, YEAR)
    first = refresh_person(world.deputy_wz, YEAR)
    assert first["created"] > 0
    assert refresh_person(world.deputy_wz, YEAR) == {"created": 0, "updated": 0, "deleted": 0}
    # an event changes: the attended duty is corrected to absent → one line changes kind
    Duty.objects.filter(deputy=world.deputy_wz, attendance="attended").update(attendance="absent")
    assert refresh_person(world.deputy_wz, YEAR) == {"created": 0, "updated": 1, "deleted": 0}
    assert Figure.objects.get(deputy=world.deputy_wz, year=YEAR, kind="duty_absent").count == 2
    assert not Figure.objects.filter(deputy=world.deputy_wz, year=YEAR, kind="duty_attended").exists()


def test_points_caps_deductions_and_grade(world):
    make_events(world, YEAR)
    make_table(
        world.wuzhong,
        YEAR,
        {
            "duty_attended": ("30", "20"),  # capped at 20
            "duty_absent": ("-5", "3"),  # a deduction held within −3
            "activity_present": ("3", None),
            "meeting_present": ("2", None),
            "activity_absent": ("-1", None),
            "suggestion_submitted": ("40", None),
        },
        good="80",
        fair="60",
    )
    refresh_person(world.deputy_wz, YEAR)
    score = Score.objects.get(deputy=world.deputy_wz, year=YEAR)
    assert score.total == Decimal("20") - 3 + 3 + 2 - 1 + 40 == Decimal("61")
    assert score.grade == "fair"
    # a city deputy elected in 姑苏区 has no table there: figures, no points, no grade
    refresh_person(world.deputy_gs, YEAR)
    assert Score.objects.get(deputy=world.deputy_gs, year=YEAR).grade == ""


def test_the_record_page_shows_the_breakdown_to_the_events(world, django_assert_max_num_queries):
    make_events(world, YEAR)
    make_table(world.wuzhong, YEAR, {"duty_attended": ("2", None)})
    refresh_person(world.deputy_wz, YEAR)
    url = reverse("records:deputy", args=[world.deputy_wz.pk])
    client = world.client(world.deputy_user)
    with django_assert_max_num_queries(40):
        response = client.get(url, {"year": YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    duty = Duty.objects.get(deputy=world.deputy_wz, attendance="attended")
    assert reverse("receptions:attendance", args=[duty.reception_id]) in page
    assert 'id="score-total">2.00<' in page
    assert_statuses(
        world,
        url,
        {
            "deputy_user": 200,
            "wuzhong_staff": 200,
            "city_staff": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "keeper": 404,
            "unit_user": 404,
            "outsider": 404,
            "anonymous": 302,
        },
    )
    # the deputy's own entry point
    own = client.get(reverse("records:my"), {"year": YEAR}).content.decode()
    assert reverse("receptions:attendance", args=[duty.reception_id]) in own


def test_next_years_weights_never_change_last_years_scores(world):
    last = YEAR - 1
    make_events(world, last)
    old = make_table(world.wuzhong, last, {"duty_attended": ("2", None)})
    refresh_person(world.deputy_wz, last)
    before = Score.objects.get(deputy=world.deputy_wz, year=last).total
    client = world.client(world.wuzhong_staff)
    # last year's weights are read-only, through the page
    response = client.post(
        reverse("records:table", args=[old.pk]), {"good_min": "1", "fair_min": "0", "points_duty_attended": "50"}
    )
    assert response.status_code == 200 and 'id="read-only"' in response.content.decode()
    assert old.weights.get(kind="duty_attended").points == 2
    # this year's table copied from last year's and changed: last year's score stays
    response = client.post(
        reverse("records:tables"), {"region": world.wuzhong.code, "year": YEAR, "body": "congress", "copy_from": old.pk}
    )
    new = WeightTable.objects.get(region=world.wuzhong, year=YEAR)
    assert response.url == reverse("records:table", args=[new.pk])
    client.post(
        reverse("records:table", args=[new.pk]), {"good_min": "80", "fair_min": "60", "points_duty_attended": "50"}
    )
    assert new.weights.get(kind="duty_attended").points == 50
    refresh_person(world.deputy_wz, last)
    assert Score.objects.get(deputy=world.deputy_wz, year=last).total == before == 2
    # a table for a past year cannot be created either
    client.post(reverse("records:tables"), {"region": world.mudu.code, "year": last, "body": "congress"})
    assert not WeightTable.objects.filter(region=world.mudu).exists()
    # another region's table is missing
    gusu = make_table(world.gusu, YEAR, {})
    assert client.get(reverse("records:table", args=[gusu.pk])).status_code == 404


def test_a_refresh_for_the_city_counts_every_region(world):
    make_events(world, YEAR)
    refresh(YEAR, world.deputy_wz.__class__.objects.all(), world.member_wz.__class__.objects.all())
    assert Score.objects.filter(year=YEAR).count() == 3 + 2  # every deputy and member, with or without lines
    assert Figure.objects.get(deputy=world.deputy_gs, year=YEAR, kind="duty_attended").count == 1


def test_a_member_reads_their_own_record_and_the_staff_deputy_page_links_the_record(world):
    made = make_events(world, YEAR)
    member = world.client(made["member_user"])
    page = member.get(reverse("records:my"), {"year": YEAR}).content.decode()
    assert "关于物价的社情民意" in page and world.member_wz.name in page
    assert member.get(reverse("records:member", args=[world.member_gs.pk])).status_code == 404
    assert world.client(world.gusu_staff).get(reverse("records:member", args=[world.member_wz.pk])).status_code == 404
    detail = world.client(world.wuzhong_staff).get(reverse("people:deputy_detail", args=[world.deputy_wz.pk]))
    assert reverse("records:deputy", args=[world.deputy_wz.pk]) in detail.content.decode()
    keeper = world.client(world.keeper).get(reverse("people:deputy_detail", args=[world.deputy_wz.pk]))
    assert reverse("records:deputy", args=[world.deputy_wz.pk]) not in keeper.content.decode()


def test_a_members_speeches_at_consultation_meetings_count(world):
    """CPPCC consultation (renda/consultation): each speech at a meeting held in the year is a line of the member's
    record, linked to the meeting; a draft meeting's speech is not."""
    from datetime import timedelta

    from renda.activities.models import Activity, Kind
    from renda.consultation.models import Meeting, Speech

    kind = Kind.objects.get_or_create(code="consultation", defaults={"name": "协商议政", "body": "cppcc"})[0]
    day = timezone.now().replace(month=3, day=10, hour=9, minute=0, second=0, microsecond=0)

    def meeting(status):
        activity = Activity.objects.create(region=world.wuzhong, body="cppcc", kind=kind, title="双周协商座谈会",
                                           starts_at=day, ends_at=day + timedelta(hours=2), status=status)  # fmt: skip
        return Meeting.objects.create(activity=activity)

    held, draft = meeting("finished"), meeting("draft")
    speech = Speech.objects.create(meeting=held, member=world.member_wz, title="关于养老服务的发言", text="……")
    Speech.objects.create(meeting=draft, member=world.member_wz, title="草稿会议的发言", text="……")
    call_command("records_refresh", "--year", str(YEAR))
    assert Figure.objects.get(member=world.member_wz, year=YEAR, kind="speech").count == 1
    line = Line.objects.get(member=world.member_wz, year=YEAR, kind="speech")
    assert line.key == f"speech:{speech.pk}" and line.link == reverse("consultation:meeting", args=[held.pk])
