"""The replica router (renda/core/dbrouter.py): read-heavy pages read from the replica, a writer is pinned to the
primary for DB_REPLICA_PIN_SECONDS, writes and transactions always use the primary."""

import pytest
from django.db import transaction

from renda.core import dbrouter
from renda.opinions.models import Opinion

CHOICES: list[str] = []


class SpyRouter(dbrouter.ReplicaRouter):
    """Records where the real router sends each read, then reads from the test database (there is no replica)."""

    def db_for_read(self, model, **hints):
        CHOICES.append(super().db_for_read(model, **hints))
        return "default"


@pytest.fixture
def replica(settings, transactional_db):
    """Requests outside a test transaction (inside one, every read stays on the primary, as it should)."""
    settings.DB_REPLICA_ALIAS = "replica"
    settings.DATABASE_ROUTERS = ["renda.core.tests.test_dbrouter.SpyRouter"]
    settings.DB_REPLICA_PIN_SECONDS = 10
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
