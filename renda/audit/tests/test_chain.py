"""The hash chain: records link up, verify_audit names the first altered, inserted or deleted record."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from renda.audit.actions import record
from renda.audit.chain import compute_hash, verify
from renda.audit.models import AppendOnlyError, AuditAnchor, AuditEvent

pytestmark = pytest.mark.django_db


def write(count, world=None):
    actor = world.wuzhong_staff if world else None
    obj = world.wuzhong if world else None
    return [
        record(actor, f"test.action{n}", obj, changes={"n": [n, n + 1], "名": "值"}, ip="10.0.0.1")
        for n in range(count)
    ]


def raw(sql, params=()):
    """Raw SQL behind the ORM's back, as an intruder with database access would; on PostgreSQL the append-only
    trigger is bypassed as a database superuser could (session_replication_role)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # ordinary triggers do not fire
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify_command():
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_records_link_into_a_chain(world):
    events = write(4, world)
    for before, after in zip(events, events[1:], strict=False):
        assert after.pk == before.pk + 1
        assert after.prev_hash == before.hash
    stored = AuditEvent.objects.get(pk=events[2].pk)
    assert stored.hash == compute_hash(stored, stored.prev_hash) == events[2].hash
    assert len(stored.hash) == 64
    assert verify(AuditEvent, AuditAnchor) == (AuditEvent.objects.count(), None)
    assert "audit chain intact" in verify_command()


def test_verify_names_the_first_altered_record(world):
    events = write(5, world)
    raw("UPDATE audit_auditevent SET object_repr = 'forged' WHERE id IN (%s, %s)", [events[1].pk, events[3].pk])
    checked, problem = verify(AuditEvent, AuditAnchor)
    assert (problem.kind, problem.record_id) == ("altered", events[1].pk)
    with pytest.raises(CommandError, match=f"altered record {events[1].pk}"):
        verify_command()


def test_verify_names_an_inserted_record():
    events = write(3)
    forged = AuditEvent(pk=events[-1].pk + 1, at=events[-1].at, action="test.forged", prev_hash="0" * 64)
    forged.hash = compute_hash(forged, forged.prev_hash)  # a self-consistent row that does not link
    raw(
        "INSERT INTO audit_auditevent (id, at, actor_name, action, object_type, object_id, object_repr, region_path,"
        " result, changes, prev_hash, hash) VALUES (%s, %s, '', 'test.forged', '', '', '', '', 'ok', '{}', %s, %s)",
        [forged.pk, forged.at, forged.prev_hash, forged.hash],
    )
    checked, problem = verify(AuditEvent, AuditAnchor)
    assert (problem.kind, problem.record_id) == ("inserted", forged.pk)
    with pytest.raises(CommandError, match=f"inserted record {forged.pk}"):
        verify_command()


def test_verify_names_the_first_deleted_record():
    events = write(6)
    raw("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[2].pk, events[4].pk])
    checked, problem = verify(AuditEvent, AuditAnchor)
    assert (problem.kind, problem.record_id) == ("deleted", events[2].pk)
    with pytest.raises(CommandError, match=f"deleted record {events[2].pk}"):
        verify_command()


def test_records_refuse_change_and_delete_in_code():
    event = write(1)[0]
    event.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action0"


def test_the_database_refuses_update_and_delete():
    """PostgreSQL: a trigger refuses UPDATE and DELETE even from raw SQL. SQLite has no such guard (documented in
    docs/security.md); there verify_audit is what catches it, so the test checks that instead."""
    event = write(1)[0]
    if connection.vendor == "postgresql":
        from django.db import DatabaseError, transaction

        for sql in (
            "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk, action="test.action0").exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
        assert verify(AuditEvent, AuditAnchor)[1].kind == "altered"
