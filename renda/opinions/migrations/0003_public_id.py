"""Give every opinion a public id apart from its tracking code (Open311 `service_request_id`, open listings).

Existing rows are filled in the database with one UPDATE (random 16-digit ids, never 0 first), then the rare
duplicates are drawn again until there are none; only then does the column become unique and NOT NULL. That is one
statement per pass instead of one per row, so a table of millions is filled in seconds.
"""

from django.db import migrations, models

import renda.opinions.models

LOW, SPAN = 10**15, 9 * 10**15


def _fill(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name("opinions_opinion")
    if connection.vendor == "postgresql":
        random_id = f"(({LOW}::bigint + floor(random() * {SPAN})::bigint)::text)"
    else:  # SQLite: random() is a signed 64-bit integer
        random_id = f"CAST({LOW} + abs(random() % {SPAN}) AS TEXT)"
    duplicates = (
        f"SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY public_id ORDER BY id) AS n FROM {table}) AS d "
        "WHERE d.n > 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET public_id = {random_id} WHERE public_id IS NULL")
        for _attempt in range(100):
            cursor.execute(f"UPDATE {table} SET public_id = {random_id} WHERE id IN ({duplicates})")
            if cursor.rowcount == 0:
                return
    raise RuntimeError("could not draw unique public ids")


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0002_search_index_and_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="opinion",
            name="public_id",
            field=models.CharField(max_length=16, null=True, editable=False, verbose_name="public id"),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="opinion",
            name="public_id",
            field=models.CharField(
                default=renda.opinions.models.new_public_id,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="public id",
            ),
        ),
    ]
