"""What is allowed when: the transition tables of disputes and reports, each tested as a role × state × action grid
(tests/test_transition_grid.py). Roles: the PERSON whose record it is (deputy or member, through their account) and
the OFFICE (congress staff whose regions cover the person's region)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    PERSON = "person", _("the deputy or member")
    OFFICE = "office", _("the office")


class DisputeState(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute", "open")
    ACCEPTED = "accepted", pgettext_lazy("dispute", "accepted")
    REJECTED = "rejected", pgettext_lazy("dispute", "rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("dispute", "withdrawn")


class DisputeAction(models.TextChoices):
    FILE = "file", _("dispute this line")
    WITHDRAW = "withdraw", _("withdraw the dispute")
    ACCEPT = "accept", _("accept the dispute")
    REJECT = "reject", _("reject the dispute")


NEW = ""  # the "state" of a dispute not filed yet
PERSON, OFFICE = Role.PERSON, Role.OFFICE
# action → (from states, to state, roles). Filing on a closed year: FILE_CLOSED_YEAR_ROLES instead.
DISPUTE_TRANSITIONS = {
    DisputeAction.FILE: ({NEW}, DisputeState.OPEN, {PERSON, OFFICE}),
    DisputeAction.WITHDRAW: ({DisputeState.OPEN}, DisputeState.WITHDRAWN, {PERSON}),
    DisputeAction.ACCEPT: ({DisputeState.OPEN}, DisputeState.ACCEPTED, {OFFICE}),
    DisputeAction.REJECT: ({DisputeState.OPEN}, DisputeState.REJECTED, {OFFICE}),
}
# A year is closed once it is past or its weight table was closed: only the office files a dispute then.
FILE_CLOSED_YEAR_ROLES = {OFFICE}
# Decisions need a reason.
DISPUTE_NEEDS_REASON = {DisputeAction.ACCEPT, DisputeAction.REJECT}


def dispute_allowed(action: str, state: str, role: str, *, closed_year: bool = False) -> bool:
    sources, _target, roles = DISPUTE_TRANSITIONS[action]
    if action == DisputeAction.FILE and closed_year:
        roles = FILE_CLOSED_YEAR_ROLES
    return state in sources and role in roles


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "draft")
    SUBMITTED = "submitted", pgettext_lazy("report", "awaiting the office's approval")
    PUBLISHED = "published", pgettext_lazy("report", "published")
    CLOSED = "closed", pgettext_lazy("report", "published, evaluation closed")


class ReportAction(models.TextChoices):
    EDIT = "edit", _("edit the introduction")
    SUBMIT = "submit", _("submit for approval")
    RETURN = "return", _("return for changes")
    PUBLISH = "publish", _("approve and publish")
    CLOSE = "close", _("close the evaluation")


REPORT_TRANSITIONS = {
    ReportAction.EDIT: ({ReportState.DRAFT}, ReportState.DRAFT, {PERSON}),
    ReportAction.SUBMIT: ({ReportState.DRAFT}, ReportState.SUBMITTED, {PERSON}),
    ReportAction.RETURN: ({ReportState.SUBMITTED}, ReportState.DRAFT, {OFFICE}),
    ReportAction.PUBLISH: ({ReportState.SUBMITTED}, ReportState.PUBLISHED, {OFFICE}),
    ReportAction.CLOSE: ({ReportState.PUBLISHED}, ReportState.CLOSED, {OFFICE}),
}
PUBLIC_REPORT_STATES = {ReportState.PUBLISHED, ReportState.CLOSED}


def report_allowed(action: str, state: str, role: str) -> bool:
    sources, _target, roles = REPORT_TRANSITIONS[action]
    return state in sources and role in roles


def report_actions(state: str, roles: set[str]) -> list[str]:
    return [action for action in REPORT_TRANSITIONS if any(report_allowed(action, state, role) for role in roles)]
