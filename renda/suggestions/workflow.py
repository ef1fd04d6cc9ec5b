"""The suggestion / proposal workflow: every state, every action, who may take it and from where — declared once.

One engine, two configurations: a deputy's suggestion (代表建议, kind "congress") and a CPPCC member's proposal
(政协提案, kind "cppcc") go through the same table; only the periods (settings.SUGGESTION_PERIODS) and a few choices
(a proposal not registered may become a 社情民意 report) differ.

`TRANSITIONS[action]` = (states it may start from, state it leads to, roles that may take it). None as the target
means the action decides from its input (a signature may close the signing, a rating may send the item back) or
changes no state at all (a contact record, co-units' views, a key-item mark). Whatever is not in this table is
refused by `actions.perform` before anything changes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    CONGRESS = "congress", _("deputy's suggestion")
    CPPCC = "cppcc", _("CPPCC proposal")


class State(models.TextChoices):
    SIGNING = "signing", _("waiting for joint signers")
    SUBMITTED = "submitted", pgettext_lazy("suggestion state", "submitted, awaiting registration")
    WITHDRAWN = "withdrawn", _("withdrawn by the submitter")
    REGISTERED = "registered", _("registered, awaiting assignment")
    MERGED = "merged", pgettext_lazy("suggestion state", "merged into another")
    NOT_REGISTERED = "not_registered", _("not registered")
    ASSIGNED = "assigned", _("being handled by the units")
    RETURNED = "returned", _("returned by the unit, awaiting reassignment")
    EXTENSION_REQUESTED = "extension_requested", pgettext_lazy("suggestion state", "extension requested")
    REPLIED = "replied", _("replied, under office review")
    ANSWERED = "answered", _("answered, awaiting ratings")
    REHANDLING = "rehandling", _("being handled again")
    TRACKING = "tracking", _("answered, still tracked until solved")
    CLOSED = "closed", pgettext_lazy("suggestion state", "closed")


class Actor(models.TextChoices):
    """Who takes an action, as the workflow sees them (derived by access.roles_on)."""

    OFFICE = "office", _("suggestion office")
    AUTHOR = "author", _("submitter")
    SIGNER = "signer", _("joint signer")
    INVITEE = "invitee", _("invited joint signer")
    LEAD = "lead", _("lead unit")
    CO = "co", _("co-unit")
    SYSTEM = "system", pgettext_lazy("suggestion actor", "system")


class Action(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("suggestion action", "submit")
    SIGN = "sign", _("sign jointly")
    DECLINE = "decline", _("decline to sign")
    CLOSE_SIGNING = "close_signing", _("close the signing and send to the office")
    WITHDRAW = "withdraw", _("withdraw")
    REGISTER = "register", _("register")
    MERGE = "merge", _("merge into another (并案)")
    NOT_REGISTER = "not_register", _("do not register")
    ASSIGN = "assign", _("assign to units")
    RETURN = "return", _("return as wrongly assigned")
    CO_VIEWS = "co_views", _("send co-unit views to the lead unit")
    RECORD_CONTACT = "record_contact", _("record a contact with the submitter")
    CONFIRM_CONTACT = "confirm_contact", _("confirm the contact took place")
    REQUEST_EXTENSION = "request_extension", pgettext_lazy("suggestion action", "ask for an extension")
    GRANT_EXTENSION = "grant_extension", pgettext_lazy("suggestion action", "grant the extension")
    REFUSE_EXTENSION = "refuse_extension", pgettext_lazy("suggestion action", "refuse the extension")
    REPLY = "reply", _("send the reply")
    SEND_BACK = "send_back", _("send the reply back to the unit")
    ACCEPT_REPLY = "accept_reply", _("accept the reply and pass it to the submitters")
    RATE = "rate", pgettext_lazy("suggestion action", "rate")
    AUTO_CLOSE = "auto_close", _("close the rating period")
    FOLLOW_UP = "follow_up", _("report progress (follow-up)")
    MARK_SOLVED = "mark_solved", _("mark as solved")
    SET_KEY = "set_key", _("make a key item (重点督办)")


class ReplyCategory(models.TextChoices):
    A = "A", _("A: solved or basically solved")
    B = "B", _("B: being solved or planned")
    C = "C", _("C: to be solved when conditions allow")
    D = "D", _("D: kept for reference")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", pgettext_lazy("suggestion rating", "satisfied")
    BASICALLY = "basically", pgettext_lazy("suggestion rating", "basically satisfied")
    DISSATISFIED = "dissatisfied", pgettext_lazy("suggestion rating", "dissatisfied")


class Disposition(models.TextChoices):
    """What becomes of an item that is not registered."""

    LETTER = "letter", _("kept and handled as a letter")
    SOCIAL_REPORT = "social_report", _("converted into a social-conditions report (社情民意)")


class ContactMethod(models.TextChoices):
    MEETING = "meeting", _("meeting")
    CALL = "call", _("telephone call")
    VISIT = "visit", _("visit")


S, A, R = State, Action, Actor
PARTIES = {R.AUTHOR, R.SIGNER}
HANDLING = {S.ASSIGNED, S.EXTENSION_REQUESTED, S.REHANDLING}
BEFORE_ANSWER = {S.SUBMITTED, S.REGISTERED, S.ASSIGNED, S.RETURNED, S.EXTENSION_REQUESTED, S.REPLIED, S.REHANDLING}

TRANSITIONS: dict[str, tuple[set[str], str | None, set[str]]] = {
    # A signature or a refusal closes the signing once nobody is left to answer (decided in actions).
    A.SIGN: ({S.SIGNING}, None, {R.INVITEE}),
    A.DECLINE: ({S.SIGNING}, None, {R.INVITEE}),
    A.CLOSE_SIGNING: ({S.SIGNING}, S.SUBMITTED, {R.AUTHOR, R.SYSTEM}),
    A.WITHDRAW: ({S.SIGNING, S.SUBMITTED}, S.WITHDRAWN, {R.AUTHOR}),
    A.REGISTER: ({S.SUBMITTED}, S.REGISTERED, {R.OFFICE}),
    A.MERGE: ({S.SUBMITTED, S.REGISTERED}, S.MERGED, {R.OFFICE}),
    A.NOT_REGISTER: ({S.SUBMITTED}, S.NOT_REGISTERED, {R.OFFICE}),
    A.ASSIGN: ({S.REGISTERED, S.RETURNED}, S.ASSIGNED, {R.OFFICE}),
    # Only the office reassigns: a unit may hand an item back to the office, never on to another unit.
    A.RETURN: ({S.ASSIGNED}, S.RETURNED, {R.LEAD}),
    A.CO_VIEWS: (HANDLING, None, {R.CO}),
    A.RECORD_CONTACT: (HANDLING, None, {R.LEAD}),
    A.CONFIRM_CONTACT: (HANDLING, None, PARTIES),
    A.REQUEST_EXTENSION: ({S.ASSIGNED}, S.EXTENSION_REQUESTED, {R.LEAD}),
    A.GRANT_EXTENSION: ({S.EXTENSION_REQUESTED}, S.ASSIGNED, {R.OFFICE}),
    A.REFUSE_EXTENSION: ({S.EXTENSION_REQUESTED}, S.ASSIGNED, {R.OFFICE}),
    A.REPLY: ({S.ASSIGNED, S.REHANDLING}, S.REPLIED, {R.LEAD}),
    # Back to the round it came from: handling, or re-handling after 不满意.
    A.SEND_BACK: ({S.REPLIED}, None, {R.OFFICE}),
    A.ACCEPT_REPLY: ({S.REPLIED}, S.ANSWERED, {R.OFFICE}),
    # 不满意 sends it back once; when everyone has rated it closes, B/C items into tracking (decided in actions).
    A.RATE: ({S.ANSWERED}, None, PARTIES),
    A.AUTO_CLOSE: ({S.ANSWERED}, None, {R.SYSTEM}),
    A.FOLLOW_UP: ({S.TRACKING}, None, {R.LEAD}),
    A.MARK_SOLVED: ({S.TRACKING}, S.CLOSED, {R.OFFICE}),
    A.SET_KEY: (BEFORE_ANSWER | {S.ANSWERED, S.TRACKING}, None, {R.OFFICE}),
}

# The period (settings.SUGGESTION_PERIODS step) that runs while the item waits in a state; None: no deadline.
STEP_BY_STATE = {
    S.SIGNING: "sign",
    S.SUBMITTED: "register",
    S.REGISTERED: "register",
    S.RETURNED: "register",
    S.ASSIGNED: "reply",
    S.EXTENSION_REQUESTED: "reply",
    S.REPLIED: "review",
    S.ANSWERED: "rate",
    S.REHANDLING: "rehandle",
}
OPEN_STATES = set(STEP_BY_STATE)
# States the units have acted in: their inbox keeps them, the statistics count them as handled.
WITH_UNITS = {S.ASSIGNED, S.EXTENSION_REQUESTED, S.REPLIED, S.ANSWERED, S.REHANDLING, S.TRACKING, S.CLOSED}
ANSWERED_STATES = {S.ANSWERED, S.TRACKING, S.CLOSED}


def allowed(action: str, state: str, role: str) -> bool:
    sources, _target, roles = TRANSITIONS[action]
    return state in sources and role in roles


def actions_for(state: str, roles: set[str]) -> list[str]:
    """The actions any of `roles` may take now, in table order (drives which forms a page shows)."""
    return [action for action in TRANSITIONS if any(allowed(action, state, role) for role in roles)]


# ---- 社情民意 reports: a second, small table beside the report model ------------------------------------------------


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("report state", "submitted")
    ADOPTED = "adopted", _("adopted")
    NOT_ADOPTED = "not_adopted", _("not adopted")


class ReportAction(models.TextChoices):
    REVISE = "revise", _("revise the text")
    EDIT = "edit", _("edit for forwarding")
    ADOPT = "adopt", _("rate as adopted")
    NOT_ADOPT = "not_adopt", _("not adopted")
    INSTRUCT = "instruct", _("record a leader's instruction (批示)")


RS, RA = ReportState, ReportAction
REPORT_TRANSITIONS: dict[str, tuple[set[str], str | None, set[str]]] = {
    RA.REVISE: ({RS.SUBMITTED}, None, {R.AUTHOR}),
    RA.EDIT: ({RS.SUBMITTED, RS.ADOPTED}, None, {R.OFFICE}),
    RA.ADOPT: ({RS.SUBMITTED, RS.ADOPTED}, RS.ADOPTED, {R.OFFICE}),
    RA.NOT_ADOPT: ({RS.SUBMITTED}, RS.NOT_ADOPTED, {R.OFFICE}),
    RA.INSTRUCT: ({RS.ADOPTED}, None, {R.OFFICE}),
}


def report_actions_for(state: str, roles: set[str]) -> list[str]:
    return [
        a
        for a, (sources, _t, allowed_roles) in REPORT_TRANSITIONS.items()
        if state in sources and roles & allowed_roles
    ]
