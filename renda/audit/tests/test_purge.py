"""Retention: purge_audit keeps young records, removes a contiguous prefix, leaves an anchor and a record."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from renda.audit.actions import record
from renda.audit.chain import verify
from renda.audit.models import AuditAnchor, AuditEvent

pytestmark = pytest.mark.django_db


def event_at(days_ago, action="test.old"):
    return AuditEvent.objects.create(action=action, at=timezone.now() - datetime.timedelta(days=days_ago))


def purge(before: datetime.date):
    out = io.StringIO()
    call_command("purge_audit", f"--before={before.isoformat()}", stdout=out)
    return out.getvalue()


def test_purge_refuses_dates_inside_the_retention_period(settings):
    settings.AUDIT_RETENTION_DAYS = 180
    event_at(400)
    young_limit = timezone.localdate() - datetime.timedelta(days=100)
    with pytest.raises(CommandError, match="180"):
        purge(young_limit)
    assert AuditEvent.objects.count() == 1
    assert not AuditEvent.objects.filter(action="audit.purge").exists()


def test_purge_removes_the_old_prefix_and_keeps_the_chain_verifiable(settings):
    settings.AUDIT_RETENTION_DAYS = 180
    old = [event_at(days) for days in (400, 390, 380)]
    # Written later but dated old (a clock step): it sits after a young record, so it is not removed.
    young = event_at(10, "test.young")
    stray = event_at(395, "test.stray")
    output = purge(timezone.localdate() - datetime.timedelta(days=200))
    assert "removed 3" in output
    remaining = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert remaining[:2] == [young.pk, stray.pk]
    anchor = AuditAnchor.objects.order_by("-id").first()
    assert (anchor.last_id, anchor.last_hash) == (old[-1].pk, old[-1].hash)
    purge_record = AuditEvent.objects.get(action="audit.purge")
    assert purge_record.changes["removed"] == 3 and purge_record.changes["anchor_id"] == old[-1].pk
    assert verify(AuditEvent, AuditAnchor)[1] is None
    record(None, "test.after")
    assert verify(AuditEvent, AuditAnchor)[1] is None


def test_purge_everything_old_then_append(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    events = [event_at(60), event_at(50)]
    purge(timezone.localdate() - datetime.timedelta(days=40))
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["audit.purge"]
    purge_record = AuditEvent.objects.get()
    assert purge_record.pk == events[-1].pk + 1 and purge_record.prev_hash == events[-1].hash
    assert verify(AuditEvent, AuditAnchor) == (1, None)


def test_deleting_after_the_anchor_is_still_detected(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    event_at(60)
    kept = [event_at(5), event_at(4), event_at(3)]
    purge(timezone.localdate() - datetime.timedelta(days=40))
    from .test_chain import raw

    raw("DELETE FROM audit_auditevent WHERE id = %s", [kept[0].pk])
    assert (verify(AuditEvent, AuditAnchor)[1].kind, verify(AuditEvent, AuditAnchor)[1].record_id) == (
        "deleted",
        kept[0].pk,
    )
