"""A double tap that reaches the server twice at the same moment still makes one opinion (and one supporter)."""

import threading
import time
import uuid

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client

from renda.opinions.models import Category, Event, Opinion, Supporter
from renda.opinions.public_forms import sign_opinion
from renda.testing import build_world

from .public_helpers import CATEGORIES, form_data, submit

THREADS = 2


@pytest.fixture
def live_world(transactional_db):
    """The world without a wrapping transaction: each thread commits for real, as two requests would.

    A transactional test empties the tables afterwards, the categories of data migration 0002 included: put them back.
    """
    cache.clear()
    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"position": position})
    yield build_world()
    cache.clear()


def _post_retrying_locks(client, url, data):
    """SQLite's shared in-memory test database answers "table is locked" at once where a file database with a busy
    timeout would wait; the request is then retried, as the phone would. PostgreSQL never takes this path."""
    for _attempt in range(100):
        try:
            return client.post(url, data)
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("still locked")


def _post_together(url: str, data: dict) -> list:
    barrier = threading.Barrier(THREADS)
    responses, errors = [], []

    def worker():
        try:
            client = Client()
            barrier.wait()
            responses.append(_post_retrying_locks(client, url, data))
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return responses


def test_concurrent_double_submission_makes_one_opinion(live_world):
    token = str(uuid.uuid4())
    responses = _post_together("/s/MUDU01/opinion/", form_data(token))
    assert [r.status_code for r in responses] == [302] * THREADS
    assert len({r["Location"] for r in responses}) == 1
    opinion = Opinion.objects.get()
    assert opinion.client_token == token and responses[0]["Location"] == f"/t/{opinion.tracking_code}/?new=1"
    assert Event.objects.filter(opinion=opinion).count() == 1


def test_concurrent_double_mine_too_makes_one_supporter(live_world):
    opinion = submit(live_world)
    data = {"opinion": sign_opinion(opinion.pk), "client_token": str(uuid.uuid4())}
    responses = _post_together("/s/MUDU01/opinion/mine-too/", data)
    assert [r.status_code for r in responses] == [302] * THREADS
    assert Supporter.objects.count() == 1
