"""The opinion workflow: every state, every action, who may take it and from where — declared once, here.

`TRANSITIONS[action]` = (states it may start from, state it leads to, roles that may take it). Actions whose
target depends on input (rating) name None and `actions.py` decides. A forged or stale request — an action from a
state not listed, or by a role not listed — is refused by `actions.perform` before anything changes.

Rules that need the database (which units an opinion may be forwarded to, which opinions it may be merged into) are
in `rules.py`, built on the states declared here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    # A context: the imports catalogue (loaded first) already says "refused" of rows not imported.
    REFUSED = "refused", pgettext_lazy("opinion state", "refused")
    MERGED = "merged", _("merged")
    HANDLING = "handling", _("being handled by the deputy or station")
    FORWARDED = "forwarded", _("forwarded to a handling unit")
    EXTENSION_REQUESTED = "extension_requested", _("extension requested")
    REASSIGN_REQUESTED = "reassign_requested", _("reassignment requested")
    UNIT_REPLIED = "unit_replied", _("unit replied")
    SUGGESTION = "suggestion", _("turned into a formal suggestion")
    CLOSED = "closed", _("answered, awaiting rating")
    REOPENED = "reopened", _("reopened for re-handling")
    FINAL = "final", _("finally closed")


class Actor(models.TextChoices):
    """Who takes an action, as the workflow sees them (derived from grants by access.roles_on)."""

    STAFF = "staff", _("congress staff")
    KEEPER = "keeper", _("station keeper")
    DEPUTY = "deputy", _("deputy")
    UNIT = "unit", _("handling unit")
    CONSTITUENT = "constituent", _("constituent")
    SYSTEM = "system", _("system")


class Action(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    SUPPORT = "support", _("another constituent: mine too")
    ACCEPT = "accept", _("accept")
    REFUSE = "refuse", _("refuse")
    MERGE = "merge", _("merge into another opinion")
    ANSWER_ON_SPOT = "answer_on_spot", _("answer on the spot")
    HANDLE = "handle", _("handle at the station")
    FORWARD = "forward", _("forward to a handling unit")
    TO_SUGGESTION = "to_suggestion", _("turn into a formal suggestion")
    UNIT_REPLY = "unit_reply", _("unit reply")
    REQUEST_REASSIGN = "request_reassign", _("ask for reassignment")
    REQUEST_EXTENSION = "request_extension", _("ask for an extension")
    GRANT_EXTENSION = "grant_extension", _("grant the extension")
    REFUSE_EXTENSION = "refuse_extension", _("refuse the extension")
    REPLY = "reply", _("reply to the constituent")
    RATE = "rate", _("rate")
    AUTO_CLOSE = "auto_close", _("close without rating")
    NOTE = "note", _("internal note")


S, A, R = State, Action, Actor
TRIAGE = {R.STAFF, R.KEEPER, R.DEPUTY}
OPEN_FOR_HANDLING = {S.ACCEPTED, S.HANDLING, S.REASSIGN_REQUESTED, S.REOPENED}

TRANSITIONS: dict[str, tuple[set[str], str | None, set[str]]] = {
    # "Mine too" changes no state; an opinion still being worked on (or awaiting rating) takes supporters. A merge is
    # the staff's "mine too" on the submitter's behalf, so the states a merge target may be in are these too.
    A.SUPPORT: (set(State.values) - {S.REFUSED, S.MERGED, S.FINAL}, None, {R.CONSTITUENT}),
    A.ACCEPT: ({S.SUBMITTED}, S.ACCEPTED, TRIAGE),
    A.REFUSE: ({S.SUBMITTED, S.ACCEPTED}, S.REFUSED, TRIAGE),
    A.MERGE: ({S.SUBMITTED, S.ACCEPTED}, S.MERGED, TRIAGE),
    A.ANSWER_ON_SPOT: ({S.SUBMITTED, S.ACCEPTED}, S.CLOSED, {R.KEEPER, R.DEPUTY}),
    A.HANDLE: ({S.ACCEPTED, S.REASSIGN_REQUESTED, S.REOPENED}, S.HANDLING, TRIAGE),
    A.FORWARD: (OPEN_FOR_HANDLING, S.FORWARDED, TRIAGE),
    A.TO_SUGGESTION: ({S.ACCEPTED, S.HANDLING, S.REOPENED}, S.SUGGESTION, {R.DEPUTY}),
    A.UNIT_REPLY: ({S.FORWARDED}, S.UNIT_REPLIED, {R.UNIT}),
    A.REQUEST_REASSIGN: ({S.FORWARDED}, S.REASSIGN_REQUESTED, {R.UNIT}),
    A.REQUEST_EXTENSION: ({S.FORWARDED}, S.EXTENSION_REQUESTED, {R.UNIT}),
    A.GRANT_EXTENSION: ({S.EXTENSION_REQUESTED}, S.FORWARDED, {R.STAFF}),
    A.REFUSE_EXTENSION: ({S.EXTENSION_REQUESTED}, S.FORWARDED, {R.STAFF}),
    A.REPLY: ({S.HANDLING, S.UNIT_REPLIED}, S.CLOSED, TRIAGE),
    # 满意/基本满意 → final; 不满意 → reopened the first time, final after that (decided in actions.rate).
    A.RATE: ({S.CLOSED}, None, {R.CONSTITUENT}),
    A.AUTO_CLOSE: ({S.CLOSED}, S.FINAL, {R.SYSTEM}),
    # A note changes no state; staff-side roles may add one in any state.
    A.NOTE: (set(State.values), None, {R.STAFF, R.KEEPER, R.DEPUTY, R.UNIT}),
}

# States in which the opinion waits on someone, and which deadline step applies (see models.DeadlineRule).
STEP_BY_STATE = {
    S.SUBMITTED: "acknowledge",
    S.ACCEPTED: "handle",
    S.HANDLING: "handle",
    S.REASSIGN_REQUESTED: "handle",
    S.REOPENED: "handle",
    S.FORWARDED: "unit",
    S.EXTENSION_REQUESTED: "unit",
    S.UNIT_REPLIED: "reply",
    S.CLOSED: "rate",
}
OPEN_STATES = set(STEP_BY_STATE) - {S.CLOSED}
# Finished: the staff's work is done (answered and awaiting rating, or ended). Entering one sets `closed_at`, and the
# statistics count these as handled.
DONE_STATES = {S.REFUSED, S.MERGED, S.SUGGESTION, S.FINAL, S.CLOSED}
SUPPORTABLE_STATES = TRANSITIONS[A.SUPPORT][0]
MERGE_TARGET_STATES = SUPPORTABLE_STATES


class RefusalReason(models.TextChoices):
    IN_LITIGATION = "litigation", _("in litigation or arbitration (涉诉涉法)")
    NOT_CONGRESS = "not_congress", _("outside the congress's remit")
    PERSONAL_DISPUTE = "personal", _("a personal dispute")
    DUPLICATE = "duplicate", _("a duplicate")
    NO_CONTENT = "no_content", _("no substantive content")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


def allowed(action: str, state: str, role: str) -> bool:
    sources, _target, roles = TRANSITIONS[action]
    return state in sources and role in roles


def start_states(action: str) -> set[str]:
    """The states `action` may start from."""
    return TRANSITIONS[action][0]


def actions_for(state: str, roles: set[str]) -> list[str]:
    """The actions any of `roles` may take now, in table order (drives which buttons a page shows)."""
    return [action for action in TRANSITIONS if any(allowed(action, state, role) for role in roles)]


# 办件进度, the constituent's step bar: 提交 → 受理 → 办理 → 答复 → 评价. Where an opinion stands follows from the table
# above, not from a list per template: the deadline step it waits on (STEP_BY_STATE) says which step is under way,
# FINAL (reached only by rating or auto-closing a CLOSED opinion) has them all done, and the states that end an
# opinion early stop the bar at the step that ended it.
class ProgressStep(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("progress step", "Submitted")
    ACCEPT = "accept", pgettext_lazy("progress step", "Accepted")
    HANDLE = "handle", pgettext_lazy("progress step", "Handling")
    ANSWER = "answer", pgettext_lazy("progress step", "Answered")
    RATE = "rate", pgettext_lazy("progress step", "Rated")


_CURRENT_STEP_BY_DEADLINE = {"acknowledge": 1, "handle": 2, "unit": 2, "reply": 2, "rate": 4}
# Ended early: refused or merged at triage (the acceptance step), or taken up as a suggestion while being handled.
_STOPPED_AT = {TRANSITIONS[A.REFUSE][1]: 1, TRANSITIONS[A.MERGE][1]: 1, TRANSITIONS[A.TO_SUGGESTION][1]: 2}


def progress(state: str) -> list[dict]:
    """The step bar for an opinion in `state`: [{step, label, status}], status "done", "current", "stopped" or
    "todo"."""
    steps = list(ProgressStep)
    if state in STEP_BY_STATE:
        current, mark = _CURRENT_STEP_BY_DEADLINE[STEP_BY_STATE[state]], "current"
    elif state in _STOPPED_AT:
        current, mark = _STOPPED_AT[state], "stopped"
    else:  # FINAL: everything done
        current, mark = len(steps), ""
    return [
        {"step": step.value, "label": step.label, "status": "done" if i < current else mark if i == current else "todo"}
        for i, step in enumerate(steps)
    ]
