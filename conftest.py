import pytest

from renda.testing import build_world


@pytest.fixture(autouse=True)
def _fresh_process_copies():
    """Every test starts as a new process does: no per-process copy of reference rows (REFERENCE_CACHE_SECONDS) left
    by an earlier test, whose ids another database may no longer hold (PostgreSQL's sequences go on), and no replica lag
    measured by an earlier test (DB_REPLICA_LAG_CHECK_SECONDS)."""
    from renda.core.dbrouter import forget_replica_lag
    from renda.opinions.deadlines import forget_rules
    from renda.opinions.public_forms import forget_categories
    from renda.opinions.submission import forget_stations
    from renda.workdays.calendar import forget_calendar

    for forget in (forget_rules, forget_calendar, forget_stations, forget_categories, forget_replica_lag):
        forget()


@pytest.fixture
def world(db):
    """Named regions, stations, people and one user per role and region: see renda/core/testing.py."""
    return build_world()
