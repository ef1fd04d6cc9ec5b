"""Events of every source for the test world's deputy_wz (吴中区) and member_wz, plus one of 姑苏区's deputy."""

import datetime
from decimal import Decimal

from django.utils import timezone

from renda.activities.models import Activity, Invitation, Kind, ProblemItem, ProblemStatus
from renda.activities.models import Attendance as ActivityAttendance
from renda.activities.models import Status as ActivityStatus
from renda.opinions.actions import submit
from renda.opinions.models import Category, Opinion
from renda.projects.models import RollEntry, Round, Session, SessionKind, SessionStatus
from renda.receptions.models import Duty, Reception, ReceptionOpinion, Visit
from renda.receptions.workflow import Attendance, ReceptionKind
from renda.records.models import Weight, WeightTable
from renda.suggestions.models import Category as SuggestionCategory
from renda.suggestions.models import MemberAccount, Signature, SocialReport, Suggestion
from renda.suggestions.workflow import ReportState, State


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def reception(station, day):
    return Reception.objects.create(
        station=station, date=day, starts=datetime.time(9), ends=datetime.time(11), kind=ReceptionKind.ONE_OFF
    )


def make_events(world, year):
    """A year of events: returns a dict of what was made."""
    d, m = world.deputy_wz, world.member_wz
    made = {}
    # receptions: one attended with 5 visitors and an opinion taken, one absent without leave, one with leave
    r1 = reception(world.mudu_home, datetime.date(year, 3, 10))
    duty1 = Duty.objects.create(reception=r1, deputy=d, attendance=Attendance.ATTENDED)
    Visit.objects.create(reception=r1, duty=duty1, count=5)
    opinion_taken = submit(station=world.mudu_home, category=Category.objects.first(), text="路灯不亮").opinion
    ReceptionOpinion.objects.create(opinion=opinion_taken, reception=r1, duty=duty1)
    r2 = reception(world.mudu_home, datetime.date(year, 4, 10))
    Duty.objects.create(reception=r2, deputy=d, attendance=Attendance.ABSENT)
    r3 = reception(world.mudu_home, datetime.date(year, 5, 10))
    Duty.objects.create(reception=r3, deputy=d, attendance=Attendance.ABSENT, absence_reason="出差")
    made["duty"] = duty1
    # opinions addressed to the deputy: one closed on time and rated satisfied, one closed late
    for text, closed, due, rating in (
        ("噪音扰民", at(year, 6, 1), at(year, 6, 5), "satisfied"),
        ("道路破损", at(year, 6, 20), at(year, 6, 10), "dissatisfied"),
    ):
        opinion = submit(station=world.mudu_home, category=Category.objects.first(), text=text).opinion
        Opinion.objects.filter(pk=opinion.pk).update(
            deputy=d, status="final", closed_at=closed, due_at=due, rating=rating, created=at(year, 5, 20)
        )
    # activities: one attended, one absent without leave, a meeting attended; a problem pushed to handling
    kind, _ = Kind.objects.get_or_create(code="inspection", defaults={"name": "视察"})
    meeting, _ = Kind.objects.get_or_create(code="meeting", defaults={"name": "会议"})
    activities = []
    for title, k, attendance, month in (
        ("视察河道", kind, ActivityAttendance.PRESENT, 7),
        ("调研养老", kind, ActivityAttendance.ABSENT, 8),
        ("代表小组会议", meeting, ActivityAttendance.PRESENT, 9),
    ):
        activity = Activity.objects.create(
            region=world.wuzhong,
            kind=k,
            title=title,
            starts_at=at(year, month, 1),
            ends_at=at(year, month, 1, 12),
            status=ActivityStatus.FINISHED,
        )
        Invitation.objects.create(activity=activity, deputy=d, attendance=attendance)
        activities.append(activity)
    Invitation.objects.create(activity=activities[0], member=m, attendance=ActivityAttendance.PRESENT)
    problem = ProblemItem.objects.create(
        activity=activities[0],
        number=1,
        recorded_by_deputy=d,
        text="企业用电难",
        status=ProblemStatus.PUSHED,
        pushed_at=at(year, 7, 3),
    )
    ProblemItem.objects.filter(pk=problem.pk).update(created=at(year, 7, 1))
    # suggestions: one submitted by the deputy, one by another author signed by the deputy; a member's 社情民意
    category = SuggestionCategory.objects.filter(kind="congress").first()
    Suggestion.objects.create(
        kind="congress",
        number=f"{year}-1",
        year=year,
        region=world.wuzhong,
        title="关于河道治理的建议",
        category=category,
        text="…",
        author=world.deputy_user,
        submitter_name=d.name,
        deputy=d,
        status=State.REGISTERED,
        created=at(year, 2, 1),
    )
    other = Suggestion.objects.create(
        kind="congress",
        number=f"{year}-2",
        year=year,
        region=world.wuzhong,
        title="关于养老的建议",
        category=category,
        text="…",
        author=world.wuzhong_staff,
        submitter_name="某代表",
        status=State.REGISTERED,
        created=at(year, 2, 2),
    )
    Signature.objects.create(
        suggestion=other,
        user=world.deputy_user,
        name=d.name,
        status=Signature.Status.SIGNED,
        answered_at=at(year, 2, 3),
    )
    from renda.accounts.models import User

    member_user = User.objects.create_user("member_wz_user", password="x")
    MemberAccount.objects.create(user=member_user, member=m)
    SocialReport.objects.create(
        region=world.wuzhong,
        title="关于物价的社情民意",
        text="…",
        author=member_user,
        member=m,
        status=ReportState.ADOPTED,
        adopted_level=SocialReport.Level.PROVINCIAL,
        created=at(year, 3, 3),
    )
    made["member_user"] = member_user
    # a livelihood-project vote the deputy cast
    round_ = Round.objects.create(region=world.wuzhong, year=year, title=f"{year}年民生实事", places=5)
    session = Session.objects.create(
        round=round_,
        kind=SessionKind.VOTE,
        method="electronic",
        title="票决",
        starts_at=at(year, 1, 20),
        ends_at=at(year, 1, 20, 12),
        status=SessionStatus.PUBLISHED,
    )
    RollEntry.objects.create(session=session, deputy=d, present=True, voted=True)
    # 姑苏区's deputy: one reception attended (another region's record)
    r4 = reception(world.canglang_home, datetime.date(year, 3, 11))
    Duty.objects.create(reception=r4, deputy=world.deputy_gs, attendance=Attendance.ATTENDED)
    return made


def make_table(region, year, weights, *, body="congress", good="80", fair="60"):
    table = WeightTable.objects.create(
        region=region, year=year, body=body, good_min=Decimal(good), fair_min=Decimal(fair)
    )
    for kind, (points, cap) in weights.items():
        Weight.objects.create(
            table=table, kind=kind, points=Decimal(points), cap=Decimal(cap) if cap is not None else None
        )
    return table
