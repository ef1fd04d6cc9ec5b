"""Due dates per workflow step, from DeadlineRule (a category's own rule beats the general one)."""

import time

from django.conf import settings
from django.utils import timezone

from renda.workdays.calendar import Calendar, due_at

from .models import DeadlineRule
from .workflow import STEP_BY_STATE

# Used when no rule row exists for a step (the defaults migration creates rows with these values).
DEFAULT_DAYS = {
    "acknowledge": (2, True),
    "handle": (15, True),
    "unit": (15, True),
    "reply": (5, True),
    "rate": (15, False),
}


# All rules, read once a minute per process (they change rarely; DeadlineRule.save/delete drops the copy at once).
_cached: dict = {"rules": None, "at": 0.0}


def _rules() -> dict:
    if _cached["rules"] is None or time.monotonic() - _cached["at"] > settings.REFERENCE_CACHE_SECONDS:
        rules = {(r.step, r.category_id): (r.days, r.working_days) for r in DeadlineRule.objects.all()}
        _cached["rules"], _cached["at"] = rules, time.monotonic()
    return _cached["rules"]


def forget_rules() -> None:
    _cached["rules"] = None


def rule_for(step: str, category_id: int | None) -> tuple[int, bool]:
    """(days, working days?) for a step: the category's own rule, else the general one, else the default."""
    rules = _rules()
    return rules.get((step, category_id)) or rules.get((step, None)) or DEFAULT_DAYS[step]


def due_for_state(state: str, category_id: int | None, start=None, calendar: Calendar | None = None, extra_days=0):
    """When the step that `state` waits on is due, counted from `start` (now); None for states that wait on nobody."""
    step = STEP_BY_STATE.get(state)
    if step is None:
        return None
    days, working = rule_for(step, category_id)
    return due_at(start or timezone.now(), days + extra_days, working=working, calendar=calendar)
