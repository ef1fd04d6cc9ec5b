"""Retention: remove the oldest records, never younger than AUDIT_RETENTION_DAYS, keeping the chain verifiable."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .actions import record
from .models import AuditAnchor, AuditEvent


class PurgeRefused(Exception):
    pass


def retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", 180))


def purge_before(before: datetime.datetime, *, actor=None) -> int:
    """Remove records older than `before` as one contiguous prefix; store the last removed hash as the anchor.

    Only the prefix up to the first record at or after `before` goes, so no hole opens in the middle of the chain.
    """
    limit = timezone.now() - datetime.timedelta(days=retention_days())
    if before > limit:
        raise PurgeRefused(
            f"records younger than {retention_days()} days must be kept (latest allowed: {limit:%Y-%m-%d})"
        )
    with transaction.atomic():
        chain.lock_appends()
        first_kept = AuditEvent.objects.filter(at__gte=before).order_by("id").values_list("id", flat=True).first()
        prefix = AuditEvent.objects.all() if first_kept is None else AuditEvent.objects.filter(id__lt=first_kept)
        last = prefix.order_by("-id").values_list("id", "hash").first()
        count = 0
        if last is not None:
            previous = AuditAnchor.objects.order_by("-id").first()
            AuditAnchor.objects.create(
                last_id=last[0], last_hash=last[1], chained_from=previous.chained_from if previous else 0
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL renda.audit_purge = 'on'")
            count = prefix._raw_delete(prefix.db)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL renda.audit_purge = 'off'")
        record(
            actor,
            "audit.purge",
            changes={"before": before.isoformat(), "removed": count, "anchor_id": last[0] if last else None},
        )
    return count
