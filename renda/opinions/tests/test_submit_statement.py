"""A submission's rows in one statement (core/rowchain.py), with the task queue in the database as in production.

The rest of the suite runs the immediate tasks backend, where a submission writes in one transaction instead; here the
database backend is on, and the test database is not wrapped in a transaction (`live_world`), so on PostgreSQL the
production path runs: the opinion, its Submit event and the queued routing task in one INSERT statement, in
autocommit. On SQLite the same rows are written one by one in a transaction; every assertion holds for both.
"""

import json
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult, get_date_max

from renda.core import rowchain
from renda.notifications.models import Message
from renda.notifications.tasks import route_task
from renda.opinions import actions
from renda.opinions.models import Event, Opinion
from renda.opinions.notify import ROUTER, notify_event
from renda.opinions.workflow import Action

from .public_helpers import category, form_data
from .test_public_concurrency import _post_together, live_world  # noqa: F401 (a fixture)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(live_world, settings):  # noqa: F811 (the fixture imported above)
    settings.TASKS = DATABASE_QUEUE
    return live_world


def _post(client, key, **body):
    data = {"station": "MUDU01", "category": category().pk, "text": "小区门口路灯坏了，晚上很黑", "consent": False}
    return client.post(
        "/api/v1/opinions", json.dumps(data | body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_submission_is_one_statement_with_its_event_and_queued_routing(queue):
    with CaptureQueriesContext(connection) as captured:
        response = _post(Client(), str(uuid.uuid4()))
    assert response.status_code == 201
    opinion = Opinion.objects.get(tracking_code=response.json()["tracking_code"])
    event = Event.objects.get(opinion=opinion)
    assert event.action == Action.SUBMIT and event.due_at == opinion.due_at
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs == {"args": [ROUTER, event.pk], "kwargs": {}}
    assert queued.status == "READY" and queued.run_after == get_date_max()  # django-tasks-db's pre_save ran
    writes = [q["sql"] for q in captured.captured_queries if 'INSERT INTO "opinions_' in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0].startswith("WITH r0 AS (INSERT INTO")
        assert not any(q["sql"] in ("BEGIN", "COMMIT") for q in captured.captured_queries)
    else:
        assert len(writes) == 2  # the opinion, then its event, in a transaction
    # The worker runs the queued row: the station's deputy and keeper hear of it, as through `enqueue`.
    assert queued.task.call(*queued.args_kwargs["args"]) == 2
    assert set(Message.objects.values_list("user__username", flat=True)) == {"keeper", "deputy_user"}


def test_a_double_tap_makes_one_opinion_one_event_and_one_queued_task(queue):
    responses = _post_together("/s/MUDU01/opinion/", form_data(str(uuid.uuid4())))
    assert [r.status_code for r in responses] == [302, 302] and len({r["Location"] for r in responses}) == 1
    event = Event.objects.get()
    assert (Opinion.objects.count(), DBTaskResult.objects.get().args_kwargs["args"]) == (1, [ROUTER, event.pk])


def test_the_queued_row_is_the_one_enqueue_writes(queue):
    opinion = actions.submit(station=queue.mudu_home, category=category(), text="路灯坏了").opinion
    event = Event.objects.get(opinion=opinion)
    written = DBTaskResult.objects.get()
    notify_event(event.pk)  # django-tasks-db's own enqueue, for the same event
    enqueued = DBTaskResult.objects.exclude(pk=written.pk).get()
    fields = [f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in ("id", "enqueued_at")]
    assert {f: getattr(written, f) for f in fields} == {f: getattr(enqueued, f) for f in fields}
    assert written.task.module_path == route_task.module_path


def test_a_retry_meets_the_first_rows_and_writes_nothing(queue):
    client, key = Client(), str(uuid.uuid4())
    first = _post(client, key)
    again = _post(client, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert (Opinion.objects.count(), Event.objects.count(), DBTaskResult.objects.count()) == (1, 1, 1)


def test_a_taken_tracking_code_is_drawn_again_without_half_rows(queue, monkeypatch):
    taken = actions.submit(station=queue.mudu_home, category=category(), text="第一条").opinion.tracking_code
    codes = iter([taken, "QWERTYUPAS"])
    monkeypatch.setattr(actions, "new_tracking_code", lambda: next(codes))
    second = actions.submit(station=queue.mudu_home, category=category(), text="第二条").opinion
    assert second.tracking_code == "QWERTYUPAS" and second.pk == Opinion.objects.get(text="第二条").pk
    assert (Opinion.objects.count(), Event.objects.count(), DBTaskResult.objects.count()) == (2, 2, 2)


def test_inside_a_callers_transaction_a_refused_row_leaves_it_usable(queue):
    token = str(uuid.uuid4())
    with transaction.atomic():
        first = actions.submit(station=queue.mudu_home, category=category(), text="路灯坏了", client_token=token)
        again = actions.submit(
            station=queue.mudu_home, category=category(), text="路灯坏了", client_token=token, insert_first=True
        )
        assert again.opinion.pk == first.opinion.pk and not again.created
        assert Opinion.objects.count() == 1  # the transaction still answers after the refused INSERT
    assert (Opinion.objects.count(), Event.objects.count(), DBTaskResult.objects.count()) == (1, 1, 1)


def test_rowchain_refuses_a_reference_to_a_later_row(queue):
    opinion = Opinion(region=queue.mudu_home.region, category=category(), text="x", tracking_code="ZZZZZZZZZZ")
    event = Event(action=Action.SUBMIT, actor_role="constituent")
    with pytest.raises(ValueError, match="refers to row 1"):
        rowchain.insert([(event, {"opinion_id": rowchain.Ref(1)}), (opinion, {})])
    assert Opinion.objects.count() == 0


def test_rowchain_writes_nothing_when_a_row_is_refused(queue):
    taken = actions.submit(station=queue.mudu_home, category=category(), text="第一条").opinion.tracking_code
    opinion = Opinion(region=queue.mudu_home.region, category=category(), text="x", tracking_code=taken)
    event = Event(opinion=opinion, action=Action.SUBMIT, actor_role="constituent")
    with pytest.raises(IntegrityError):
        rowchain.insert([(opinion, {}), (event, {"opinion_id": rowchain.Ref(0)})])
    assert (Opinion.objects.count(), Event.objects.count()) == (1, 1)


def test_rowchain_refuses_a_model_whose_save_it_would_skip(queue):
    from renda.opinions.models import DeadlineRule

    rule = DeadlineRule(step=DeadlineRule.Step.HANDLE, days=99)
    with pytest.raises(TypeError, match="overrides save"):
        rowchain.insert([(rule, {})])
    assert not DeadlineRule.objects.filter(days=99).exists()


def test_the_hot_statements_are_bound_on_the_server_and_prepared(queue, settings):
    """On a direct PostgreSQL connection the submission's statement and the limits' counter are bound on the server
    (core/dbcursor.py) and psycopg prepares them after DB_PREPARE_THRESHOLD executions: PostgreSQL then plans them
    once per connection. The answers and rows are the same as before preparing."""
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    runs = (threshold or 0) + 2
    client = Client()
    codes = [_post(client, str(uuid.uuid4())).status_code for _ in range(runs)]
    assert codes == [201] * runs
    assert Opinion.objects.count() == runs and Event.objects.count() == runs and DBTaskResult.objects.count() == runs
    if connection.vendor == "postgresql":
        assert threshold == settings.DB_PREPARE_THRESHOLD == 5
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        assert any(text.startswith('WITH r0 AS (INSERT INTO "opinions_opinion"') for text in prepared), prepared
        assert any(text.startswith('INSERT INTO "core_ratecounter"') for text in prepared), prepared
        # A retry after preparing is still answered with the first one's opinion (the unique index, prepared or not).
        key = str(uuid.uuid4())
        first, again = _post(client, key), _post(client, key)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["tracking_code"] == again.json()["tracking_code"]
