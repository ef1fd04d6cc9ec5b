"""The periodic deadline work (`manage.py suggestion_deadlines`): lapsing unsigned invitations, closing rating
periods, reminders before a deadline, escalation (督办) to the office after it, and queueing answered items for the
public-disclosure review.

Every function takes an explicit `now` so tests walk through holidays without freezing time. Items are handled one
by one with their row locked and re-checked; reminders and escalations are marked on the row (reminded_at,
escalated_at) and every message has a dedupe key naming the item, its due date and the recipient: running the job
twice sends nothing twice. A new deadline (any transition) clears the marks.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from renda.audit.actions import record
from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.opinions import recipients
from renda.workdays.calendar import CHINA, due_at

from .access import parties
from .actions import system_transition
from .models import Disclosure, Suggestion, UnitTask
from .workflow import STEP_BY_STATE, Action, Kind, State

UNIT_STATES = {State.ASSIGNED, State.EXTENSION_REQUESTED, State.REHANDLING}
OFFICE_STATES = {State.SUBMITTED, State.REGISTERED, State.RETURNED, State.REPLIED}
STEP_LABELS = {
    "sign": _("joint signing"),
    "register": _("registration review"),
    "reply": _("reply"),
    "review": _("reply review"),
    "rate": _("rating"),
    "rehandle": _("re-handling"),
    "co_views": _("co-unit views"),
    "follow_up": _("yearly follow-up report"),
}


@dataclass
class Summary:
    lapsed: int = 0
    closed: int = 0
    reminded: int = 0
    escalated: int = 0
    queued_for_disclosure: int = 0
    follow_ups: int = 0
    messages: int = 0

    def __str__(self):
        return (
            f"lapsed {self.lapsed} signings, closed {self.closed} rating periods, reminded {self.reminded}, "
            f"escalated {self.escalated}, asked {self.follow_ups} follow-up reports, "
            f"queued {self.queued_for_disclosure} for disclosure; "
            f"queued {self.messages} messages"
        )


def responsible(s) -> list:
    if s.status in UNIT_STATES:
        return recipients.unit_staff(s.lead_unit_id)
    if s.status == State.ANSWERED:
        from renda.accounts.models import User

        return list(User.objects.filter(pk__in=parties(s), is_active=True).order_by("pk"))
    return recipients.supervisors(s.region, include_self=True)[1]


def _context(s, step, *, overdue):
    return {
        "suggestion_id": s.pk,
        "kind": str(Kind(s.kind).label),
        "number": s.number,
        "title": s.title[:40],
        "due": s.due_at.astimezone(CHINA).strftime("%Y-%m-%d") if s.due_at else "",
        "step": str(STEP_LABELS.get(step, step)),
        "overdue": overdue,
        "url": f"{settings.PUBLIC_BASE_URL}/suggestions/{s.pk}/",
    }


def _send(users, context, key):
    sent = 0
    for user in users:
        message = enqueue(
            channel=Channel.SITE,
            template="suggestion_reminder",
            context=context,
            dedupe_key=f"{key}:u{user.pk}",
            user=user,
        )
        sent += int(message is not None)
    return sent


def lapse_signings(now, summary):
    for pk in Suggestion.objects.filter(status=State.SIGNING, sign_deadline__lt=now).values_list("pk", flat=True):
        summary.lapsed += int(system_transition(pk, Action.CLOSE_SIGNING) is not None)


def close_rating_periods(now, summary):
    for pk in Suggestion.objects.filter(status=State.ANSWERED, due_at__lt=now).values_list("pk", flat=True):
        summary.closed += int(system_transition(pk, Action.AUTO_CLOSE) is not None)


def remind(now, summary):
    for kind in Kind.values:
        horizon = due_at(now, settings.SUGGESTION_PERIODS[kind]["remind"], working=True)
        candidates = Suggestion.objects.filter(
            kind=kind,
            status__in=[s for s in STEP_BY_STATE if s != State.SIGNING],
            due_at__gte=now,
            due_at__lte=horizon,
            reminded_at__isnull=True,
        ).values_list("pk", flat=True)
        for pk in candidates:
            with transaction.atomic():
                s = Suggestion.objects.select_for_update().select_related("region").get(pk=pk)
                if s.reminded_at is not None or s.due_at is None or not now <= s.due_at <= horizon:
                    continue
                step = STEP_BY_STATE[s.status]
                key = f"sgr{s.pk}:{s.due_at:%Y%m%d}"
                summary.messages += _send(responsible(s), _context(s, step, overdue=False), key)
                s.reminded_at = now
                s.save(update_fields=["reminded_at"])
                summary.reminded += 1


def escalate(now, summary):
    """督办: an item past its deadline with a unit or the office goes to the office's supervisors, once per deadline."""
    candidates = Suggestion.objects.filter(
        status__in=UNIT_STATES | OFFICE_STATES, due_at__lt=now, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            s = Suggestion.objects.select_for_update().select_related("region").get(pk=pk)
            if s.escalated_at is not None or s.due_at is None or s.due_at >= now:
                continue
            step = STEP_BY_STATE[s.status]
            context = _context(s, step, overdue=True)
            key = f"sge{s.pk}:{s.due_at:%Y%m%d}"
            users = recipients.supervisors(s.region, include_self=True)[1]
            if s.status in UNIT_STATES:
                users = users + recipients.unit_staff(s.lead_unit_id)
            summary.messages += _send(list({u.pk: u for u in users}.values()), context, key)
            s.escalated_at = now
            s.save(update_fields=["escalated_at"])
            record(None, "suggestion.escalate", s, changes={"due": s.due_at.isoformat()})
            summary.escalated += 1
    # Co-units whose views are overdue hear of it once.
    tasks = UnitTask.objects.filter(
        is_active=True,
        views_at__isnull=True,
        due_at__lt=now,
        reminded_at__isnull=True,
        suggestion__status__in=UNIT_STATES,
    ).select_related("suggestion")
    for task in tasks:
        context = _context(task.suggestion, "co_views", overdue=True)
        context["due"] = task.due_at.astimezone(CHINA).strftime("%Y-%m-%d")
        summary.messages += _send(recipients.unit_staff(task.unit_id), context, f"sgc{task.pk}:{task.due_at:%Y%m%d}")
        UnitTask.objects.filter(pk=task.pk).update(reminded_at=now)


def queue_disclosure(now, summary):
    """Answered items whose disclosure period has passed wait for the office's redaction review."""
    for kind in Kind.values:
        days = settings.SUGGESTION_PERIODS[kind]["disclose"]
        # answered_at + days working days <= now  ⇔  answered_at is before the start of that window
        candidates = Suggestion.objects.filter(
            kind=kind,
            disclosure=Disclosure.NONE,
            status__in=[State.ANSWERED, State.TRACKING, State.CLOSED],
            answered_at__lt=now - timedelta(days=days),  # working days are never fewer than calendar days
        ).only("pk", "answered_at")
        for s in candidates.iterator():
            if due_at(s.answered_at, days, working=True) < now:
                summary.queued_for_disclosure += Suggestion.objects.filter(pk=s.pk, disclosure=Disclosure.NONE).update(
                    disclosure=Disclosure.REVIEW
                )


def ask_follow_ups(now, summary):
    """B and C items stay tracked until solved: the lead unit is asked for a progress report once a period (about a
    year) has passed since the answer, its last report, or the last time it was asked."""
    for kind in Kind.values:
        days = settings.SUGGESTION_PERIODS[kind]["follow_up"]
        candidates = Suggestion.objects.filter(
            kind=kind, status=State.TRACKING, answered_at__lt=now - timedelta(days=days)
        ).values_list("pk", flat=True)
        for pk in candidates:
            with transaction.atomic():
                s = Suggestion.objects.select_for_update().select_related("region").get(pk=pk)
                last = s.events.filter(action=Action.FOLLOW_UP).order_by("-created").values_list("created", flat=True)
                since = max(filter(None, [s.answered_at, s.reminded_at, *last[:1]]))
                if s.status != State.TRACKING or due_at(since, days, working=True) >= now:
                    continue
                key = f"sgf{s.pk}:{now:%Y%m%d}"
                summary.messages += _send(
                    recipients.unit_staff(s.lead_unit_id), _context(s, "follow_up", overdue=False), key
                )
                s.reminded_at = now
                s.save(update_fields=["reminded_at"])
                summary.follow_ups += 1


def run(now) -> Summary:
    summary = Summary()
    with translation.override("zh-hans"):
        lapse_signings(now, summary)
        close_rating_periods(now, summary)
        remind(now, summary)
        escalate(now, summary)
        queue_disclosure(now, summary)
        ask_follow_ups(now, summary)
    return summary
