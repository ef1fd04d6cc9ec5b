"""Due dates per workflow step, from DeadlineRule (a category's own rule beats the general one)."""

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


def rule_for(step: str, category_id: int | None) -> tuple[int, bool]:
    rules = {r.category_id: r for r in DeadlineRule.objects.filter(step=step, category_id__in=[category_id, None])}
    rule = rules.get(category_id) or rules.get(None)
    if rule is None:
        return DEFAULT_DAYS[step]
    return rule.days, rule.working_days


def due_for_state(state: str, category_id: int | None, start=None, calendar: Calendar | None = None, extra_days=0):
    """When the step that `state` waits on is due, counted from `start` (now); None for states that wait on nobody."""
    step = STEP_BY_STATE.get(state)
    if step is None:
        return None
    days, working = rule_for(step, category_id)
    return due_at(start or timezone.now(), days + extra_days, working=working, calendar=calendar)
