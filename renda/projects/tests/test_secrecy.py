"""Ballot secrecy, checked on the models themselves and on the rows a closed session leaves.

No table joins a deputy to a choice; no id, timestamp or row order lines up "who voted" with "what was cast".
"""

from django.apps import apps
from django.db import connection, models

from ..actions import sessions, voting
from ..models import Ballot, Receipt, RollEntry
from ..phases import Phase
from .helpers import DEPUTY, STAFF, add_candidates, make_deputies, make_round, voting_session

SECRET = "fedcba9876543210fedcba9876543210"


def _fields(model):
    return {field.name: field for field in model._meta.get_fields() if getattr(field, "concrete", False)}


def test_ballot_and_receipt_hold_nothing_that_names_or_times_a_voter():
    for model, expected in ((Ballot, {"id", "session", "choices"}), (Receipt, {"id", "session", "code", "commitment"})):
        fields = _fields(model)
        assert set(fields) == expected, model
        assert isinstance(fields["id"], models.UUIDField), "a random key, not a sequence"
        assert fields["session"].related_model.__name__ == "Session"
        assert not any(isinstance(f, (models.DateField, models.TimeField)) for f in fields.values())
        assert model._meta.ordering == []


def test_no_table_references_a_ballot_or_a_receipt():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model not in (Ballot, Receipt), f"{model.__name__}.{field.name}"


def test_the_tables_that_name_deputies_hold_no_choice():
    """Only RollEntry (with a voted flag), Officer, Proposal and SupervisionVisit reference a deputy in this app;
    none holds a choice or a reference to a ballot, a receipt or a tally."""
    naming = {
        model.__name__
        for model in apps.get_app_config("projects").get_models()
        if any(f.is_relation and f.concrete and f.related_model.__name__ == "Deputy" for f in model._meta.get_fields())
    }
    assert naming == {"RollEntry", "Officer", "Proposal", "SupervisionVisit"}
    assert set(_fields(RollEntry)) == {"id", "session", "deputy", "present", "voted"}


def _physical_order(session):
    """Ballot rows in the order the database hands them out without ORDER BY (the storage order)."""
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, choices FROM {table} WHERE session_id = %s", [session.pk])
        return cursor.fetchall()


def test_closing_rewrites_the_ballots_in_random_order_with_new_keys(world):
    """30 ballots, each distinct ("for" on a different pair): after closing, neither the keys nor the storage
    order are those of the casting; a chance of 1/30! that a shuffle leaves the order as it was."""
    round_ = make_round(world, phase=Phase.VOTING, places=2)
    projects = add_candidates(world, round_, 9)
    deputies = make_deputies(world, 29) + [world.deputy_wz]
    session = voting_session(world, round_)
    cast_order = []
    pairs = [(i, j) for i in range(9) for j in range(i + 1, 9)][:30]
    for deputy, (i, j) in zip(deputies, pairs, strict=True):
        choices = {str(p.pk): "for" if n in (i, j) else "against" for n, p in enumerate(projects)}
        voting.cast(deputy.user, session, deputy, DEPUTY, choices, SECRET)
        cast_order.append(choices)
    keys_before = set(Ballot.objects.values_list("id", flat=True))
    assert [row for _id, row in _physical_order(session)] != [] and len(keys_before) == 30
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    after = _physical_order(session)
    assert not keys_before & {row[0] for row in after}
    stored = [Ballot._meta.get_field("choices").from_db_value(row[1], None, connection) for row in after]
    assert sorted(map(str, stored)) == sorted(map(str, cast_order)), "the same ballots, unchanged"
    assert stored != cast_order, "the storage order no longer follows the casting"
    assert RollEntry.objects.filter(session=session, voted=True).count() == 30 == Receipt.objects.count()
