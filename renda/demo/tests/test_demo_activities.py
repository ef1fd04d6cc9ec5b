"""The demo's activities: last year's 人大代表助民企 campaign in every district with problem items in every state
(pushed ones as opinions in various states), and this week's activity for deputy.demo, brought up to date on a
later run. One load per module (the city, then the activities), rolled back afterwards."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from renda.activities.models import Activity, Campaign, ProblemItem, ProblemStatus
from renda.demo.activities import CAMPAIGN, CITY, THIS_WEEK, load_demo_activities
from renda.demo.generate import load_demo
from renda.demo.logins import demo_password
from renda.demo.suggestions import load_demo_suggestions
from renda.regions.models import Region, RegionKind


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            load_demo_suggestions(10)  # problem items are linked to suggestions
            summary = load_demo_activities()
            yield summary
            transaction.set_rollback(True)


def test_the_campaign_covers_every_district_with_items_in_every_state(demo, db):
    assert not demo.skipped and demo.items == 300, demo.lines()
    campaign = Campaign.objects.get(title=CAMPAIGN)
    districts = set(Region.objects.filter(parent__code=CITY, kind=RegionKind.DISTRICT).values_list("pk", flat=True))
    assert set(campaign.activities.values_list("region_id", flat=True)) == districts
    items = ProblemItem.objects.filter(activity__campaign=campaign)
    assert set(items.values_list("status", flat=True)) == set(ProblemStatus.values)
    opinion_states = set(items.exclude(opinion=None).values_list("opinion__status", flat=True))
    assert len(opinion_states) >= 5 and "final" in opinion_states
    assert items.filter(opinion__region_id__in=districts).count() == items.exclude(opinion=None).count()


def test_deputy_demo_has_an_activity_this_week_kept_current(demo, db, client):
    activity = Activity.objects.get(title=THIS_WEEK)
    assert timezone.now() < activity.starts_at < timezone.now() + timedelta(days=2)
    assert client.login(username="deputy.demo", password=demo_password())
    assert THIS_WEEK in client.get(reverse("activities_my:list")).content.decode()
    assert client.post(reverse("activities_my:answer", args=[activity.pk]), {"answer": "attend"}).status_code == 302
    # A run a week later: the campaign is not written twice; the activity moves and waits for an answer again.
    later = load_demo_activities(now=timezone.now() + timedelta(days=7))
    assert later.skipped is False or later.skipped is True
    assert Campaign.objects.filter(title=CAMPAIGN).count() in (1, 2)
    activity.refresh_from_db()
    assert activity.starts_at > timezone.now() + timedelta(days=6)
    assert activity.invitations.get(deputy__user__username="deputy.demo").answer == "pending"
    again = load_demo_activities()
    assert again.skipped and Activity.objects.filter(title=THIS_WEEK).count() == 1
