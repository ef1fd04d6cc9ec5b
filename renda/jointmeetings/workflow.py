"""The monthly topic's transition table (一题四联): what each role may do to a topic in each state.

`TRANSITIONS`: action → (source states, target state or None when the state stays, roles). Every action in
actions.py checks it first through `require`; the tests walk it as a role × state × action grid.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy


class TopicStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("topic status", "draft")
    PUBLISHED = "published", pgettext_lazy("topic status", "published")
    CLOSED = "closed", pgettext_lazy("topic status", "closed")


class Role(models.TextChoices):
    OFFICE = "office", pgettext_lazy("joint meeting role", "the meeting's office")
    UNIT = "unit", pgettext_lazy("joint meeting role", "the unit asked")


class Do(models.TextChoices):
    EDIT = "edit", pgettext_lazy("topic action", "edit")
    PUBLISH = "publish", pgettext_lazy("topic action", "publish")
    CLOSE = "close", pgettext_lazy("topic action", "close")
    ADD_WORK = "add_work", pgettext_lazy("topic action", "add linked work")
    UPDATE_WORK = "update_work", pgettext_lazy("topic action", "record progress")
    ANSWER = "answer", pgettext_lazy("topic action", "answer a question")


D, P, C = TopicStatus.DRAFT, TopicStatus.PUBLISHED, TopicStatus.CLOSED
TRANSITIONS: dict[str, tuple[frozenset, str | None, frozenset]] = {
    Do.EDIT: (frozenset({D}), None, frozenset({Role.OFFICE})),
    Do.PUBLISH: (frozenset({D}), P, frozenset({Role.OFFICE})),
    Do.CLOSE: (frozenset({P}), C, frozenset({Role.OFFICE})),
    # The four streams are planned before publishing and worked on while the topic is open.
    Do.ADD_WORK: (frozenset({D, P}), None, frozenset({Role.OFFICE})),
    # Done, adoption of a report: also after closing (an adoption is often known months later).
    Do.UPDATE_WORK: (frozenset({P, C}), None, frozenset({Role.OFFICE})),
    # A unit answers a question once the topic is published, also after it closed (late answers still count).
    Do.ANSWER: (frozenset({P, C}), None, frozenset({Role.UNIT})),
}


def allowed(status: str, action: str, roles) -> bool:
    sources, _target, who = TRANSITIONS[action]
    return status in sources and bool(who & set(roles))


def require(status: str, action: str, roles) -> str:
    """The state after `action`, or a refusal naming why (nothing is changed by the caller then)."""
    sources, target, who = TRANSITIONS[action]
    if not (who & set(roles)):
        raise ValidationError(_("You may not do this to this topic."), code="role")
    if status not in sources:
        raise ValidationError(
            _("Not possible while the topic is “%(status)s”.") % {"status": TopicStatus(status).label}, code="state"
        )
    return target or status
