"""The counting rules at their boundaries: surplus, quorum, results with ties, the satisfaction verdict."""

from decimal import Decimal

import pytest

from ..models import Result, Verdict
from ..rules import PaperCount, elect, min_candidates, paper_count_errors, quorum_met, verdict

HALF = Decimal("0.5")


@pytest.mark.parametrize(
    ("places", "extra", "ratio", "needed"),
    [
        (10, 1, Decimal("1.0"), 11),  # 差额 always means more than the places
        (10, 0, Decimal("1.0"), 11),
        (10, 1, Decimal("2.0"), 20),  # "20 for 10"
        (10, 5, Decimal("1.2"), 15),
        (3, 0, Decimal("1.5"), 5),  # ceil(4.5)
    ],
)
def test_min_candidates(places, extra, ratio, needed):
    assert min_candidates(places, extra, ratio) == needed


def test_quorum_is_more_than_the_fraction():
    assert not quorum_met(5, 10, HALF)
    assert quorum_met(6, 10, HALF)
    assert quorum_met(2, 3, Decimal("0.666"))
    assert not quorum_met(0, 0, HALF)


def test_elect_most_votes_within_places_above_threshold():
    votes = {1: 9, 2: 8, 3: 7, 4: 3}
    assert elect(votes, places=2, present=10, threshold=HALF) == {
        1: Result.ELECTED,
        2: Result.ELECTED,
        3: Result.NOT_ELECTED,
        4: Result.NOT_ELECTED,
    }


def test_elect_threshold_is_strictly_more_than_half_of_present():
    # 5 of 10 present is not more than half: fewer elected than places rather than a minority elected.
    votes = {1: 6, 2: 5, 3: 5}
    assert elect(votes, places=2, present=10, threshold=HALF) == {
        1: Result.ELECTED,
        2: Result.NOT_ELECTED,
        3: Result.NOT_ELECTED,
    }


def test_elect_tie_at_the_boundary_is_flagged_not_broken():
    votes = {1: 9, 2: 7, 3: 7, 4: 2}
    assert elect(votes, places=2, present=10, threshold=HALF) == {
        1: Result.ELECTED,
        2: Result.TIE,
        3: Result.TIE,
        4: Result.NOT_ELECTED,
    }


def test_elect_tie_inside_the_places_is_no_problem():
    votes = {1: 8, 2: 8, 3: 6, 4: 2}
    assert elect(votes, places=2, present=10, threshold=HALF) == {
        1: Result.ELECTED,
        2: Result.ELECTED,
        3: Result.NOT_ELECTED,
        4: Result.NOT_ELECTED,
    }


def test_elect_tie_of_all_for_one_place():
    votes = {1: 7, 2: 7, 3: 7}
    assert elect(votes, places=1, present=10, threshold=HALF) == {1: Result.TIE, 2: Result.TIE, 3: Result.TIE}


def test_elect_tie_below_threshold_is_just_not_elected():
    votes = {1: 9, 2: 4, 3: 4}
    assert elect(votes, places=2, present=10, threshold=HALF) == {
        1: Result.ELECTED,
        2: Result.NOT_ELECTED,
        3: Result.NOT_ELECTED,
    }


@pytest.mark.parametrize(
    ("satisfied", "basic", "valid", "expected"),
    [
        (6, 0, 10, Verdict.SATISFIED),  # 满意 > half
        (5, 0, 10, Verdict.UNSATISFIED),  # exactly half is not more than half, and 满意+基本满意 is half too
        (5, 1, 10, Verdict.BASIC),  # 满意 + 基本满意 = 6 > half
        (0, 6, 10, Verdict.BASIC),
        (0, 5, 10, Verdict.UNSATISFIED),
        (4, 1, 9, Verdict.BASIC),  # 5 > 4.5
        (5, 0, 9, Verdict.SATISFIED),
        (0, 0, 0, Verdict.UNSATISFIED),
    ],
)
def test_satisfaction_rule_boundaries(satisfied, basic, valid, expected):
    assert verdict(satisfied, basic, valid, satisfied_fraction=HALF, basic_fraction=HALF) == expected


def test_satisfaction_rule_is_configurable():
    two_thirds = Decimal("0.667")
    assert verdict(6, 0, 10, satisfied_fraction=two_thirds, basic_fraction=two_thirds) == Verdict.UNSATISFIED
    assert verdict(6, 1, 10, satisfied_fraction=two_thirds, basic_fraction=two_thirds) == Verdict.BASIC
    assert verdict(7, 0, 10, satisfied_fraction=two_thirds, basic_fraction=two_thirds) == Verdict.SATISFIED


def _count(**changes):
    values = dict(issued=10, returned=9, valid=8, invalid=1, blank=1, lines={1: {"for": 5, "against": 2, "abstain": 1}})
    values.update(changes)
    return PaperCount(**values)


OPTIONS = ("for", "against", "abstain")


def test_paper_count_that_adds_up():
    assert paper_count_errors(_count(), options=OPTIONS, places=1, may_issue=10) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"issued": 11, "returned": 9},  # more issued than present deputies without an electronic vote
        {"returned": 11, "valid": 10},  # more returned than issued
        {"invalid": 2},  # valid + invalid ≠ returned
        {"blank": 9},  # more blank than valid
        {"lines": {1: {"for": 5, "against": 2, "abstain": 2}}},  # votes ≠ valid
        {"lines": {1: {"for": 8}, 2: {"for": 8}}, "valid": 8},  # 16 "for" > 8 ballots × 1 place
    ],
)
def test_paper_count_that_does_not_add_up(changes):
    assert paper_count_errors(_count(**changes), options=OPTIONS, places=1, may_issue=10)
