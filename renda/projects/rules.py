"""The counting rules, as pure functions over numbers: surplus, quorum, the paper count, results, the verdict.

Every comparison is exact (Decimal fractions of whole numbers, never floats), and "more than half" means strictly
more: 5 of 10 is not more than half.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Option, Result, Verdict


def min_candidates(places: int, min_extra: int, min_ratio: Decimal) -> int:
    """The fewest candidates a list for `places` may have: 差额 means always more than the places."""
    return max(places + 1, places + min_extra, math.ceil(Decimal(places) * Decimal(min_ratio)))


def more_than(count: int, fraction: Decimal, base: int) -> bool:
    """count > fraction × base, exactly."""
    return Decimal(count) > Decimal(fraction) * Decimal(base)


def quorum_met(present: int, entitled: int, fraction: Decimal) -> bool:
    return entitled > 0 and more_than(present, fraction, entitled)


@dataclass
class PaperCount:
    issued: int
    returned: int
    valid: int
    invalid: int
    blank: int
    # {project id: {option: votes}} for every project on the ballot.
    lines: dict[int, dict[str, int]] = field(default_factory=dict)


def paper_count_errors(count: PaperCount, *, options, places: int | None, may_issue: int) -> list[str]:
    """Why a paper count does not add up (empty when it does).

    - issued ≤ the present deputies who did not vote electronically (`may_issue`); returned ≤ issued;
    - valid + invalid = returned; blank ≤ valid (a blank ballot is valid and abstains on every project);
    - for each project, the options' votes add up to the valid ballots;
    - on a vote, the "for" votes of all projects together are at most valid × places (each ballot ≤ places "for").
    """
    errors = []
    if count.issued > may_issue:
        errors.append(
            _("%(issued)d ballots issued, but only %(may)d present deputies could receive a paper ballot.")
            % {"issued": count.issued, "may": may_issue}
        )
    if count.returned > count.issued:
        errors.append(_("More ballots returned than issued."))
    if count.valid + count.invalid != count.returned:
        errors.append(
            _("Valid (%(valid)d) and invalid (%(invalid)d) ballots must add up to the returned ballots (%(returned)d).")
            % {"valid": count.valid, "invalid": count.invalid, "returned": count.returned}
        )
    if count.blank > count.valid:
        errors.append(_("Blank ballots are counted among the valid ones: there cannot be more blank than valid."))
    for project_id, votes in count.lines.items():
        total = sum(votes.get(option, 0) for option in options)
        if total != count.valid:
            errors.append(
                _("Project %(project)s: the votes add up to %(total)d, not to the %(valid)d valid ballots.")
                % {"project": project_id, "total": total, "valid": count.valid}
            )
    if places is not None:
        total_for = sum(votes.get(Option.FOR, 0) for votes in count.lines.values())
        if total_for > count.valid * places:
            errors.append(
                _("%(total)d votes for in all, more than %(places)d per valid ballot allows.")
                % {"total": total_for, "places": places}
            )
    return errors


def elect(votes_for: dict[int, int], *, places: int, present: int, threshold: Decimal) -> dict[int, str]:
    """The result of each candidate: the most "for" votes within the places, each above threshold × present.

    Candidates below the threshold are not elected whatever their rank. Among the others, a group tied on votes
    that straddles the last place is flagged TIE (all of them) for a decision; nothing is broken silently.
    """
    passing = sorted(
        (pk for pk, votes in votes_for.items() if more_than(votes, threshold, present)),
        key=lambda pk: -votes_for[pk],
    )
    results = {pk: Result.NOT_ELECTED for pk in votes_for}
    if len(passing) <= places:
        for pk in passing:
            results[pk] = Result.ELECTED
        return results
    boundary = votes_for[passing[places - 1]] if places else None
    above = [pk for pk in passing if places and votes_for[pk] > boundary]
    tied = [pk for pk in passing if places and votes_for[pk] == boundary]
    for pk in above:
        results[pk] = Result.ELECTED
    if len(above) + len(tied) <= places:
        for pk in tied:
            results[pk] = Result.ELECTED
    else:
        for pk in tied:
            results[pk] = Result.TIE
    return results


def verdict(satisfied: int, basic: int, valid: int, *, satisfied_fraction: Decimal, basic_fraction: Decimal) -> str:
    """满意 if 满意 > satisfied_fraction × valid; 基本满意 if 满意 + 基本满意 > basic_fraction × valid; else 不满意."""
    if valid and more_than(satisfied, satisfied_fraction, valid):
        return Verdict.SATISFIED
    if valid and more_than(satisfied + basic, basic_fraction, valid):
        return Verdict.BASIC
    return Verdict.UNSATISFIED
