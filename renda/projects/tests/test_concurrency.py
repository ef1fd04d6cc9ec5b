"""Concurrent casting: every deputy's phone sends its ballot twice at the same moment; exactly one counts.

Each thread has its own database connection. On PostgreSQL the casts really overlap: they share the session row,
and the two casts of one deputy queue on the roll entry's lock; the second finds it voted and is refused. The SQLite
test database is in memory with a shared cache, which answers concurrent access with "table is locked" instead of
waiting, so there the threads take turns cast by cast (SQLite serialises writers anyway) — the same code paths.
"""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection

from ..actions import ProjectsError, voting
from ..models import Ballot, Receipt, RollEntry
from ..phases import Phase
from .helpers import DEPUTY, add_candidates, choices_for, make_deputies, make_round, voting_session

DEPUTIES = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_casts_count_once(world):
    round_ = make_round(world, phase=Phase.VOTING, places=2)
    projects = add_candidates(world, round_, 3)
    deputies = make_deputies(world, DEPUTIES)
    session = voting_session(world, round_)
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    barrier = threading.Barrier(DEPUTIES * 2)
    accepted, refused, errors = [], [], []

    def phone(deputy, n):
        try:
            barrier.wait()
            with turns:
                receipt = voting.cast(
                    deputy.user,
                    session,
                    deputy,
                    DEPUTY,
                    choices_for(projects, for_=projects[n % 2 : n % 2 + 2]),
                    "x" * 32,
                )
            accepted.append((deputy.pk, receipt.code))
        except ProjectsError as exc:
            refused.append((deputy.pk, exc.code))
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=phone, args=(d, n)) for d in deputies for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(pk for pk, _code in accepted) == sorted(d.pk for d in deputies), "each deputy exactly once"
    assert sorted(refused) == sorted((d.pk, "twice") for d in deputies)
    assert Ballot.objects.filter(session=session).count() == DEPUTIES == Receipt.objects.count()
    assert RollEntry.objects.filter(session=session, voted=True).count() == DEPUTIES
