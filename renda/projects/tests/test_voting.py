"""A session from roll to results: presence and quorum, electronic casting with receipts, the paper count, the
scrutineers' sign-off, results with ties, and the satisfaction evaluation — through the actions, then the database."""

import datetime

import pytest
from django.utils import timezone

from ..actions import ProjectsError, rounds, sessions, voting
from ..ballots import commitment
from ..counting import count_record
from ..models import (
    Ballot,
    EventKind,
    Method,
    Receipt,
    Result,
    RollEntry,
    SessionKind,
    SessionStatus,
    Verdict,
)
from ..phases import Phase
from ..rules import PaperCount
from .helpers import DEPUTY, STAFF, add_candidates, choices_for, make_deputies, make_round, voting_session

SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def setup(world):
    """A 吴中区 round with 2 places and 3 candidates, 5 more deputies (6 entitled with deputy_wz), all present."""
    round_ = make_round(world, phase=Phase.VOTING, places=2)
    projects = add_candidates(world, round_, 3)
    deputies = [world.deputy_wz, *make_deputies(world, 5)]
    session = voting_session(world, round_)
    return round_, projects, deputies, session


def test_the_roll_is_fixed_when_the_session_opens(world, setup):
    round_, projects, deputies, session = setup
    assert set(session.roll.values_list("deputy_id", flat=True)) == {d.pk for d in deputies}
    latecomer = make_deputies(world, 1, prefix="late")[0]
    assert not session.roll.filter(deputy=latecomer).exists()
    with pytest.raises(ProjectsError):
        sessions.record_presence(world.wuzhong_staff, session, STAFF, [latecomer.pk])
    # 姑苏 and city deputies are not entitled in a 吴中区 round
    assert not session.roll.filter(deputy__in=[world.deputy_gs, world.deputy_city]).exists()


def test_quorum_is_checked_before_voting_starts(world):
    round_ = make_round(world, phase=Phase.VOTING)
    add_candidates(world, round_, 3)
    deputies = [world.deputy_wz, *make_deputies(world, 5)]
    session = voting_session(world, round_, present=[d.pk for d in deputies[:3]], start=False)
    with pytest.raises(ProjectsError, match="3"):
        sessions.start_voting(world.wuzhong_staff, session, STAFF)
    assert session.__class__.objects.get(pk=session.pk).status == SessionStatus.OPEN
    sessions.record_presence(world.wuzhong_staff, session, STAFF, [d.pk for d in deputies[:4]])
    sessions.start_voting(world.wuzhong_staff, session, STAFF)
    assert session.__class__.objects.get(pk=session.pk).status == SessionStatus.VOTING


def test_cast_gives_a_receipt_with_the_commitment(world, setup):
    round_, projects, deputies, session = setup
    choices = choices_for(projects, for_=projects[:2], against=projects[2:])
    receipt = voting.cast(world.deputy_user, session, world.deputy_wz, DEPUTY, choices, SECRET)
    assert receipt.commitment == commitment(choices, SECRET)
    stored = Receipt.objects.get(code=receipt.code)
    assert stored.commitment == receipt.commitment
    assert list(Ballot.objects.values_list("choices", flat=True)) == [choices]
    assert RollEntry.objects.get(session=session, deputy=world.deputy_wz).voted
    assert SECRET not in str(list(Receipt.objects.values())) + str(list(Ballot.objects.values()))


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("twice", "twice"),
        ("too_many_for", "too_many"),
        ("incomplete", "incomplete"),
        ("not_on_roll", "not_on_roll"),
        ("absent", "absent"),
        ("before_window", "window"),
        ("after_window", "window"),
        ("closed", "not_voting"),
        ("bad_secret", "secret"),
        ("paper_session", "not_voting"),
    ],
)
def test_cast_refusals(world, setup, case, code):
    round_, projects, deputies, session = setup
    deputy, user = world.deputy_wz, world.deputy_user
    choices = choices_for(projects, for_=projects[:1])
    secret, now = SECRET, timezone.now()
    if case == "twice":
        voting.cast(user, session, deputy, DEPUTY, choices, secret)
    elif case == "too_many_for":
        choices = choices_for(projects, for_=projects)
    elif case == "incomplete":
        choices = choices_for(projects[:2])
    elif case == "not_on_roll":
        deputy = world.deputy_gs
    elif case == "absent":
        sessions.record_presence(world.wuzhong_staff, session, STAFF, [d.pk for d in deputies[1:]])
    elif case == "before_window":
        now = session.starts_at - datetime.timedelta(seconds=1)
    elif case == "after_window":
        now = session.ends_at + datetime.timedelta(seconds=1)
    elif case == "closed":
        sessions.close_voting(world.wuzhong_staff, session, STAFF)
    elif case == "bad_secret":
        secret = "short"
    elif case == "paper_session":
        session.method = Method.PAPER
        session.save()
    ballots, receipts = Ballot.objects.count(), Receipt.objects.count()
    with pytest.raises(ProjectsError) as refused:
        voting.cast(user, session, deputy, DEPUTY, choices, secret, now=now)
    assert refused.value.code == code
    assert Ballot.objects.count() == ballots and Receipt.objects.count() == receipts


def _cast_all(world, session, deputies, projects, patterns):
    for deputy, pattern in zip(deputies, patterns, strict=False):
        voting.cast(deputy.user, session, deputy, DEPUTY, choices_for(projects, **pattern), SECRET)


def test_electronic_session_to_results(world, setup):
    round_, projects, deputies, session = setup
    a, b, c = projects
    _cast_all(
        world,
        session,
        deputies,
        projects,
        [{"for_": [a, b]}] * 4 + [{"for_": [a, c]}, {"for_": [c], "against": [b]}],
    )
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    record = count_record(type(session).objects.get(pk=session.pk))
    assert (record.entitled, record.present, record.issued, record.valid) == (6, 6, 6, 6)
    assert [votes["for"] for _p, votes in record.lines] == [5, 4, 2]
    with pytest.raises(ProjectsError):  # only scrutineers sign
        sessions.sign_off(deputies[1].user, session, DEPUTY, deputies[1])
    with pytest.raises(ProjectsError):  # not before it is signed
        sessions.publish_results(world.wuzhong_staff, session, STAFF)
    sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    with pytest.raises(ProjectsError):
        sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    with pytest.raises(ProjectsError):  # after the count is signed nobody votes
        voting.cast(deputies[5].user, session, deputies[5], DEPUTY, choices_for(projects), SECRET)
    sessions.publish_results(world.wuzhong_staff, session, STAFF)
    results = {p.number: (p.result, p.votes_for) for p in round_.projects.all()}
    assert results == {1: (Result.ELECTED, 5), 2: (Result.ELECTED, 4), 3: (Result.NOT_ELECTED, 2)}
    kinds = list(round_.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.RESULT) == 3 and EventKind.SIGNED in kinds and EventKind.COUNT in kinds
    rounds.advance(world.wuzhong_staff, round_, STAFF)
    round_.refresh_from_db()
    assert round_.phase == Phase.RESULTS


def test_below_the_threshold_is_not_a_tie(world, setup):
    round_, projects, deputies, session = setup
    a, b, c = projects
    _cast_all(world, session, deputies, projects, [{"for_": [a, b]}] * 2 + [{"for_": [a, c]}] * 2 + [{"for_": [a]}])
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    sessions.publish_results(world.wuzhong_staff, session, STAFF)
    # b and c have 2 each, not more than half of 6 present: neither is elected, so no tie.
    assert {p.number: p.result for p in round_.projects.all()} == {
        1: Result.ELECTED,
        2: Result.NOT_ELECTED,
        3: Result.NOT_ELECTED,
    }


def test_most_votes_win_within_the_places(world):
    round_ = make_round(world, phase=Phase.VOTING, places=2)
    a, b, c = add_candidates(world, round_, 3)
    deputies = [world.deputy_wz, *make_deputies(world, 6)]
    session = voting_session(world, round_)
    _cast_all(
        world, session, deputies, [a, b, c], [{"for_": [a, b]}] * 2 + [{"for_": [a, c]}] * 2 + [{"for_": [b, c]}] * 3
    )
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    sessions.publish_results(world.wuzhong_staff, session, STAFF)
    # a 4, b 5, c 5 of 7 present: all pass (> 3.5); b and c take the two places.
    assert {p.number: p.result for p in round_.projects.all()} == {
        1: Result.NOT_ELECTED,
        2: Result.ELECTED,
        3: Result.ELECTED,
    }


def _tie_round(world):
    round_ = make_round(world, phase=Phase.VOTING, places=1, threshold_fraction="0.4")
    a, b, c = add_candidates(world, round_, 3)
    deputies = [world.deputy_wz, *make_deputies(world, 3)]
    session = voting_session(world, round_)
    _cast_all(world, session, deputies, [a, b, c], [{"for_": [a]}] * 2 + [{"for_": [b]}] * 2)
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    sessions.publish_results(world.wuzhong_staff, session, STAFF)
    round_.refresh_from_db()
    return round_, a, b, c


def test_tie_at_the_boundary_is_flagged_then_decided(world):
    """a and b: 2 of 4 present each; with a threshold of 0.4 both pass and tie for the one place."""
    round_, a, b, c = _tie_round(world)
    assert {p.number: p.result for p in round_.projects.all()} == {1: Result.TIE, 2: Result.TIE, 3: Result.NOT_ELECTED}
    rounds.advance(world.wuzhong_staff, round_, STAFF)  # to RESULTS
    round_.refresh_from_db()
    with pytest.raises(ProjectsError):  # the tie blocks implementation
        rounds.advance(world.wuzhong_staff, round_, STAFF)
    with pytest.raises(ProjectsError):  # exactly the free places
        sessions.decide_tie(world.wuzhong_staff, round_, STAFF, elected=[a, b], note="再次投票")
    with pytest.raises(ProjectsError):  # a reason
        sessions.decide_tie(world.wuzhong_staff, round_, STAFF, elected=[a], note=" ")
    sessions.decide_tie(world.wuzhong_staff, round_, STAFF, elected=[b], note="第二轮投票 3:1")
    assert {p.number: p.result for p in round_.projects.all()} == {
        1: Result.NOT_ELECTED,
        2: Result.ELECTED,
        3: Result.NOT_ELECTED,
    }
    assert round_.events.filter(kind=EventKind.DECISION).count() == 2
    rounds.advance(world.wuzhong_staff, round_, STAFF)
    round_.refresh_from_db()
    assert round_.phase == Phase.IMPLEMENTATION


def test_paper_count_must_add_up_and_is_frozen_once_signed(world):
    round_ = make_round(world, phase=Phase.VOTING, places=2)
    a, b, c = add_candidates(world, round_, 3)
    [world.deputy_wz, *make_deputies(world, 5)]
    session = voting_session(world, round_, method=Method.PAPER)
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    with pytest.raises(ProjectsError):  # the record is incomplete
        sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    bad = PaperCount(6, 6, 5, 0, 0, {a.pk: {"for": 5}, b.pk: {"for": 4, "against": 1}, c.pk: {"abstain": 5}})
    with pytest.raises(ProjectsError) as refused:
        sessions.enter_paper_count(world.wuzhong_staff, session, STAFF, bad)
    assert refused.value.code == "does_not_add_up"
    session.refresh_from_db()
    assert session.paper_issued is None and not session.tallies.filter(source="paper").exists()
    good = PaperCount(
        6,
        6,
        5,
        1,
        1,
        {a.pk: {"for": 4, "abstain": 1}, b.pk: {"for": 3, "against": 1, "abstain": 1}, c.pk: {"abstain": 5}},
    )
    sessions.enter_paper_count(world.wuzhong_staff, session, STAFF, good)
    record = count_record(type(session).objects.get(pk=session.pk))
    assert (record.issued, record.returned, record.valid, record.invalid, record.blank) == (6, 6, 5, 1, 1)
    sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    with pytest.raises(ProjectsError):
        sessions.enter_paper_count(world.wuzhong_staff, session, STAFF, good)
    sessions.publish_results(world.wuzhong_staff, session, STAFF)
    assert {p.number: p.result for p in round_.projects.all()} == {
        1: Result.ELECTED,
        2: Result.NOT_ELECTED,  # 3 of 6 present is not more than half
        3: Result.NOT_ELECTED,
    }


def test_mixed_session_adds_electronic_and_paper(world):
    round_ = make_round(world, phase=Phase.VOTING, places=2)
    a, b, c = add_candidates(world, round_, 3)
    deputies = [world.deputy_wz, *make_deputies(world, 5)]
    session = voting_session(world, round_, method=Method.MIXED)
    _cast_all(world, session, deputies[:2], [a, b, c], [{"for_": [a, b]}] * 2)
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    too_many = PaperCount(5, 5, 5, 0, 0, {p.pk: {"for": 5} if p == a else {"abstain": 5} for p in (a, b, c)})
    with pytest.raises(ProjectsError):  # only 4 present deputies did not vote electronically
        sessions.enter_paper_count(world.wuzhong_staff, session, STAFF, too_many)
    paper = PaperCount(
        4, 4, 4, 0, 0, {a.pk: {"for": 4}, b.pk: {"for": 2, "against": 2}, c.pk: {"for": 1, "abstain": 3}}
    )
    sessions.enter_paper_count(world.wuzhong_staff, session, STAFF, paper)
    record = count_record(type(session).objects.get(pk=session.pk))
    assert (record.issued, record.valid) == (6, 6)
    assert [votes["for"] for _p, votes in record.lines] == [6, 4, 1]


def test_satisfaction_evaluation(world):
    round_ = make_round(world, phase=Phase.EVALUATION, places=2)
    a, b, c = add_candidates(world, round_, 3)
    for project, result in ((a, Result.ELECTED), (b, Result.ELECTED), (c, Result.NOT_ELECTED)):
        project.result = result
        project.save()
    deputies = [world.deputy_wz, *make_deputies(world, 5)]
    session = voting_session(world, round_, kind=SessionKind.EVALUATION)
    patterns = [
        {a.pk: "satisfied", b.pk: "basic"},
        {a.pk: "satisfied", b.pk: "basic"},
        {a.pk: "satisfied", b.pk: "unsatisfied"},
        {a.pk: "satisfied", b.pk: "unsatisfied"},
        {a.pk: "basic", b.pk: "satisfied"},
        {a.pk: "unsatisfied", b.pk: "unsatisfied"},
    ]
    with pytest.raises(ProjectsError):  # the not-elected project is not on the ballot
        voting.cast(world.deputy_user, session, world.deputy_wz, DEPUTY, {**patterns[0], c.pk: "satisfied"}, SECRET)
    for deputy, choices in zip(deputies, patterns, strict=True):
        voting.cast(deputy.user, session, deputy, DEPUTY, choices, SECRET)
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    sessions.publish_results(world.wuzhong_staff, session, STAFF)
    verdicts = {p.number: (p.verdict, p.follow_up) for p in round_.projects.all()}
    # a: 4 satisfied of 6 > half → 满意; b: 1 + 2 = 3 of 6, not more than half → 不满意, on the follow-up list.
    assert verdicts == {1: (Verdict.SATISFIED, False), 2: (Verdict.UNSATISFIED, True), 3: ("", False)}
    assert round_.events.filter(kind=EventKind.VERDICT).count() == 2
    rounds.advance(world.wuzhong_staff, round_, STAFF)
    round_.refresh_from_db()
    assert round_.phase == Phase.CLOSED


def test_a_joint_meeting_sits_with_the_deputies_of_its_towns(world):
    """A zone's round whose electorate names 木渎镇: deputy_wz (elected there) is on the roll, others are not."""
    round_ = make_round(world, phase=Phase.VOTING, region=world.resort)
    round_.electorate.add(world.mudu)
    add_candidates(world, round_, 3)
    session = voting_session(world, round_, start=False)
    assert list(session.roll.values_list("deputy_id", flat=True)) == [world.deputy_wz.pk]
