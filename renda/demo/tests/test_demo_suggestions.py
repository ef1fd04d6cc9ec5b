"""The demo's suggestions and proposals: every state of both kinds, and the demo logins have something to do.

One load per module (the city, then the suggestions), rolled back afterwards; each test runs in a savepoint.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import User
from renda.demo.generate import load_demo
from renda.demo.logins import demo_password
from renda.demo.suggestions import DEMO_UNIT, load_demo_suggestions
from renda.suggestions.models import Disclosure, Session, Signature, Suggestion, SuggestionRating
from renda.suggestions.workflow import Kind, State


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            summary = load_demo_suggestions(120)
            yield summary
            transaction.set_rollback(True)


def test_every_state_of_both_kinds(demo, db):
    assert demo.suggestions == 120 and demo.proposals == 120 and demo.reports == 10
    for kind in Kind.values:
        states = set(Suggestion.objects.filter(kind=kind).values_list("status", flat=True))
        assert states == set(State.values), (kind, set(State.values) - states)
    assert Suggestion.objects.filter(is_key=True).exists()
    assert Suggestion.objects.filter(disclosure=Disclosure.PUBLISHED).exists()
    assert load_demo_suggestions(120).skipped
    # This year's January sessions of 吴中区's congress and CPPCC committee, on the office's sessions page.
    sessions = Session.objects.filter(region__name="吴中区", first_day__year=timezone.localdate().year)
    assert set(sessions.values_list("kind", flat=True)) == set(Kind.values)
    # Run again a year later: the suggestions are kept, that year's sessions are added.
    next_year = timezone.now() + timedelta(days=366)
    assert load_demo_suggestions(120, now=next_year).skipped
    later = Session.objects.filter(region__name="吴中区", first_day__year=timezone.localdate(next_year).year)
    assert later.count() == 2 and sessions.count() == 2


def test_demo_people_have_items_to_sign_rate_and_handle(demo, db, client):
    deputy = User.objects.get(username="deputy.demo")
    member = User.objects.get(username="member.demo")
    for user in (deputy, member):
        assert Signature.objects.filter(user=user, status="invited", suggestion__status=State.SIGNING).exists()
        answered = Suggestion.objects.filter(author=user, status=State.ANSWERED)
        assert answered.exists() and not SuggestionRating.objects.filter(suggestion__in=answered, user=user).exists()
    assert client.login(username="member.demo", password=demo_password())
    assert client.get(reverse("suggestions_my:list")).status_code == 200
    # The demo unit has items due within the week, one of them overdue, in its own inbox.
    soon = timezone.now() + timedelta(days=7)
    due = Suggestion.objects.filter(lead_unit__name=DEMO_UNIT, status=State.ASSIGNED, due_at__lt=soon)
    assert due.filter(due_at__lt=timezone.now()).exists() and due.filter(due_at__gte=timezone.now()).exists()
    assert client.login(username="unit.wzjs", password=demo_password())
    page = client.get(reverse("suggestions:unit_inbox")).content.decode()
    assert due.first().number in page
