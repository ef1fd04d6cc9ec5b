"""The replica router (renda/core/dbrouter.py): read-heavy pages read from the replica, a writer is pinned to the
primary for DB_REPLICA_PIN_SECONDS, writes and transactions always use the primary, and so does a page while the
replica lags more than DB_REPLICA_MAX_LAG_SECONDS, cannot tell its lag, or is unreachable."""

import pytest
from django.db import OperationalError, connection, connections, transaction

from renda.core import dbrouter
from renda.opinions.models import Opinion

CHOICES: list[str] = []
QUERY_LAG = dbrouter._query_lag  # the real statement, before any test replaces it


class SpyRouter(dbrouter.ReplicaRouter):
    """Records where the real router sends each read, then reads from the test database (there is no replica)."""

    def db_for_read(self, model, **hints):
        CHOICES.append(super().db_for_read(model, **hints))
        return "default"


class Standby:
    """Stands in for the replica's answer to dbrouter.LAG_SQL (there is no replica in tests): its lag in seconds, None
    when it cannot tell, or an error to raise; `asked` lists the aliases it was asked on."""

    def __init__(self):
        self.lag: float | None = 0.0
        self.error: Exception | None = None
        self.asked: list[str] = []

    def __call__(self, alias):
        self.asked.append(alias)
        if self.error is not None:
            raise self.error
        return self.lag


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def standby(monkeypatch):
    answer = Standby()
    monkeypatch.setattr(dbrouter, "_query_lag", answer)
    return answer


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(dbrouter, "monotonic", clock)
    return clock


@pytest.fixture
def replica(settings, transactional_db, standby):
    """Requests outside a test transaction (inside one, every read stays on the primary, as it should); the replica
    is caught up unless a test changes `standby`."""
    settings.DB_REPLICA_ALIAS = "replica"
    settings.DATABASE_ROUTERS = ["renda.core.tests.test_dbrouter.SpyRouter"]
    settings.DB_REPLICA_PIN_SECONDS = 10
    settings.DB_REPLICA_MAX_LAG_SECONDS = 5
    settings.DB_REPLICA_LAG_CHECK_SECONDS = 2
    CHOICES.clear()
    return CHOICES


def test_the_router_reads_from_the_replica_only_when_the_request_allows_it(settings):
    settings.DB_REPLICA_ALIAS = "replica"
    router = dbrouter.ReplicaRouter()
    assert router.db_for_read(Opinion) == "default"
    token = dbrouter._reading_from_replica.set(True)
    try:
        assert router.db_for_read(Opinion) == "replica"
        assert router.db_for_write(Opinion) == "default"
        settings.DB_REPLICA_ALIAS = None  # no DATABASE_REPLICA_URL: one database
        assert router.db_for_read(Opinion) == "default"
    finally:
        dbrouter._reading_from_replica.reset(token)
    assert router.allow_migrate("default", "opinions") and not router.allow_migrate("replica", "opinions")


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(settings):
    settings.DB_REPLICA_ALIAS = "replica"
    router = dbrouter.ReplicaRouter()
    token = dbrouter._reading_from_replica.set(True)
    try:
        with transaction.atomic():
            assert router.db_for_read(Opinion) == "default"
        assert router.db_for_read(Opinion) == "replica"
    finally:
        dbrouter._reading_from_replica.reset(token)


def test_a_dashboard_reads_from_the_replica_and_a_writer_is_pinned_to_the_primary(world, replica, caplog):
    client = world.client(world.city_staff)
    caplog.set_level("INFO", logger="renda.dbrouter")
    assert client.get("/staff/opinions/stats/").status_code == 200
    assert "replica" in replica and "opinions:stats reads from the replica" in caplog.text
    # The inbox is not a read-heavy page: the primary only.
    replica.clear()
    assert client.get("/staff/opinions/").status_code == 200
    assert replica and set(replica) == {"default"}
    # A write (any POST) pins the client's reads to the primary for DB_REPLICA_PIN_SECONDS.
    answer = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/staff/"})
    pin = answer.cookies[dbrouter.PIN_COOKIE]
    assert pin["max-age"] == 10 and pin["httponly"]
    replica.clear()
    assert client.get("/staff/opinions/stats/").status_code == 200
    assert replica and set(replica) == {"default"}
    # Once the cookie has expired, the replica again.
    client.cookies.pop(dbrouter.PIN_COOKIE)
    replica.clear()
    assert client.get("/staff/opinions/stats/").status_code == 200
    assert "replica" in replica


def test_public_lists_read_from_the_replica_and_the_tracking_page_does_not(world, replica, client):
    assert client.get("/").status_code == 200
    assert "replica" in replica
    replica.clear()
    client.get("/t/")
    assert set(replica) <= {"default"}


def test_without_a_replica_nothing_is_pinned_or_routed(world, settings, client):
    settings.DB_REPLICA_ALIAS = None
    answer = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert dbrouter.PIN_COOKIE not in answer.cookies


def lag_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "renda.dbrouter" and r.levelname == "WARNING"]


def test_a_replica_within_the_lag_limit_is_read_from_and_other_pages_do_not_ask(world, replica, standby, caplog):
    client = world.client(world.city_staff)
    standby.lag = 4.5  # DB_REPLICA_MAX_LAG_SECONDS is 5
    assert client.get("/staff/opinions/").status_code == 200  # not a read-heavy page: the replica is not asked
    assert standby.asked == [] and set(replica) == {"default"}
    assert client.get("/staff/opinions/stats/").status_code == 200
    assert standby.asked == ["replica"] and "replica" in replica
    assert dbrouter.replica_lag() == 4.5 and not lag_warnings(caplog)


def test_a_lagging_replica_sends_reads_to_the_primary_with_one_warning_per_check(
    world, replica, standby, clock, settings, caplog
):
    client = world.client(world.city_staff)
    standby.lag = 30.0
    for _ in range(2):
        assert client.get("/staff/opinions/stats/").status_code == 200
    assert replica and set(replica) == {"default"}
    assert standby.asked == ["replica"]  # two requests within DB_REPLICA_LAG_CHECK_SECONDS: one measurement
    assert lag_warnings(caplog) == [
        "The replica is 30.0 s behind (DB_REPLICA_MAX_LAG_SECONDS=5): reading from the primary"
    ]
    # The next period measures again; the replica has caught up: read from it, nothing more logged.
    clock.now += settings.DB_REPLICA_LAG_CHECK_SECONDS
    standby.lag = 0.0
    replica.clear()
    assert client.get("/staff/opinions/stats/").status_code == 200
    assert standby.asked == ["replica", "replica"] and "replica" in replica
    assert len(lag_warnings(caplog)) == 1


def test_the_answer_is_trusted_for_the_check_period_only(world, replica, standby, clock, settings):
    client = world.client(world.city_staff)
    settings.DB_REPLICA_LAG_CHECK_SECONDS = 3
    assert client.get("/staff/opinions/stats/").status_code == 200
    clock.now += 2.9
    standby.lag = 60.0  # the replica fell behind, but this process has not asked again yet
    replica.clear()
    assert client.get("/").status_code == 200
    assert standby.asked == ["replica"] and "replica" in replica
    clock.now += 0.1
    replica.clear()
    assert client.get("/").status_code == 200
    assert standby.asked == ["replica", "replica"] and set(replica) == {"default"}


def test_an_unreachable_replica_sends_reads_to_the_primary(world, replica, standby, caplog):
    client = world.client(world.city_staff)
    standby.error = OperationalError("connection to server at 10.0.0.2, port 5432 failed: Connection refused")
    for _ in range(2):
        answer = client.get("/staff/opinions/stats/")
        assert answer.status_code == 200 and "opinions:stats reads from the replica" not in caplog.text
    assert replica and set(replica) == {"default"} and standby.asked == ["replica"]
    assert lag_warnings(caplog) == [
        "The replica's lag cannot be measured "
        "(connection to server at 10.0.0.2, port 5432 failed: Connection refused): reading from the primary"
    ]


def test_a_replica_that_cannot_tell_its_lag_is_not_read_from(world, replica, standby, caplog):
    standby.lag = None  # pg_last_xact_replay_timestamp() is NULL: nothing replayed since it started
    assert world.client(world.city_staff).get("/staff/opinions/stats/").status_code == 200
    assert replica and set(replica) == {"default"}
    assert lag_warnings(caplog) == [
        "The replica cannot tell its lag (not a standby, or nothing replayed yet): reading from the primary"
    ]


def test_no_lag_limit_means_no_measurement(world, replica, standby, settings, caplog):
    settings.DB_REPLICA_MAX_LAG_SECONDS = 0
    standby.lag = 999.0
    assert world.client(world.city_staff).get("/staff/opinions/stats/").status_code == 200
    assert standby.asked == [] and "replica" in replica and not lag_warnings(caplog)


def test_the_lag_statement_on_a_database_that_is_not_a_standby(world, replica, monkeypatch, caplog):
    """The real statement, run on the test database in the replica's place. PostgreSQL: a primary answers NULL (it
    replays nothing), so the lag is unknown. SQLite cannot run it (and settings refuse a replica beside it): the
    statement fails, the connection is closed, and the lag is unknown too. Either way: the primary."""
    monkeypatch.setattr(dbrouter, "_query_lag", lambda alias: QUERY_LAG("default"))
    if connection.vendor == "postgresql":
        assert QUERY_LAG("default") is None
        expected = "The replica cannot tell its lag (not a standby, or nothing replayed yet): reading from the primary"
    else:
        connection.ensure_connection()
        with pytest.raises(OperationalError) as refused:  # pg_current_wal_lsn() is not SQLite's
            QUERY_LAG("default")
        assert connections["default"].connection is None  # closed, not left broken for the next request
        expected = f"The replica's lag cannot be measured ({refused.value}): reading from the primary"
    assert world.client(world.city_staff).get("/staff/opinions/stats/").status_code == 200
    assert replica and set(replica) == {"default"}
    assert dbrouter.replica_lag() is None and lag_warnings(caplog) == [expected]


def test_the_replica_is_measured_against_the_primarys_wal_position(db, monkeypatch):
    """A replica cut off from the primary has replayed all it received: by itself it would look current for good.
    The primary's WAL position is read first and passed to the replica's statement (LAG_SQL). On PostgreSQL the real
    statement runs with the standby's functions stood in for (a schema ahead of pg_catalog in search_path): caught
    up with the primary is 0 s however old its last transaction; received less than the primary wrote (cut off) or
    not yet replayed is the age of its last replayed transaction."""
    asked = []
    real_ask = dbrouter._ask

    def ask(alias, sql, params=()):
        asked.append((alias, sql, list(params)))
        return "0/3000100" if sql == dbrouter.PRIMARY_WAL_SQL else real_ask("default", sql, params)

    monkeypatch.setattr(dbrouter, "_ask", ask)
    if connection.vendor != "postgresql":  # SQLite has no pg_lsn (and settings refuse a replica beside it)
        with pytest.raises(OperationalError):
            QUERY_LAG("replica")
        assert asked == [("default", dbrouter.PRIMARY_WAL_SQL, []), ("replica", dbrouter.LAG_SQL, ["0/3000100"])]
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA standby_stand_in")
        for name, kind, value in [
            ("pg_last_wal_receive_lsn", "pg_lsn", "current_setting('stand_in.received')::pg_lsn"),
            ("pg_last_wal_replay_lsn", "pg_lsn", "current_setting('stand_in.replayed')::pg_lsn"),
            ("pg_last_xact_replay_timestamp", "timestamptz", "now() - interval '30 seconds'"),
        ]:
            cursor.execute(
                f"CREATE FUNCTION standby_stand_in.{name}() RETURNS {kind} LANGUAGE sql AS $$ SELECT {value} $$"
            )
        cursor.execute("SET LOCAL search_path = standby_stand_in, pg_catalog, public")

    def lag(received, replayed):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('stand_in.received', %s, true), set_config('stand_in.replayed', %s, true)",
                [received, replayed],
            )
        return QUERY_LAG("replica")

    assert lag("0/3000100", "0/3000100") == 0  # caught up: current, however long ago its last transaction was
    assert lag("0/3000200", "0/3000200") == 0  # received more than the primary had a moment before: current
    assert lag("0/3000000", "0/3000000") == 30  # cut off: replayed all it received, but the primary wrote more
    assert lag("0/3000200", "0/3000100") == 30  # received, not yet replayed
    assert asked[:2] == [("default", dbrouter.PRIMARY_WAL_SQL, []), ("replica", dbrouter.LAG_SQL, ["0/3000100"])]
