"""Supervision statistics: figures on a constructed set, per child region, date range, scope, query count."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from renda.opinions.models import Event
from renda.opinions.workflow import Action, Actor, Rating, State
from renda.testing import assert_statuses

from .staff_helpers import make_opinion

URL = reverse("opinions:stats")


def step(opinion, action, from_state, to_state, at, due=None):
    event = Event.objects.create(
        opinion=opinion, action=action, from_state=from_state, to_state=to_state, actor_role=Actor.STAFF, due_at=due
    )
    Event.objects.filter(pk=event.pk).update(created=at)


def opinion_with_history(world, state, steps, *, station=None, created, **extra):
    """An opinion whose timeline is `steps`: (action, from, to, day it happened, day the new state is due)."""
    opinion = make_opinion(world, state, station=station, created=created, **extra)
    Event.objects.filter(opinion=opinion).delete()
    for action, from_state, to_state, day, due_day in steps:
        due = created + timedelta(days=due_day) if due_day is not None else None
        step(opinion, action, from_state, to_state, created + timedelta(days=day), due)
    return opinion


def build(world):
    S, A = State, Action
    now = timezone.now()
    d0 = now - timedelta(days=20)
    # 木渎镇: a finished, satisfied opinion with one late step (handled on day 12, due on day 10).
    opinion_with_history(
        world,
        S.FINAL,
        [
            (A.SUBMIT, "", S.SUBMITTED, 0, 2),
            (A.ACCEPT, S.SUBMITTED, S.ACCEPTED, 1, 10),
            (A.HANDLE, S.ACCEPTED, S.HANDLING, 12, 20),
            (A.REPLY, S.HANDLING, S.CLOSED, 15, 30),
            (A.RATE, S.CLOSED, S.FINAL, 16, None),  # the rating wait is not judged
        ],
        created=d0,
        rating=Rating.SATISFIED,
    )
    # 木渎镇: refused a day late.
    opinion_with_history(
        world, S.REFUSED, [(A.SUBMIT, "", S.SUBMITTED, 0, 2), (A.REFUSE, S.SUBMITTED, S.REFUSED, 3, None)], created=d0
    )
    # 木渎镇: forwarded in time, now past the unit's due date (open and overdue); notes and "mine too" are no steps.
    opinion_with_history(
        world,
        S.FORWARDED,
        [
            (A.SUBMIT, "", S.SUBMITTED, 0, 2),
            (A.SUPPORT, S.SUBMITTED, S.SUBMITTED, 1, None),
            (A.ACCEPT, S.SUBMITTED, S.ACCEPTED, 1, 10),
            (A.FORWARD, S.ACCEPTED, S.FORWARDED, 2, 5),
            (A.NOTE, S.FORWARDED, S.FORWARDED, 19, 5),
        ],
        created=d0,
        due_at=d0 + timedelta(days=5),
    )
    # 唯亭街道: one finally closed and dissatisfied, one waiting for triage (not yet due).
    opinion_with_history(
        world, S.FINAL, [], station=world.weiting_station, created=d0, rating=Rating.DISSATISFIED, due_at=None
    )
    opinion_with_history(
        world, S.SUBMITTED, [(A.SUBMIT, "", S.SUBMITTED, 0, 30)], station=world.weiting_station, created=d0
    )
    # Outside 吴中区: never counted.
    opinion_with_history(world, S.FINAL, [], station=world.canglang_home, created=d0, rating=Rating.SATISFIED)
    # A year ago in 木渎镇: outside a date range of the last month.
    opinion_with_history(world, S.FINAL, [], created=now - timedelta(days=400), rating=Rating.BASICALLY)


def test_stats_grid(world):
    assert_statuses(
        world,
        URL,
        {
            "anonymous": 302,
            "outsider": 404,
            "keeper": 404,
            "deputy_user": 404,
            "unit_user": 404,
            "sysadmin": 404,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
            "park_staff": 200,
        },
    )
    assert_statuses(
        world,
        f"{URL}?region={world.wuzhong.code}",
        {"wuzhong_staff": 200, "city_staff": 200, "gusu_staff": 404, "park_staff": 404, "resort_staff": 404},
    )


def test_figures_on_a_constructed_set(world):
    build(world)
    client = world.client(world.wuzhong_staff)
    month_ago = timezone.localdate(timezone.now() - timedelta(days=30)).isoformat()
    response = client.get(URL, {"date_from": month_ago})
    total = response.context["total"]
    assert response.context["region"] == world.wuzhong
    assert total.total == 5 and total.by_status[State.FINAL] == 2 and total.by_status[State.FORWARDED] == 1
    assert (total.handled, total.handling_rate) == (3, 60.0)
    # Steps done: accept, handle (late), reply; refuse (late); accept, forward → 4 of 6 on time; 1 open overdue.
    assert (total.steps_done, total.steps_on_time, total.open_overdue) == (6, 4, 1)
    assert total.on_time_rate == round(100 * 4 / 7, 1)
    assert (total.rated, total.satisfied, total.satisfaction_rate) == (2, 1, 50.0)
    rows = {region.name: figures for region, figures in response.context["children"]}
    assert set(rows) == {"唯亭街道", "木渎镇", "金庭镇"}
    mudu, weiting, jinting = rows["木渎镇"], rows["唯亭街道"], rows["金庭镇"]
    assert (mudu.total, mudu.handling_rate, mudu.on_time_rate, mudu.satisfaction_rate) == (3, 66.7, 57.1, 100.0)
    assert (weiting.total, weiting.handling_rate, weiting.on_time_rate, weiting.satisfaction_rate) == (
        2,
        50.0,
        None,
        0.0,
    )
    assert jinting.total == 0 and jinting.handling_rate is None
    content = response.content.decode()
    assert "60.0%" in content and "57.1%" in content and "50.0%" in content

    everything = client.get(URL).context["total"]
    assert (everything.total, everything.handled, everything.rated, everything.satisfied) == (6, 4, 3, 2)


def test_child_region_and_zone_rows(world):
    build(world)
    response = world.client(world.wuzhong_staff).get(URL, {"region": world.mudu.code})
    assert response.context["total"].total == 4
    response = world.client(world.park_staff).get(URL)
    assert response.context["region"] == world.park
    rows = {region.name: figures.total for region, figures in response.context["children"]}
    assert rows == {"唯亭街道": 2, "斜塘街道": 0}
    assert response.context["total"].total == 2


def test_query_count_is_fixed(world, django_assert_num_queries):
    client = world.client(world.wuzhong_staff)
    url = f"{URL}?region={world.wuzhong.code}"
    client.get(url)
    # session, user, grants, the region, the summary's freshness (none yet: counted live), its child regions,
    # opinions grouped, steps grouped
    with django_assert_num_queries(8):
        client.get(url)
    build(world)
    build(world)
    with django_assert_num_queries(8):
        client.get(url)
