"""The demo's receptions: a past reception day with full data, an upcoming published one, rosters with history.

One load per module (the city, then the receptions), rolled back afterwards; each test runs in a savepoint.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import User
from renda.demo.generate import load_demo
from renda.demo.receptions import PAST_TITLE, UPCOMING_TITLE, load_demo_receptions
from renda.notifications.models import Message
from renda.receptions.models import Campaign, Duty, Reception, ReceptionOpinion, RosterSlot, Visit
from renda.receptions.workflow import Attendance, CampaignStatus, ReceptionKind
from renda.workdays.calendar import CHINA


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            summary = load_demo_receptions()
            yield summary
            transaction.set_rollback(True)


def today():
    return timezone.now().astimezone(CHINA).date()


def test_the_past_day_has_full_data(demo, db):
    past = Campaign.objects.get(title=PAST_TITLE)
    assert past.status == CampaignStatus.FINISHED and past.date < today()
    duties = Duty.objects.filter(campaign=past)
    by_attendance = dict(duties.values_list("attendance").annotate(n=Count("id")))
    assert set(by_attendance) == {Attendance.ATTENDED, Attendance.ABSENT}
    assert by_attendance[Attendance.ATTENDED] / duties.count() > 0.85
    assert duties.count() > 2500  # the city's deputies, minus those without any eligible station
    assert not duties.filter(attendance=Attendance.ABSENT, absence_reason="").exists()
    assert duties.filter(checkin_distance__isnull=False).exists()
    assert duties.filter(checkin_distance__gt=500).count() == 0
    # Nobody twice, and every reception public since a week before.
    assert duties.values("deputy").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    assert not Reception.objects.filter(campaign=past, published_at__isnull=True).exists()
    assert Visit.objects.filter(reception__campaign=past).count() > 1000
    taken = ReceptionOpinion.objects.filter(campaign=past).select_related("opinion", "reception")
    assert taken.count() > 100
    states = {tag.opinion.status for tag in taken}
    assert len(states) >= 4, states  # they went on through the workflow
    assert all(tag.opinion.station_id == tag.reception.station_id for tag in taken)


def test_the_upcoming_day_is_published_and_deputies_are_told(demo, db):
    upcoming = Campaign.objects.get(title=UPCOMING_TITLE)
    assert upcoming.status == CampaignStatus.PUBLISHED and (upcoming.date - today()).days >= 2
    assert upcoming.unavailabilities.count() == 6
    unavailable = set(upcoming.unavailabilities.values_list("deputy_id", flat=True))
    assert not Duty.objects.filter(campaign=upcoming, deputy_id__in=unavailable).exists()
    assert Duty.objects.filter(campaign=upcoming).count() > 300
    assert Message.objects.filter(template="reception_assigned").count() > 300


def test_rosters_have_history_and_a_coming_schedule(demo, db):
    assert RosterSlot.objects.count() > 400
    roster = Reception.objects.filter(kind=ReceptionKind.ROSTER)
    assert roster.filter(date__lt=today()).count() > 2000
    assert roster.filter(date__gt=today(), published_at__isnull=False).count() > 500
    assert Duty.objects.filter(reception__kind=ReceptionKind.ROSTER, attendance=Attendance.ABSENT).exists()


def test_the_demo_deputy_can_check_in_today(demo, db):
    deputy = User.objects.get(username="deputy.demo").deputy
    assert Duty.objects.filter(deputy=deputy, reception__date=today(), attendance=Attendance.EXPECTED).exists()


def test_the_pages_show_the_demo(demo, db):
    past = Campaign.objects.get(title=PAST_TITLE)
    client = Client()
    client.force_login(User.objects.get(username="suzhou"))
    assert client.get(reverse("receptions:board", kwargs={"campaign_pk": past.pk})).status_code == 200
    upcoming = Campaign.objects.get(title=UPCOMING_TITLE)
    response = Client().get(reverse("receptions_public:schedule"), {"date": upcoming.date.isoformat()})
    assert response.status_code == 200 and UPCOMING_TITLE in response.content.decode()


def test_a_second_run_writes_nothing(demo, db):
    before = (Duty.objects.count(), Reception.objects.count(), Campaign.objects.count())
    assert load_demo_receptions().skipped
    assert (Duty.objects.count(), Reception.objects.count(), Campaign.objects.count()) == before


def _counts():
    return {
        "campaigns": Campaign.objects.count(),
        "campaign duties": Duty.objects.filter(campaign__isnull=False).count(),
        "slots": RosterSlot.objects.count(),
        "one-off receptions": Reception.objects.filter(kind=ReceptionKind.ONE_OFF).count(),
        "visits": Visit.objects.count(),
        "opinions taken": ReceptionOpinion.objects.count(),
        "messages": Message.objects.count(),
    }


@pytest.mark.parametrize("days", [7, 12])
def test_a_run_on_a_later_day_brings_the_dated_parts_up_to_today(demo, db, days):
    """`make demo` again a week (or twelve days) later: the demo deputy has a reception that day again, the upcoming
    day is still upcoming and published at least RECEPTION_PUBLISH_DAYS ahead, and nothing else is duplicated."""
    before = _counts()
    upcoming_before = Campaign.objects.get(title=UPCOMING_TITLE).date
    with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
        later = today()
        summary = load_demo_receptions()
        assert summary.skipped
        deputy = User.objects.get(username="deputy.demo").deputy
        assert Duty.objects.filter(deputy=deputy, reception__date=later, attendance=Attendance.EXPECTED).exists()
        upcoming = Campaign.objects.get(title=UPCOMING_TITLE)
        assert upcoming.status == CampaignStatus.PUBLISHED
        assert (upcoming.date - later).days >= settings.RECEPTION_PUBLISH_DAYS
        assert (upcoming.date - upcoming.published_at.astimezone(CHINA).date()).days >= settings.RECEPTION_PUBLISH_DAYS
        assert not Reception.objects.filter(campaign=upcoming).exclude(date=upcoming.date).exists()
        assert summary.moved_upcoming == (upcoming_before < later + timedelta(days=settings.RECEPTION_PUBLISH_DAYS))
        assert summary.moved_upcoming == (upcoming.date != upcoming_before)
        # The roster reaches the new horizon.
        assert Reception.objects.filter(kind=ReceptionKind.ROSTER, date__gt=later + timedelta(days=14)).exists()
        after = _counts()
        assert after == before | {"one-off receptions": before["one-off receptions"] + 1}
        # And once more the same day: nothing at all.
        everything = (Reception.objects.count(), Duty.objects.count(), Campaign.objects.count())
        load_demo_receptions()
        assert (Reception.objects.count(), Duty.objects.count(), Campaign.objects.count()) == everything
        assert _counts() == after
