"""Builders for rounds, candidate lists, deputies and sessions in a given state, for the tests of this app."""

import datetime
from decimal import Decimal

from django.utils import timezone

from renda.accounts.models import Grant, Role, User
from renda.people.models import Deputy, DeputyLevel
from renda.testing import PASSWORD

from ..actions import sessions
from ..models import Method, Project, Round, RoundPhase, SessionKind
from ..phases import DATED, Phase
from ..phases import Role as R

STAFF = {R.STAFF, R.PUBLIC}
DEPUTY = {R.DEPUTY, R.PUBLIC}


def phase_dates(start: datetime.date) -> dict:
    """Solicitation of 30 days from `start`, then ten days per phase."""
    dates, day = {}, start
    for phase in DATED:
        length = 30 if phase == Phase.SOLICITATION else 10
        dates[phase] = (day, day + datetime.timedelta(days=length - 1))
        day += datetime.timedelta(days=length)
    return dates


def make_round(world, *, phase=Phase.SOLICITATION, places=2, region=None, start=None, **rules) -> Round:
    start = start or timezone.localdate() - datetime.timedelta(days=40)
    round_ = Round.objects.create(
        region=region or world.wuzhong,
        year=start.year,
        title="2026年吴中区民生实事项目",
        places=places,
        phase=phase,
        **rules,
    )
    for key, (starts, ends) in phase_dates(start).items():
        RoundPhase.objects.create(round=round_, phase=key, starts=starts, ends=ends)
    return round_


def add_candidates(world, round_: Round, count: int, *, publish=True) -> list[Project]:
    projects = [
        Project.objects.create(
            round=round_,
            number=n,
            title=f"项目{n}",
            description=f"第{n}个民生实事项目",
            budget=Decimal("100.00"),
            lead_unit=world.wuzhong_unit,
            timeline="2026年内",
        )
        for n in range(1, count + 1)
    ]
    if publish:
        round_.candidates_published_at = timezone.now()
        round_.save(update_fields=["candidates_published_at"])
    return projects


def make_deputies(world, count: int, *, region=None, prefix="d") -> list[Deputy]:
    """`count` county deputies elected in `region` (木渎镇 by default), each with an account."""
    deputies = []
    for n in range(count):
        deputy = Deputy.objects.create(
            name=f"代表{prefix}{n}",
            term=17,
            level=DeputyLevel.COUNTY,
            electoral_region=region or world.mudu,
            public_code=f"P{prefix.upper()}{n:04d}",
        )
        user = User.objects.create_user(username=f"dep_{prefix}{n}", password=PASSWORD)
        Grant.objects.create(user=user, role=Role.DEPUTY, deputy=deputy)
        deputy.user = user
        deputy.save(update_fields=["user"])
        deputies.append(deputy)
    return deputies


def voting_session(
    world, round_: Round, *, method=Method.ELECTRONIC, kind=SessionKind.VOTE, present=None, scrutineers=None, start=True
):
    """A session prepared, opened and (with `start`) voting, with `present` deputies (default: every entitled one).

    The window runs from an hour ago to an hour ahead. Scrutineers default to deputy_wz."""
    now = timezone.now()
    session = sessions.prepare_session(
        world.wuzhong_staff,
        round_,
        STAFF,
        kind=kind,
        method=method,
        title="区人大会议第二次全体会议",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        scrutineers=scrutineers or [world.deputy_wz],
        counters=["计票员甲"],
    )
    sessions.open_session(world.wuzhong_staff, session, STAFF)
    roll = list(session.roll.values_list("deputy_id", flat=True))
    sessions.record_presence(world.wuzhong_staff, session, STAFF, roll if present is None else present)
    if start:
        sessions.start_voting(world.wuzhong_staff, session, STAFF)
    session.refresh_from_db()
    return session


def choices_for(projects, for_=(), against=(), default="abstain") -> dict:
    """A ballot: "for" the projects in `for_`, "against" those in `against`, `default` on the rest."""
    for_ids = {p.pk for p in for_}
    against_ids = {p.pk for p in against}
    return {str(p.pk): "for" if p.pk in for_ids else "against" if p.pk in against_ids else default for p in projects}
