"""The activity workflow: every state, every action and who may take it — declared once.

`TRANSITIONS[action]` = (states it may start from, state it leads to, roles that may take it). None as the target
means the action changes no state (an edit, an answer, an attendance sheet, a problem recorded). Whatever is not in
this table is refused by the actions before anything changes; the time rules (answer before the activity starts,
record attendance and finish once it has started) are checked beside the table in actions/.

A problem item has its own small table (`PROBLEM_TRANSITIONS`): recorded → listed / dropped, then pushed to handling
(an opinion) or linked to a suggestion, once.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Answer, Attendance, ProblemStatus, Status


class Actor(models.TextChoices):
    """Who takes an action, as the workflow sees them (derived by access.roles_on)."""

    ORGANISER = "organiser", pgettext_lazy("activity actor", "organiser")
    INVITEE = "invitee", pgettext_lazy("activity actor", "invitee")
    # The deputy or member who recorded an activity they took part in outside the platform.
    REPORTER = "reporter", pgettext_lazy("activity actor", "participant who recorded it")


class Action(models.TextChoices):
    EDIT = "edit", pgettext_lazy("activity action", "edit")
    INVITE = "invite", pgettext_lazy("activity action", "invite")
    PUBLISH = "publish", pgettext_lazy("activity action", "publish")
    CANCEL = "cancel", pgettext_lazy("activity action", "cancel")
    ANSWER = "answer", pgettext_lazy("activity action", "answer the invitation")
    ATTENDANCE = "attendance", pgettext_lazy("activity action", "record attendance")
    FINISH = "finish", pgettext_lazy("activity action", "finish")
    CONFIRM = "confirm", pgettext_lazy("activity action", "confirm")
    REJECT = "reject", pgettext_lazy("activity action", "do not confirm")
    REPORT = "report", pgettext_lazy("activity action", "write findings and report")
    ADD_FILE = "add_file", pgettext_lazy("activity action", "attach a photo or file")
    RECORD_PROBLEM = "record_problem", pgettext_lazy("activity action", "record a problem")
    COMPILE = "compile", pgettext_lazy("activity action", "compile the problem list")


S, A, R = Status, Action, Actor
HAPPENING = {S.PUBLISHED, S.FINISHED}

TRANSITIONS: dict[str, tuple[set[str], str | None, set[str]]] = {
    A.EDIT: ({S.DRAFT, S.PUBLISHED}, None, {R.ORGANISER}),
    A.INVITE: ({S.DRAFT, S.PUBLISHED}, None, {R.ORGANISER}),
    A.PUBLISH: ({S.DRAFT}, S.PUBLISHED, {R.ORGANISER}),
    A.CANCEL: ({S.DRAFT, S.PUBLISHED}, S.CANCELLED, {R.ORGANISER}),
    # Only before the activity starts (actions.answers.answer).
    A.ANSWER: ({S.PUBLISHED}, None, {R.INVITEE}),
    # "谁组织谁记录": the organiser, once the activity has started (actions.answers.record_attendance).
    A.ATTENDANCE: (HAPPENING, None, {R.ORGANISER}),
    A.FINISH: ({S.PUBLISHED}, S.FINISHED, {R.ORGANISER}),
    # A participant's self-recorded activity: the organiser confirms it (it counts as finished) or says why not.
    A.CONFIRM: ({S.REPORTED}, S.FINISHED, {R.ORGANISER}),
    A.REJECT: ({S.REPORTED}, S.REJECTED, {R.ORGANISER}),
    A.REPORT: (HAPPENING, None, {R.ORGANISER}),
    A.ADD_FILE: (HAPPENING | {S.REPORTED}, None, {R.ORGANISER, R.REPORTER}),
    # Invitees who attend (or were present) record problems; the organiser may record one on their behalf.
    A.RECORD_PROBLEM: (HAPPENING, None, {R.ORGANISER, R.INVITEE}),
    A.COMPILE: (HAPPENING, None, {R.ORGANISER}),
}


# The two rules beside the table, each in one place (the actions re-check them; pages and open data read them):
# an invitation is answered only before the activity starts; taking part is being recorded present or — before
# attendance is recorded — having said one attends (who records problems, who the open data lists as attendees).
TAKING_PART_Q = Q(attendance=Attendance.PRESENT) | Q(attendance=Attendance.UNKNOWN, answer=Answer.ATTEND)


def answers_closed(activity, now=None) -> bool:
    return activity.starts_at <= (now or timezone.now())


def takes_part(invitation) -> bool:
    return invitation.attendance == Attendance.PRESENT or (
        invitation.answer == Answer.ATTEND and invitation.attendance == Attendance.UNKNOWN
    )


def allowed(action: str, state: str, role: str) -> bool:
    sources, _target, roles = TRANSITIONS[action]
    return state in sources and role in roles


def actions_for(state: str, roles: set[str]) -> list[str]:
    """The actions any of `roles` may take now, in table order (drives which forms a page shows)."""
    return [action for action in TRANSITIONS if any(allowed(action, state, role) for role in roles)]


# ---- problem items: a second, small table beside the activity's ----------------------------------------------------


class ProblemAction(models.TextChoices):
    LIST = "list", _("put on the list")
    DROP = "drop", _("do not take up")
    PUSH = "push", _("push to handling")
    LINK = "link", _("link to a suggestion")


P, PA = ProblemStatus, ProblemAction
PROBLEM_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    PA.LIST: ({P.RECORDED, P.DROPPED}, P.LISTED),
    PA.DROP: ({P.RECORDED, P.LISTED}, P.DROPPED),
    PA.PUSH: ({P.RECORDED, P.LISTED}, P.PUSHED),
    PA.LINK: ({P.RECORDED, P.LISTED}, P.LINKED),
}
# Handed on: nothing more happens to the item here; its progress is the opinion's or the suggestion's.
HANDED_ON = {P.PUSHED, P.LINKED}


def problem_allowed(action: str, state: str) -> bool:
    return state in PROBLEM_TRANSITIONS[action][0]
