"""Concurrent appends keep one unbroken chain (the append lock; ids are previous id + 1 under it)."""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection

from renda.audit.actions import record
from renda.audit.chain import verify
from renda.audit.models import AuditAnchor, AuditEvent

THREADS, EACH = 2, 15


@pytest.mark.django_db(transaction=True)
def test_two_writers_keep_the_chain():
    """On PostgreSQL the writers really overlap and queue on the advisory lock. The SQLite test database is in
    memory with a shared cache, which answers concurrent access with "table is locked" instead of waiting, so there
    the writers take turns record by record (SQLite serialises writers anyway)."""
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    barrier = threading.Barrier(THREADS)
    errors = []

    def writer(name):
        try:
            barrier.wait()
            for n in range(EACH):
                with turns:
                    record(None, f"test.{name}.{n}")
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEvent.objects.filter(action__startswith="test.").count() == THREADS * EACH
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(ids[0], ids[0] + len(ids)))
    assert verify(AuditEvent, AuditAnchor) == (THREADS * EACH, None)
