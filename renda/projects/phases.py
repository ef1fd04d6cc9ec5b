"""What is allowed when: a round's phases and the grid of who may do what in each, declared once, here.

adhocracy4 declares phases as data and asks the phase whether a role may take an action; this module does the same.
A round moves through `ORDER` one step at a time (`actions.rounds.advance`); every action calls `require(...)` first,
so a request in the wrong phase or by the wrong role is refused before anything changes. The tests walk the whole
grid (tests/test_phase_grid.py) through the actions themselves.

Roles as the grid sees them (derived from grants by `access.roles_on`):
- public: anyone, no account (a constituent on the phone)
- deputy: a deputy of the round's region (for casting: a deputy on the session's roll, present)
- unit: staff of a handling unit of the round's region (for progress: the project's lead unit)
- staff: congress staff whose scope covers the round's region
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    SOLICITATION = "solicitation", _("solicitation")
    SCREENING = "screening", _("screening")
    CANDIDATES = "candidates", _("candidate list")
    VOTING = "voting", pgettext_lazy("round phase", "voting")
    RESULTS = "results", _("results")
    IMPLEMENTATION = "implementation", _("implementation")
    EVALUATION = "evaluation", _("satisfaction evaluation")
    CLOSED = "closed", pgettext_lazy("round phase", "closed")


# The order a round goes through; CLOSED has no dates of its own.
ORDER = [
    Phase.SOLICITATION,
    Phase.SCREENING,
    Phase.CANDIDATES,
    Phase.VOTING,
    Phase.RESULTS,
    Phase.IMPLEMENTATION,
    Phase.EVALUATION,
    Phase.CLOSED,
]
DATED = ORDER[:-1]


class Role(models.TextChoices):
    PUBLIC = "public", _("constituent")
    DEPUTY = "deputy", _("deputy")
    UNIT = "unit", _("handling unit")
    STAFF = "staff", _("congress staff")


class Do(models.TextChoices):
    """Every action on a round, named once (the grid's columns)."""

    ADVANCE = "advance", _("move to the next phase")
    PROPOSE = "propose", _("propose a project")
    SUPPORT = "support", _("support a proposal (mine too)")
    PROMOTE_OPINION = "promote_opinion", _("turn an opinion into a proposal")
    SCREEN = "screen", _("screen a proposal")
    EDIT_CANDIDATES = "edit_candidates", _("edit the candidate list")
    PUBLISH_CANDIDATES = "publish_candidates", _("approve and publish the candidate list")
    PREPARE_SESSION = "prepare_session", _("prepare a session")
    OPEN_SESSION = "open_session", _("open a session (fix the roll)")
    RECORD_PRESENCE = "record_presence", _("record presence")
    START_VOTING = "start_voting", _("start voting")
    CAST = "cast", _("cast a ballot")
    CLOSE_VOTING = "close_voting", _("close voting")
    ENTER_PAPER_COUNT = "enter_paper_count", _("enter the paper count")
    SIGN_OFF = "sign_off", _("sign the count record")
    DECIDE_TIE = "decide_tie", _("decide a tie")
    PUBLISH_RESULTS = "publish_results", _("publish the results")
    PLAN_MILESTONES = "plan_milestones", _("plan milestones")
    COMPLETE_MILESTONE = "complete_milestone", _("complete a milestone")
    REPORT_PROGRESS = "report_progress", _("report progress")
    RECORD_VISIT = "record_visit", _("record a supervision visit")


S, D, U, P = Role.STAFF, Role.DEPUTY, Role.UNIT, Role.PUBLIC

# GRID[phase][action] = the roles that may take the action in that phase. Not listed: refused.
# Session actions appear in VOTING (the vote on the candidate list) and EVALUATION (the satisfaction vote).
_SESSION = {
    Do.PREPARE_SESSION: {S},
    Do.OPEN_SESSION: {S},
    Do.RECORD_PRESENCE: {S},
    Do.START_VOTING: {S},
    Do.CAST: {D},
    Do.CLOSE_VOTING: {S},
    Do.ENTER_PAPER_COUNT: {S},
    Do.SIGN_OFF: {D},
    Do.PUBLISH_RESULTS: {S},
}
# Implementation: the lead unit (or staff) plans and completes milestones and reports; deputies and staff supervise.
# Reports and visits go on during the evaluation.
_REPORTING = {Do.REPORT_PROGRESS: {S, U}, Do.RECORD_VISIT: {D, S}}
_DELIVERY = {Do.PLAN_MILESTONES: {S, U}, Do.COMPLETE_MILESTONE: {S, U}, **_REPORTING}
GRID: dict[str, dict[str, set[str]]] = {
    Phase.SOLICITATION: {
        Do.ADVANCE: {S},
        Do.PROPOSE: {P, D, U, S},
        Do.SUPPORT: {P},
        Do.PROMOTE_OPINION: {S},
    },
    Phase.SCREENING: {Do.ADVANCE: {S}, Do.SCREEN: {S}},
    Phase.CANDIDATES: {Do.ADVANCE: {S}, Do.EDIT_CANDIDATES: {S}, Do.PUBLISH_CANDIDATES: {S}},
    Phase.VOTING: {Do.ADVANCE: {S}, **_SESSION},
    Phase.RESULTS: {Do.ADVANCE: {S}, Do.DECIDE_TIE: {S}},
    Phase.IMPLEMENTATION: {Do.ADVANCE: {S}, **_DELIVERY},
    Phase.EVALUATION: {Do.ADVANCE: {S}, **_SESSION, **_REPORTING},
    Phase.CLOSED: {},
}


def allowed(phase: str, action: str, roles) -> bool:
    return bool(GRID.get(phase, {}).get(action, set()) & set(roles))


def next_phase(phase: str) -> str | None:
    index = ORDER.index(phase)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None
