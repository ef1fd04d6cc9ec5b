"""Migration 0003 gives every existing opinion a unique public id, in one statement per pass."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.opinions.models import Opinion

from .public_helpers import submit


def _columns() -> set[str]:
    with connection.cursor() as cursor:
        return {col.name for col in connection.introspection.get_table_description(cursor, "opinions_opinion")}


def test_existing_opinions_get_unique_public_ids(transactional_db):
    from renda.opinions.models import Category
    from renda.testing import build_world

    from .public_helpers import CATEGORIES

    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"position": position})
    world = build_world()
    pks = [submit(world, text=f"迁移前的意见第{i}条").pk for i in range(60)]
    try:
        call_command("migrate", "opinions", "0002", verbosity=0)
        assert "public_id" not in _columns()
        with CaptureQueriesContext(connection) as queries:
            call_command("migrate", "opinions", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)  # whatever happened, leave the schema as the other tests expect
    ids = dict(Opinion.objects.filter(pk__in=pks).values_list("pk", "public_id"))
    assert len(ids) == 60 and len(set(ids.values())) == 60
    assert all(len(value) == 16 and value.isdigit() and value[0] != "0" for value in ids.values())
    # Filled by whole-table statements (fill, a pass for duplicates, and on PostgreSQL Django's own no-op fill of
    # NULLs before NOT NULL), not one UPDATE per row.
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "opinions_opinion"')]
    assert 2 <= len(updates) <= 3, updates
    tracking = set(Opinion.objects.values_list("tracking_code", flat=True))
    assert not tracking & set(ids.values())
