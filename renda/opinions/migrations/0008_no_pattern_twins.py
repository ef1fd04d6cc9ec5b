# On PostgreSQL Django gives every unique CharField a second index with varchar_pattern_ops (the "_like" twin), for
# LIKE 'prefix%' lookups. No query of the product looks up an opinion's tracking code, public id or client token by a
# prefix (the demo loader's count of its own opinions reads the table once), yet every submission wrote all three
# twins: about 15 µs of PostgreSQL each per INSERT and, at 10 M opinions, over a gigabyte of index
# (docs/performance.md, "Sixth pass"). The unique indexes stay. A later AlterField of one of these fields would
# create its twin again (Django's schema editor does); drop it in the same migration then.

from django.db import migrations

FIELDS = ("tracking_code", "public_id", "client_token")


def _names(apps, schema_editor):
    model = apps.get_model("opinions", "Opinion")
    for name in FIELDS:
        field = model._meta.get_field(name)
        yield model, field, schema_editor._create_index_name(model._meta.db_table, [field.column], suffix="_like")


def drop_twins(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model, _field, index in _names(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def create_twins(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, field, _index in _names(apps, schema_editor):
        schema_editor.execute(schema_editor._create_like_index_sql(model, field))


class Migration(migrations.Migration):
    dependencies = [("opinions", "0007_fewer_indexes")]

    operations = [migrations.RunPython(drop_twins, create_twins, elidable=False)]
