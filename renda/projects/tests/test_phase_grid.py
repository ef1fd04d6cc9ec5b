"""The phase × role × action grid (phases.GRID), walked through the actions themselves.

For every phase, every action and every role: where the grid says no, the action is refused with the phase message
and nothing changes; where it says yes, the phase rule lets it through (the action may still refuse for another
reason, e.g. a session not yet open — that is checked by the other tests).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from renda.opinions.actions import submit
from renda.opinions.models import Category

from ..actions import ProjectsError, candidates, implementation, proposals, rounds, sessions, voting
from ..models import (
    Method,
    Milestone,
    Officer,
    OfficerRole,
    Proposal,
    ProposalStatus,
    Result,
    RoundEvent,
    Session,
    SessionKind,
)
from ..phases import GRID, ORDER, Do, Phase, Role, allowed
from ..rules import PaperCount
from .helpers import add_candidates, make_round


def _user(world, role):
    return {
        Role.STAFF: world.wuzhong_staff,
        Role.DEPUTY: world.deputy_user,
        Role.UNIT: world.unit_user,
        Role.PUBLIC: None,
    }[role]


def _attempts(world, round_, session, proposal, opinion, projects, milestone):
    now = timezone.now()
    kind = SessionKind.EVALUATION if round_.phase == Phase.EVALUATION else SessionKind.VOTE

    def paper():
        return PaperCount(1, 1, 1, 0, 0, {p.pk: {"for": 1} for p in projects})

    return {
        Do.ADVANCE: lambda u, r: rounds.advance(u, round_, r),
        Do.PROPOSE: lambda u, r: proposals.propose(
            round_, role=next(iter(r)), roles=r, title="加装电梯", description="老小区加装电梯", user=u
        ),
        Do.SUPPORT: lambda u, r: proposals.support(proposal) if Role.PUBLIC in r else _refuse_public(round_, r),
        Do.PROMOTE_OPINION: lambda u, r: proposals.promote_opinion(u, round_, opinion, r),
        Do.SCREEN: lambda u, r: proposals.screen(u, proposal, r, decision=ProposalStatus.ACCEPTED),
        Do.EDIT_CANDIDATES: lambda u, r: candidates.add_project(
            u,
            round_,
            r,
            title="新项目",
            description="说明",
            budget=Decimal("10"),
            lead_unit=world.wuzhong_unit,
            timeline="年内",
        ),
        Do.PUBLISH_CANDIDATES: lambda u, r: candidates.publish_candidates(u, round_, r),
        Do.PREPARE_SESSION: lambda u, r: sessions.prepare_session(
            u,
            round_,
            r,
            kind=kind,
            method=Method.ELECTRONIC,
            title="会议",
            starts_at=now,
            ends_at=now + datetime.timedelta(hours=1),
            scrutineers=[world.deputy_wz],
            counters=["甲"],
        ),
        Do.OPEN_SESSION: lambda u, r: sessions.open_session(u, session, r),
        Do.RECORD_PRESENCE: lambda u, r: sessions.record_presence(u, session, r, []),
        Do.START_VOTING: lambda u, r: sessions.start_voting(u, session, r),
        Do.CAST: lambda u, r: voting.cast(u, session, world.deputy_wz, r, {}, "s" * 32),
        Do.CLOSE_VOTING: lambda u, r: sessions.close_voting(u, session, r),
        Do.ENTER_PAPER_COUNT: lambda u, r: sessions.enter_paper_count(u, session, r, paper()),
        Do.SIGN_OFF: lambda u, r: sessions.sign_off(u, session, r, world.deputy_wz),
        Do.DECIDE_TIE: lambda u, r: sessions.decide_tie(u, round_, r, elected=[], note="x"),
        Do.PUBLISH_RESULTS: lambda u, r: sessions.publish_results(u, session, r),
        Do.PLAN_MILESTONES: lambda u, r: implementation.add_milestone(
            u, projects[0], r, title="施工", due=now.date(), weight=1
        ),
        Do.COMPLETE_MILESTONE: lambda u, r: implementation.complete_milestone(u, milestone, r),
        Do.REPORT_PROGRESS: lambda u, r: implementation.report_progress(u, projects[0], r, text="进展"),
        Do.RECORD_VISIT: lambda u, r: implementation.record_visit(
            u, projects[0], r, deputy=world.deputy_wz, visited_on=now.date(), findings="发现"
        ),
    }


def _refuse_public(round_, roles):
    """support() is the constituents' own action: other roles reach it only through the grid check."""
    from ..actions.common import require

    require(round_, Do.SUPPORT, roles)


@pytest.mark.parametrize("phase", ORDER)
def test_phase_role_action_grid(world, phase):
    round_ = make_round(world, phase=phase)
    projects = add_candidates(world, round_, 3, publish=False)
    kind = SessionKind.EVALUATION if phase == Phase.EVALUATION else SessionKind.VOTE
    now = timezone.now()
    session = Session.objects.create(
        round=round_,
        kind=kind,
        method=Method.MIXED,
        title="会议",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    Officer.objects.create(session=session, role=OfficerRole.SCRUTINEER, deputy=world.deputy_wz, name="吴测试")
    proposal = Proposal.objects.create(
        round=round_, tracking_code="GRID0001", title="路灯", description="修路灯", source="constituent"
    )
    opinion = submit(station=world.mudu_home, category=Category.objects.first(), text="小区缺少路灯").opinion
    projects[0].result = Result.ELECTED
    projects[0].save()
    milestone = Milestone.objects.create(project=projects[0], title="开工", due=now.date(), weight=1)
    attempts = _attempts(world, round_, session, proposal, opinion, projects, milestone)
    assert set(attempts) == set(Do.values)
    mismatches = []
    for action, attempt in attempts.items():
        for role in Role.values:
            roles = {role}
            events_before = RoundEvent.objects.count()
            refused_by_phase = False
            with transaction.atomic():
                try:
                    attempt(_user(world, role), roles)
                except ProjectsError as exc:
                    refused_by_phase = exc.code == "phase"
                    if refused_by_phase:
                        assert RoundEvent.objects.count() == events_before, (action, role)
                transaction.set_rollback(True)
            round_.refresh_from_db()
            assert round_.phase == phase
            if refused_by_phase == allowed(phase, action, roles):
                mismatches.append(f"{action} by {role}: grid says {allowed(phase, action, roles)}")
    assert not mismatches, f"phase {phase}\n" + "\n".join(mismatches)


def test_the_grid_names_only_known_phases_actions_and_roles():
    assert set(GRID) == set(ORDER)
    for actions in GRID.values():
        assert set(actions) <= set(Do.values)
        for roles in actions.values():
            assert roles <= set(Role.values)
