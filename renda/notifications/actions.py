"""Every write on the outbox: queueing a message, sending due messages with retries, marking messages read."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from renda.audit.actions import record

from .models import Channel, Message, MessageStatus
from .senders import PermanentSendError, sender_for

log = logging.getLogger("renda.notifications")

# Minutes to wait after the 1st, 2nd, 3rd, 4th failure; the 5th failure is final.
BACKOFF_MINUTES = (1, 5, 30, 120)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A claimed message is due again after this long: a worker that died mid-send does not lose it for good.
CLAIM_MINUTES = 10


def enqueue(*, channel: str, template: str, context: dict, dedupe_key: str, user=None, phone="", address=""):
    """Queue one message. The same dedupe key twice keeps the first (a job run twice sends nothing twice).

    Returns the new message, or None when the key was already queued.
    """
    if Message.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            return Message.objects.create(
                channel=channel,
                user=user,
                phone=phone,
                address=address,
                template=template,
                context=context,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:  # queued by a concurrent run between the check and the insert
        return None


@dataclass
class SendSummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _due_q(now) -> Q:
    return Q(status=MessageStatus.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def _claim(now, limit: int) -> list[int]:
    """Take up to `limit` due messages for this worker only.

    PostgreSQL: the candidate rows are locked with SKIP LOCKED, so two workers take disjoint batches. Everywhere:
    each row is claimed by a conditional UPDATE that moves next_attempt_at into the future, which matches only while
    the row is still due, so of two workers reading the same row exactly one claims it.
    """
    with transaction.atomic():
        candidates = Message.objects.filter(_due_q(now)).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        lease = now + timedelta(minutes=CLAIM_MINUTES)
        return [pk for pk in ids if Message.objects.filter(_due_q(now), pk=pk).update(next_attempt_at=lease)]


def _deliver(message: Message, now) -> str:
    try:
        sender_for(message.channel).send(message)
    except Exception as exc:  # any failure of a sender is a failed attempt, never a crashed worker
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if message.attempts >= MAX_ATTEMPTS or isinstance(exc, PermanentSendError):
            message.status = MessageStatus.FAILED
            message.next_attempt_at = None
        else:
            message.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        log.warning("message %s attempt %s failed: %s", message.pk, message.attempts, message.last_error)
        return "failed" if message.status == MessageStatus.FAILED else "retried"
    message.attempts += 1
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.next_attempt_at = None
    message.last_error = ""
    message.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
    return "sent"


def send_pending(*, now=None, limit: int = 100) -> SendSummary:
    """Send the messages that are due, each exactly once even with several workers; failures back off."""
    now = now or timezone.now()
    summary = SendSummary()
    ids = _claim(now, limit)
    for message in Message.objects.filter(pk__in=ids).select_related("user").order_by("id"):
        outcome = _deliver(message, now)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    return summary


def mark_all_read(user, *, now=None) -> int:
    """Mark the user's unread in-site messages read; returns how many."""
    with transaction.atomic():
        count = Message.objects.filter(user=user, channel=Channel.SITE, read_at__isnull=True).update(
            read_at=now or timezone.now()
        )
        if count:
            record(user, "notifications.mark_read", None, changes={"count": count})
    return count
