"""Chain the rows written before the hash chain existed, then (PostgreSQL) refuse UPDATE/DELETE by trigger."""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    -- purge_audit sets this for its own transaction only (SET LOCAL); nothing else may change or remove rows.
    IF TG_OP = 'DELETE' AND coalesce(current_setting('renda.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit records are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""


def chain_rows(apps, schema_editor):
    from renda.audit.chain import compute_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditAnchor = apps.get_model("audit", "AuditAnchor")
    prev_hash, last_id = "", 0
    for event in AuditEvent.objects.order_by("id").iterator():
        event.prev_hash = prev_hash
        event.hash = compute_hash(event, prev_hash)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        prev_hash, last_id = event.hash, event.pk
    AuditAnchor.objects.create(last_id=0, last_hash="", chained_from=last_id)


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]

    operations = [
        migrations.RunPython(chain_rows, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
