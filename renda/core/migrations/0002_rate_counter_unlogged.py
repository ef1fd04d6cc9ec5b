"""Rate counters in an UNLOGGED table on PostgreSQL: they live for an hour at most and may be lost in a crash (the
table is emptied on recovery: every client starts a fresh window), so a hit need not wait for the WAL to reach the
disk — a submission's counting commit no longer pays a flush. A streaming replica has the table but no rows; only
the primary counts. SQLite has no such thing: nothing changes there."""

from django.db import migrations


def _alter(logged: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(apps.get_model("core", "RateCounter")._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} SET {'LOGGED' if logged else 'UNLOGGED'}")

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_rate_counter")]

    operations = [migrations.RunPython(_alter(logged=False), _alter(logged=True), elidable=False)]
