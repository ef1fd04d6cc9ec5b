"""Every deadline of a suggestion in working days with 调休 (renda.workdays), its length a setting per kind."""

from django.conf import settings
from django.utils import timezone

from renda.workdays.calendar import due_at

from .workflow import STEP_BY_STATE, State


def days(kind: str, step: str) -> int:
    return settings.SUGGESTION_PERIODS[kind][step]


def period_end(kind: str, step: str, start=None):
    """End of the day `days(kind, step)` working days after `start` (now by default)."""
    return due_at(start or timezone.now(), days(kind, step), working=True)


def due_for_state(suggestion, state: str):
    """The deadline that runs while the item waits in `state`: the unit's reply deadline while it is with the
    units, otherwise the state's own period from now; None when nobody is waited on."""
    step = STEP_BY_STATE.get(state)
    if step is None:
        return None
    if state in (State.ASSIGNED, State.EXTENSION_REQUESTED, State.REHANDLING) and suggestion.reply_due_at:
        return suggestion.reply_due_at
    if state == State.SIGNING and suggestion.sign_deadline:
        return suggestion.sign_deadline
    return period_end(suggestion.kind, step)
