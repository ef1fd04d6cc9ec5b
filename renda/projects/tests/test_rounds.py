"""Rounds, solicitation, screening and the candidate list, through the actions, then the database."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from renda.opinions.actions import submit
from renda.opinions.models import Category

from ..actions import ProjectsError, candidates, proposals, rounds
from ..models import EventKind, Proposal, ProposalStatus, ProposalSupporter, Round, RoundEvent, SetAsideReason
from ..phases import Phase, Role
from ..search import similar_proposals
from .helpers import STAFF, add_candidates, make_round, phase_dates

PUBLIC = {Role.PUBLIC}


def test_create_round_with_phases_and_history(world):
    dates = phase_dates(datetime.date(2026, 1, 1))
    round_ = rounds.create_round(
        world.wuzhong_staff, region=world.wuzhong, year=2026, title="2026年民生实事", places=10, dates=dates
    )
    assert round_.phase == Phase.SOLICITATION
    assert round_.phases.count() == 7
    assert round_.quorum_fraction == Decimal("0.5") and round_.min_extra == 1
    assert list(round_.events.values_list("kind", flat=True)) == [EventKind.CREATED]


def test_solicitation_shorter_than_thirty_days_is_refused(world):
    dates = phase_dates(datetime.date(2026, 1, 1))
    dates[Phase.SOLICITATION] = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 29))
    with pytest.raises(ProjectsError, match="30"):
        rounds.create_round(world.wuzhong_staff, region=world.wuzhong, year=2026, title="t", places=1, dates=dates)
    assert not Round.objects.exists()


def test_phases_out_of_order_are_refused(world):
    dates = phase_dates(datetime.date(2026, 1, 1))
    dates[Phase.SCREENING] = (datetime.date(2025, 12, 1), datetime.date(2025, 12, 5))
    with pytest.raises(ProjectsError):
        rounds.create_round(world.wuzhong_staff, region=world.wuzhong, year=2026, title="t", places=1, dates=dates)


def test_round_outside_the_staff_region_is_refused(world):
    with pytest.raises(ProjectsError):
        rounds.create_round(
            world.gusu_staff,
            region=world.wuzhong,
            year=2026,
            title="t",
            places=1,
            dates=phase_dates(datetime.date(2026, 1, 1)),
        )


def test_solicitation_closes_only_after_thirty_days(world):
    round_ = make_round(world, start=timezone.localdate() - datetime.timedelta(days=29))
    with pytest.raises(ProjectsError, match="30"):
        rounds.advance(world.wuzhong_staff, round_, STAFF)
    round_.refresh_from_db()
    assert round_.phase == Phase.SOLICITATION
    later = timezone.now() + datetime.timedelta(days=1)
    rounds.advance(world.wuzhong_staff, round_, STAFF, now=later)
    round_.refresh_from_db()
    assert round_.phase == Phase.SCREENING
    assert round_.events.filter(kind=EventKind.PHASE).count() == 1


def test_each_phase_waits_for_its_work(world):
    round_ = make_round(world, phase=Phase.SCREENING)
    proposal = proposals.propose(make_round(world), role=Role.PUBLIC, roles=PUBLIC, title="t", description="d")
    proposal.round = round_
    proposal.save()
    with pytest.raises(ProjectsError, match="Screen every proposal|筛选"):
        rounds.advance(world.wuzhong_staff, round_, STAFF)
    proposals.screen(world.wuzhong_staff, proposal, STAFF, decision=ProposalStatus.ACCEPTED)
    rounds.advance(world.wuzhong_staff, round_, STAFF)
    round_.refresh_from_db()
    with pytest.raises(ProjectsError):  # the candidate list is not published
        rounds.advance(world.wuzhong_staff, round_, STAFF)
    assert Round.objects.get(pk=round_.pk).phase == Phase.CANDIDATES


def test_propose_support_and_similar(world):
    round_ = make_round(world)
    first = proposals.propose(
        round_,
        role=Role.PUBLIC,
        roles=PUBLIC,
        title="老小区加装电梯",
        description="木渎镇老小区没有电梯，老人上下楼难",
        place="木渎镇",
        name="张三",
        phone="13900001111",
        consent=True,
        client_token="tok-1",
    )
    again = proposals.propose(
        round_, role=Role.PUBLIC, roles=PUBLIC, title="老小区加装电梯", description="重复提交", client_token="tok-1"
    )
    assert again.pk == first.pk
    stored = Proposal.objects.get(pk=first.pk)
    assert stored.submitter_phone == "13900001111" and stored.masked_phone == "139****1111"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT submitter_phone FROM projects_proposal WHERE id = %s", [first.pk])
        assert "13900001111" not in cursor.fetchone()[0]
    assert similar_proposals(round_, "老小区电梯") == [stored]
    proposals.support(stored, client_token="s1")
    proposals.support(stored, client_token="s1")
    stored.refresh_from_db()
    assert stored.supporters_count == 1 and ProposalSupporter.objects.count() == 1
    assert RoundEvent.objects.filter(kind=EventKind.PROPOSED, proposal=stored).exists()


def test_name_without_consent_is_refused(world):
    round_ = make_round(world)
    with pytest.raises(ProjectsError):
        proposals.propose(round_, role=Role.PUBLIC, roles=PUBLIC, title="t", description="d", phone="13900001111")
    assert not Proposal.objects.exists()


def test_promote_opinion_links_back(world):
    round_ = make_round(world)
    opinion = submit(station=world.mudu_home, category=Category.objects.first(), text="村口缺路灯").opinion
    proposal = proposals.promote_opinion(world.wuzhong_staff, round_, opinion, STAFF, title="村口路灯")
    assert proposal.opinion == opinion and proposal.source == "opinion"
    assert list(opinion.project_proposals.all()) == [proposal]
    with pytest.raises(ProjectsError):
        proposals.promote_opinion(world.wuzhong_staff, round_, opinion, STAFF)
    other = submit(station=world.canglang_home, category=Category.objects.first(), text="姑苏的意见").opinion
    with pytest.raises(ProjectsError):
        proposals.promote_opinion(world.wuzhong_staff, round_, other, STAFF)


def test_screening_accept_merge_set_aside(world):
    round_ = make_round(world)
    a, b, c = (
        proposals.propose(round_, role=Role.PUBLIC, roles=PUBLIC, title=t, description=t) for t in ("甲", "乙", "丙")
    )
    round_.phase = Phase.SCREENING
    round_.save()
    with pytest.raises(ProjectsError):  # a reason is required
        proposals.screen(world.wuzhong_staff, c, STAFF, decision=ProposalStatus.SET_ASIDE)
    with pytest.raises(ProjectsError):  # only into an accepted proposal
        proposals.screen(world.wuzhong_staff, b, STAFF, decision=ProposalStatus.MERGED, merged_into=a)
    proposals.screen(world.wuzhong_staff, a, STAFF, decision=ProposalStatus.ACCEPTED)
    proposals.screen(world.wuzhong_staff, b, STAFF, decision=ProposalStatus.MERGED, merged_into=a)
    proposals.screen(
        world.wuzhong_staff, c, STAFF, decision=ProposalStatus.SET_ASIDE, reason=SetAsideReason.BUDGET, note="超预算"
    )
    assert dict(Proposal.objects.values_list("title", "status")) == {
        "甲": "accepted",
        "乙": "merged",
        "丙": "set_aside",
    }
    assert Proposal.objects.get(title="丙").screening_note == "超预算"
    assert round_.events.filter(kind=EventKind.SCREENED).count() == 3


def test_candidate_list_needs_the_surplus(world):
    round_ = make_round(world, phase=Phase.CANDIDATES, places=2, min_extra=1, min_ratio=Decimal("1.5"))
    pool = proposals.propose(make_round(world), role=Role.PUBLIC, roles=PUBLIC, title="p", description="d")
    Proposal.objects.filter(pk=pool.pk).update(round=round_, status=ProposalStatus.ACCEPTED)
    pool.refresh_from_db()
    for n in range(3):
        candidates.add_project(
            world.wuzhong_staff,
            round_,
            STAFF,
            title=f"项目{n}",
            description="d",
            budget=Decimal("50"),
            lead_unit=world.wuzhong_unit,
            timeline="年内",
            proposals=[pool],
        )
    with pytest.raises(ProjectsError):  # 3 = ceil(2 × 1.5) is fine; but a gusu unit is not
        candidates.add_project(
            world.wuzhong_staff,
            round_,
            STAFF,
            title="x",
            description="d",
            budget=Decimal("1"),
            lead_unit=world.gusu_unit,
            timeline="t",
        )
    round_.min_ratio = Decimal("2.0")
    round_.save()
    with pytest.raises(ProjectsError, match="4"):
        candidates.publish_candidates(world.wuzhong_staff, round_, STAFF)
    assert Round.objects.get(pk=round_.pk).candidates_published_at is None
    round_.min_ratio = Decimal("1.5")
    round_.save()
    candidates.publish_candidates(world.wuzhong_staff, round_, STAFF)
    assert list(pool.projects.values_list("number", flat=True)) == [1, 2, 3]
    project = round_.projects.first()
    with pytest.raises(ProjectsError):  # published: frozen
        candidates.update_project(world.wuzhong_staff, project, STAFF, title="改名")
    assert round_.events.filter(kind=EventKind.CANDIDATE).count() == 3
    assert round_.events.filter(kind=EventKind.CANDIDATES_PUBLISHED).count() == 1


def test_candidate_changes_are_history(world):
    round_ = make_round(world, phase=Phase.CANDIDATES)
    (project,) = add_candidates(world, round_, 1, publish=False)
    candidates.update_project(world.wuzhong_staff, project, STAFF, budget=Decimal("120"))
    candidates.remove_project(world.wuzhong_staff, project, STAFF)
    texts = list(round_.events.values_list("text", flat=True))
    assert len(texts) == 2 and "预算" in texts[0] and "项目1" in texts[1]
