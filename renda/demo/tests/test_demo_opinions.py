"""The demo's opinions: every state present, timelines that chain, idempotent, searchable.

One load per module (the city, then 3,000 opinions), rolled back afterwards; each test runs in a savepoint.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from renda.demo.generate import load_demo
from renda.demo.opinions import load_demo_opinions
from renda.opinions import search
from renda.opinions.models import Event, Opinion, Photo, Supporter
from renda.opinions.workflow import DONE_STATES, TRANSITIONS, Action, Actor, Rating, State

COUNT = 3000


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            summary = load_demo_opinions(COUNT)
            yield summary
            transaction.set_rollback(True)


@pytest.fixture
def opinions(demo, db):
    return Opinion.objects.filter(client_token__startswith="demo-")


def test_every_state_is_present(demo, opinions):
    by_state = dict(opinions.values_list("status").annotate(n=Count("id")))
    assert set(by_state) == set(State.values), by_state
    assert opinions.count() == COUNT == demo.created
    assert by_state[State.FINAL] > COUNT / 2  # a year's worth: most are done
    assert sum(demo.states.values()) == COUNT


def test_timelines_chain_and_follow_the_transition_table(opinions):
    events = {}
    for event in Event.objects.filter(opinion__in=opinions).order_by("opinion_id", "created", "id"):
        events.setdefault(event.opinion_id, []).append(event)
    assert len(events) == COUNT
    for opinion in opinions.only("id", "status", "created", "updated"):
        timeline = events[opinion.pk]
        first = timeline[0]
        assert (first.action, first.from_state, first.to_state) == (Action.SUBMIT, "", State.SUBMITTED)
        assert first.created == opinion.created
        for before, after in zip(timeline, timeline[1:], strict=False):
            assert after.from_state == before.to_state, (opinion.pk, before.action, after.action)
            assert after.created > before.created, (opinion.pk, after.action)
            if after.action in TRANSITIONS and TRANSITIONS[after.action][1] is not None:
                sources, target, roles = TRANSITIONS[after.action]
                assert after.from_state in sources and after.to_state == target, (opinion.pk, after.action)
                assert after.actor_role in roles, (opinion.pk, after.action, after.actor_role)
        assert timeline[-1].to_state == opinion.status
        assert opinion.updated >= timeline[-1].created - timezone.timedelta(seconds=1)


def test_outcomes_look_like_real_work(opinions):
    now = timezone.now()
    rated = opinions.exclude(rating="")
    satisfied = rated.filter(rating=Rating.SATISFIED).count()
    assert satisfied / rated.count() > 0.6
    assert set(rated.values_list("rating", flat=True)) == set(Rating.values)
    open_ = opinions.exclude(status__in=DONE_STATES)
    assert open_.filter(due_at__lt=now).exists()  # overdue
    assert open_.filter(escalated_at__isnull=False).exists()  # escalated (督办)
    assert not opinions.filter(status__in=DONE_STATES - {State.CLOSED}, due_at__isnull=False).exists()
    merged = opinions.filter(status=State.MERGED)
    assert merged.exists() and not merged.filter(merged_into__isnull=True).exists()
    refused = opinions.filter(status=State.REFUSED)
    assert refused.exists() and not refused.filter(refusal_reason="").exists()
    forwarded = opinions.filter(status__in=[State.FORWARDED, State.UNIT_REPLIED])
    assert not forwarded.filter(unit__isnull=True).exists()
    assert Event.objects.filter(opinion__in=opinions, actor_role=Actor.UNIT).exclude(public_actor="").exists()
    assert Supporter.objects.filter(opinion__in=opinions).exists()
    assert not Photo.objects.filter(opinion__in=opinions).exists()
    assert opinions.filter(created__lt=now - timezone.timedelta(days=300)).exists()
    codes = list(opinions.values_list("tracking_code", flat=True))
    assert len(set(codes)) == len(codes)


def test_phones_of_the_few_who_left_one_are_encrypted(opinions):
    with_phone = opinions.filter(consent=True)
    assert 0 < with_phone.count() < COUNT / 3
    opinion = with_phone.first()
    assert opinion.submitter_phone.startswith("13") and len(opinion.submitter_phone) == 11
    with connection.cursor() as cursor:
        cursor.execute("SELECT submitter_phone FROM opinions_opinion WHERE id = %s", [opinion.pk])
        (raw,) = cursor.fetchone()
    assert opinion.submitter_phone not in raw
    assert opinion.masked_phone.count("*") == 4


def test_a_second_run_writes_nothing(opinions):
    # The demo's own opinions and their events (load_demo's other parts, run below for the first time here, add
    # opinions of their own: problem items pushed from activities).
    events = Event.objects.filter(opinion__in=opinions)
    before = (opinions.count(), events.count(), Supporter.objects.count())
    summary = load_demo_opinions(COUNT)
    assert summary.skipped and summary.created == COUNT
    assert (opinions.count(), events.count(), Supporter.objects.count()) == before
    out = StringIO()
    call_command("load_demo", "--opinions", str(COUNT), "--no-receptions", stdout=out)
    assert "already there" in out.getvalue()
    assert (opinions.count(), events.count()) == before[:2]


def test_search_finds_demo_texts_exactly(opinions):
    texts = dict(opinions.values_list("pk", "text"))
    for query in ["停车", "路灯", "加装电梯", "积水", "WiFi", "5G"]:
        found = set(opinions.filter(search.matching_q(query)).values_list("pk", flat=True))
        truth = {pk for pk, text in texts.items() if query.lower() in text.lower()}
        assert found == truth and found, query
