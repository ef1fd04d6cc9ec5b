"""The opinion table's indexes as migrated: each index is written by every submission, so none is there by accident."""

import pytest
from django.db import connection

from renda.opinions.models import Opinion

pytestmark = pytest.mark.django_db


def _constraints() -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Opinion._meta.db_table)


def test_tracking_code_public_id_and_client_token_stay_unique():
    unique = {tuple(c["columns"]) for c in _constraints().values() if c["unique"]}
    assert {("tracking_code",), ("public_id",), ("client_token",)} <= unique


def test_no_pattern_ops_twins_of_the_unique_columns():
    # Django adds a varchar_pattern_ops index beside a unique CharField on PostgreSQL; migration 0008 drops them
    # (no prefix lookup uses them). On SQLite there are none to begin with.
    twins = [name for name in _constraints() if name.endswith("_like")]
    assert twins == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [Opinion._meta.db_table, "%pattern_ops%"],
            )
            assert cursor.fetchone()[0] == 0
