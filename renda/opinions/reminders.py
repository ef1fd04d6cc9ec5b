"""The periodic deadline work (`manage.py opinion_deadlines`): reminders, escalation (督办), auto-closing.

Every function takes an explicit `now`, so tests walk through holidays without freezing time. Each opinion is handled
in its own transaction with its row locked and re-checked, and every message has a dedupe key naming the opinion, its
due date and the recipient: running the job twice, or two copies at once, sends nothing twice. A new deadline (any
transition) clears reminded_at and escalated_at, so the next deadline is reminded and escalated afresh.

Escalation is supervision, not a workflow step: it writes no Event and changes no state, only escalated_at, the
audit log and the supervisors' messages. Pages show "overdue" (due_at passed) and "escalated" (escalated_at set).
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.db.models import Max
from django.utils import translation

from renda.audit.actions import record
from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.workdays.calendar import CHINA, Calendar

from . import actions, recipients
from .models import DeadlineRule, Opinion
from .routing import opinion_context, route_event
from .workflow import OPEN_STATES, STEP_BY_STATE, Action, State, start_states

UNIT_STATES = {State.FORWARDED, State.EXTENSION_REQUESTED}
DEFAULT_REMIND_DAYS = 1


@dataclass
class DeadlineSummary:
    reminded: int = 0
    escalated: int = 0
    auto_closed: int = 0
    messages: int = 0

    def __str__(self):
        return (
            f"reminded {self.reminded} opinions, escalated {self.escalated}, auto-closed {self.auto_closed}; "
            f"queued {self.messages} messages"
        )


def remind_days(step: str, category_id: int | None, rules: dict) -> int:
    rule = rules.get((step, category_id)) or rules.get((step, None))
    return rule.remind_days_before if rule is not None else DEFAULT_REMIND_DAYS


def responsible(opinion) -> list:
    """Whoever must act next: the unit for a forwarded item, else the station's keepers and deputies (or the
    addressed deputy); if nobody holds such a role, the congress staff of the opinion's region, who may triage."""
    if opinion.status in UNIT_STATES:
        users = recipients.unit_staff(opinion.unit_id)
    else:
        users = recipients.station_people(opinion)
    return users or recipients.supervisors(opinion.region, include_self=True)[1]


def _queue(opinion, users, template: str, kind: str, extra: dict | None = None) -> int:
    """One in-site message per user, plus an SMS when the account has a phone; keyed by opinion, due date, user."""
    with translation.override("zh-hans"):
        context = opinion_context(opinion) | (extra or {})
    stamp = int(opinion.due_at.timestamp())
    queued = 0
    for user in users:
        key = f"{kind}:{opinion.pk}:{stamp}:u{user.pk}"
        site = enqueue(channel=Channel.SITE, template=template, context=context, dedupe_key=f"{key}:site", user=user)
        queued += site is not None
        if user.phone:
            queued += bool(
                enqueue(
                    channel=Channel.SMS,
                    template=template,
                    context=context,
                    dedupe_key=f"{key}:sms",
                    user=user,
                    phone=user.phone,
                )
            )
    return queued


def _locked(pk, **still):
    """The opinion row, locked, if it still matches `still` (another run or a transition may have moved it)."""
    return (
        Opinion.objects.select_for_update(of=("self",))
        .select_related("region", "station", "unit", "category")
        .filter(pk=pk, **still)
        .first()
    )


def send_reminders(now, calendar: Calendar | None = None) -> DeadlineSummary:
    """Open opinions due within their rule's `remind_days_before` working days, not yet reminded."""
    calendar = calendar or Calendar()
    summary = DeadlineSummary()
    rules = {(r.step, r.category_id): r for r in DeadlineRule.objects.all()}
    widest = max(DeadlineRule.objects.aggregate(m=Max("remind_days_before"))["m"] or 0, DEFAULT_REMIND_DAYS)
    today = now.astimezone(CHINA).date()
    horizon = calendar.add_workdays(today, widest)
    horizon_end = datetime.combine(horizon, time.max, tzinfo=CHINA)
    # Cheap, indexed pre-selection (status, due_at); the exact per-rule test follows.
    candidates = Opinion.objects.filter(
        status__in=OPEN_STATES, reminded_at__isnull=True, due_at__gt=now, due_at__lte=horizon_end
    ).values_list("pk", "status", "category_id", "due_at")
    for pk, status, category_id, due in candidates:
        left = calendar.workdays_between(today, due.astimezone(CHINA).date())
        if left > remind_days(STEP_BY_STATE[status], category_id, rules):
            continue
        with transaction.atomic():
            opinion = _locked(pk, status=status, due_at=due, reminded_at__isnull=True)
            if opinion is None:
                continue
            summary.messages += _queue(opinion, responsible(opinion), "reminder", "remind")
            opinion.reminded_at = now
            opinion.save(update_fields=["reminded_at"])
            summary.reminded += 1
    return summary


def escalate_overdue(now) -> DeadlineSummary:
    """Open opinions past due and not yet escalated go to the supervising staff of the parent region (督办)."""
    summary = DeadlineSummary()
    overdue = Opinion.objects.filter(status__in=OPEN_STATES, escalated_at__isnull=True, due_at__lte=now)
    for pk in overdue.order_by("due_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            opinion = _locked(pk, status__in=OPEN_STATES, escalated_at__isnull=True, due_at__lte=now)
            if opinion is None:
                continue
            region, users = recipients.supervisors(opinion.region, include_self=False)
            summary.messages += _queue(opinion, users, "escalated", "escalate")
            opinion.escalated_at = now
            opinion.save(update_fields=["escalated_at"])
            record(
                None,
                "opinion.escalate",
                opinion,
                changes={
                    "to_region": region.code if region else "",
                    "to_users": [user.pk for user in users],
                    "due_at": opinion.due_at.isoformat(),
                    "status": opinion.status,
                },
            )
            summary.escalated += 1
    return summary


def close_unrated(now) -> DeadlineSummary:
    """Closed opinions whose rating period ran out become final (and the constituent is told)."""
    summary = DeadlineSummary()
    waiting = [str(state) for state in start_states(Action.AUTO_CLOSE)]  # the transition table's auto_close row
    expired = Opinion.objects.filter(status__in=waiting, due_at__lte=now).order_by("due_at", "pk")
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            event = actions.auto_close(pk)
            if event is None:
                continue
            record(None, "opinion.auto_close", event.opinion, changes={"from": event.from_state, "to": event.to_state})
            transaction.on_commit(lambda event_pk=event.pk: route_event(event_pk))
            summary.auto_closed += 1
    return summary


def run(now) -> DeadlineSummary:
    """The whole periodic job, in this order: reminders, escalation, auto-closing."""
    calendar = Calendar()
    total = DeadlineSummary()
    for part in (send_reminders(now, calendar), escalate_overdue(now), close_unrated(now)):
        total.reminded += part.reminded
        total.escalated += part.escalated
        total.auto_closed += part.auto_closed
        total.messages += part.messages
    return total
