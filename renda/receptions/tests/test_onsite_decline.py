"""A deputy declines a published reception day's duty from the phone; drafts are not shown to deputies at all."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from renda.accounts.models import Grant, Role, User
from renda.notifications.models import Message
from renda.receptions.models import Campaign, Duty, Reception, Unavailability
from renda.receptions.workflow import CampaignStatus

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.date(2026, 12, 9)


@pytest.fixture
def duty(world):
    campaign = Campaign.objects.create(
        region=world.wuzhong,
        title="吴中区接待日",
        date=DAY,
        starts=dt.time(9),
        ends=dt.time(11),
        status=CampaignStatus.PUBLISHED,
        published_at=NOW,
    )
    reception = Reception.objects.create(
        station=world.mudu_home,
        date=DAY,
        starts=campaign.starts,
        ends=campaign.ends,
        kind="campaign",
        campaign=campaign,
        published_at=NOW,
    )
    return Duty.objects.create(reception=reception, deputy=world.deputy_wz, campaign=campaign)


@time_machine.travel(NOW, tick=False)
def test_a_deputy_declines_ahead_and_the_office_is_told(world, duty):
    town_staff = User.objects.create_user("mudu_staff", password="x")
    Grant.objects.create(user=town_staff, role=Role.CONGRESS_STAFF, region=world.mudu)
    client = world.client(world.deputy_user)
    page = client.get(reverse("receptions:my_duty", args=[duty.pk])).content.decode()
    assert 'id="cannot-come-form"' in page

    empty = client.post(reverse("receptions:cannot_come", args=[duty.pk]), {"reason": ""})
    assert empty.status_code == 400 and not Unavailability.objects.exists()

    client.post(reverse("receptions:cannot_come", args=[duty.pk]), {"reason": "参加省人大常委会会议"})
    item = Unavailability.objects.get()
    assert (item.deputy, item.campaign, item.reason) == (world.deputy_wz, duty.campaign, "参加省人大常委会会议")
    assert Duty.objects.filter(pk=duty.pk).exists()  # published: the duty stays until staff replace them
    told = Message.objects.get(template="reception_unavailable")
    assert told.user == town_staff and told.context["deputy"] == "吴测试"
    page = client.get(reverse("receptions:my_duty", args=[duty.pk])).content.decode()
    assert 'id="declined"' in page and 'id="cannot-come-form"' not in page
    conflicts = world.client(world.wuzhong_staff).get(reverse("receptions:campaign_conflicts", args=[duty.campaign_id]))
    assert "吴测试" in conflicts.content.decode()

    again = client.post(reverse("receptions:cannot_come", args=[duty.pk]), {"reason": "再说一次"}, follow=True)
    assert Unavailability.objects.count() == 1 and "吴测试" in again.content.decode()


def test_not_on_the_day_and_not_for_someone_else(world, duty):
    with time_machine.travel(dt.datetime(2026, 12, 9, 8, tzinfo=NOW.tzinfo), tick=False):
        world.client(world.deputy_user).post(reverse("receptions:cannot_come", args=[duty.pk]), {"reason": "病了"})
    assert not Unavailability.objects.exists()
    with time_machine.travel(NOW, tick=False):
        for user in (world.keeper, world.wuzhong_staff):
            response = world.client(user).post(reverse("receptions:cannot_come", args=[duty.pk]), {"reason": "x"})
            assert response.status_code == 404
    assert not Unavailability.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_draft_days_duties_are_not_shown_to_the_deputy(world, duty):
    Campaign.objects.filter(pk=duty.campaign_id).update(status=CampaignStatus.DRAFT)
    client = world.client(world.deputy_user)
    assert client.get(reverse("receptions:my_duty", args=[duty.pk])).status_code == 404
    assert "木渎镇代表之家" not in client.get(reverse("receptions:my_duties")).content.decode()
