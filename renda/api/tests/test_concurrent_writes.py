"""Concurrent writers against a live server (issue 11, item 1): several constituents submitting at the same moment,
two staff acting on the same opinion or planning the same draft day at the same moment — no 5xx, nothing lost,
nothing doubled. On SQLite this is the connection settings' work (IMMEDIATE transactions, a busy timeout, WAL; the
test database is a file, see test_settings); on PostgreSQL the row locks'. The test runs on both.
"""

import datetime
import threading

import pytest
import requests
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from renda.opinions.models import Category, Event, Opinion
from renda.opinions.workflow import Action, State
from renda.receptions.models import Campaign, Duty
from renda.testing import build_world

from .helpers import bearer, opinion_at

WRITERS = 8
ROUNDS = 3
CATEGORY = "交通出行"


@pytest.fixture
def live_world(live_server, transactional_db, settings):
    """The world committed for real (each request runs on the server's own connection). A transactional test empties
    the tables afterwards, the categories of the data migration included: put them back."""
    cache.clear()
    # Everyone here is 127.0.0.1: the per-address limit (counted in the database) is not what these tests are about.
    settings.LIMIT_SUBMIT_PER_IP_HOUR = settings.LIMIT_SUBMIT_PER_DEVICE_HOUR = 10_000
    Category.objects.get_or_create(name=CATEGORY, defaults={"position": 0})
    world = build_world()
    world.url = live_server.url
    yield world
    cache.clear()


def together(calls):
    """Run the calls in threads released at the same instant; return their responses (raise what a thread raised)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_constituents_submitting_at_once_all_get_their_opinion(live_world):
    world = live_world
    category = Category.objects.get(name=CATEGORY)
    url = f"{world.url}/api/v1/opinions"
    codes = []
    for round_ in range(ROUNDS):

        def submit(n, round_=round_):
            body = {
                "station": world.mudu_home.public_code,
                "category": category.pk,
                "text": f"第{round_}轮第{n}位群众：路口红绿灯时间太短",
            }
            return requests.post(url, json=body, timeout=60)

        responses = together([lambda n=n: submit(n) for n in range(WRITERS)])
        assert [r.status_code for r in responses] == [201] * WRITERS, [r.text[:200] for r in responses]
        codes += [r.json()["tracking_code"] for r in responses]
    assert len(set(codes)) == WRITERS * ROUNDS
    assert Opinion.objects.filter(tracking_code__in=codes).count() == WRITERS * ROUNDS
    assert Event.objects.filter(opinion__tracking_code__in=codes, action=Action.SUBMIT).count() == WRITERS * ROUNDS


def test_two_staff_acting_on_one_opinion_at_once(live_world):
    world = live_world
    opinions = [opinion_at(world.mudu_home, f"小区停车难，第{n}条") for n in range(ROUNDS)]
    staff = [bearer(world.wuzhong_staff)[1], bearer(world.city_staff)[1]]
    for opinion in opinions:
        url = f"{world.url}/api/v1/staff/opinions/{opinion.pk}/actions/accept"

        def accept(secret, url=url):
            return requests.post(url, json={}, headers={"Authorization": f"Bearer {secret}"}, timeout=60)

        responses = together([lambda s=secret: accept(s) for secret in staff])
        statuses = sorted(r.status_code for r in responses)
        # One accepts; the other is told the opinion has moved on (409), never a server error.
        assert statuses == [200, 409], [r.text[:200] for r in responses]
        assert all(r.headers["Content-Type"].startswith("application/json") for r in responses)
        opinion.refresh_from_db()
        assert opinion.status == State.ACCEPTED
        assert opinion.events.filter(action=Action.ACCEPT).count() == 1


def test_two_staff_planning_one_draft_day_at_once(live_world):
    world = live_world
    day = timezone.localdate() + datetime.timedelta(days=10)
    campaign = Campaign.objects.create(
        region=world.wuzhong, title="吴中区接待日", date=day, starts=datetime.time(9), ends=datetime.time(11)
    )
    staff = [bearer(world.wuzhong_staff)[1], bearer(world.city_staff)[1]]
    url = f"{world.url}/api/v1/staff/receptions/campaigns/{campaign.pk}/plan"
    for _round in range(ROUNDS):
        responses = together(
            [
                lambda s=secret: requests.post(url, headers={"Authorization": f"Bearer {s}"}, timeout=60)
                for secret in staff
            ]
        )
        assert all(r.status_code in (200, 409) for r in responses), [r.text[:200] for r in responses]
        assert any(r.status_code == 200 for r in responses)
        # A plan replaces the previous proposal: never two copies of a deputy's duty on the day.
        duties = list(Duty.objects.filter(campaign=campaign).values_list("deputy_id", flat=True))
        assert duties and len(duties) == len(set(duties))
