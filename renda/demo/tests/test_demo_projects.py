"""The demo's livelihood projects: 吴中经济技术开发区 with two finished rounds (64 projects voted and evaluated) and
a round whose session is open today, in which deputy.demo votes from the phone.

One load per module (the city, then the projects), rolled back afterwards; each test runs in a savepoint."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from renda.accounts.models import User
from renda.demo.generate import load_demo
from renda.demo.projects import ZONE, load_demo_projects
from renda.projects.models import Phase, Receipt, Result, Round, SessionStatus


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            summary = load_demo_projects()
            yield summary
            transaction.set_rollback(True)


def test_two_finished_rounds_with_64_projects_voted_and_evaluated(demo, db):
    assert not demo.skipped, demo.lines()
    finished = Round.objects.filter(region__code=ZONE, phase=Phase.CLOSED)
    assert finished.count() == 2
    elected = [p for r in finished for p in r.projects.filter(result=Result.ELECTED)]
    assert len(elected) == 64
    assert all(p.verdict for p in elected)
    assert any(p.follow_up for p in elected)
    for round_ in finished:
        events = list(round_.events.values_list("created", flat=True))
        assert events == sorted(events) and events[-1].year == round_.year


def test_deputy_demo_votes_today(demo, db):
    current = Round.objects.get(region__code=ZONE, phase=Phase.VOTING)
    session = current.sessions.get()
    assert session.status == SessionStatus.VOTING
    user = User.objects.get(username="deputy.demo")
    client = Client()
    client.force_login(user)
    session_ = client.session
    session_["otp_device_id"] = "test"
    session_.save()
    assert session.title in client.get(reverse("projects:my_sessions")).content.decode()
    projects = list(current.projects.all())
    assert len(projects) == 20 and current.places == 10
    data = {f"p{p.pk}": "for" if n < 10 else "against" for n, p in enumerate(projects)}
    before = Receipt.objects.filter(session=session).count()
    response = client.post(reverse("projects:ballot", args=[session.pk]), {**data, "secret": "c3" * 16})
    assert response.status_code == 200 and 'id="confirmation"' in response.content.decode()
    assert Receipt.objects.filter(session=session).count() == before + 1
    assert list(session.officers.filter(role="scrutineer").values_list("deputy__user__username", flat=True)) == [
        "deputy.demo"
    ]


def test_loading_again_writes_nothing(demo, db):
    assert load_demo_projects().skipped
