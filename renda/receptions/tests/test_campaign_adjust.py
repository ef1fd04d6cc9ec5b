"""Adjusting a reception day by station and by deputy: scope, region, concurrent moves, changes after publishing."""

import datetime

import pytest
from django.urls import reverse

from renda.notifications.models import Message
from renda.receptions.actions.planning import plan_campaign
from renda.receptions.models import Duty, Reception

from .helpers import on_duty, sitting
from .test_campaign_manage import english, flashed, make_campaign


def station_url(name, campaign, station, **extra):
    return reverse(f"receptions:{name}", kwargs={"campaign_pk": campaign.pk, "station_pk": station.pk, **extra})


def duty_url(name, campaign, duty):
    return reverse(f"receptions:{name}", kwargs={"campaign_pk": campaign.pk, "duty_pk": duty.pk})


@pytest.mark.django_db
def test_a_district_adjusts_only_its_own_stations_of_the_citys_day(world):
    campaign = make_campaign(world, world.suzhou)
    client = english(world, world.wuzhong_staff)
    # Its own station: the page and the change work.
    assert client.get(station_url("campaign_station", campaign, world.weiting_station)).status_code == 200
    response = client.post(
        station_url("campaign_add_duty", campaign, world.weiting_station), {"deputy": world.deputy_wz.pk}
    )
    assert response.status_code == 302
    duty = Duty.objects.get()
    assert (duty.deputy, duty.reception.station, duty.campaign) == (world.deputy_wz, world.weiting_station, campaign)
    # Another district's station does not exist for it.
    assert client.get(station_url("campaign_station", campaign, world.canglang_home)).status_code == 404
    assert (
        client.post(
            station_url("campaign_add_duty", campaign, world.canglang_home), {"deputy": world.deputy_wz.pk}
        ).status_code
        == 404
    )
    assert Duty.objects.count() == 1


@pytest.mark.django_db
def test_search_finds_deputies_with_where_they_are(world):
    campaign = make_campaign(world)
    plan_campaign(campaign, world.wuzhong_staff)
    client = world.client(world.wuzhong_staff)
    page = client.get(station_url("campaign_station", campaign, world.weiting_station), {"dq": "测试"})
    text = page.content.decode()
    assert "吴测试" in text and "木渎镇代表之家" in text and "顾测试" not in text
    fragment = client.get(
        reverse("receptions:campaign_deputies", kwargs={"campaign_pk": campaign.pk}),
        {"q": "吴"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "吴测试" in fragment and "苏测试" not in fragment and "<html" not in fragment


@pytest.mark.django_db
def test_a_station_outside_the_days_region_is_refused(world):
    campaign = make_campaign(world)  # 吴中区
    plan_campaign(campaign, world.city_staff)
    duty = Duty.objects.get(deputy=world.deputy_wz)
    response = english(world, world.city_staff).post(
        duty_url("campaign_move_duty", campaign, duty),
        {"station": world.canglang_home.pk, "expected_reception": duty.reception_id},
        follow=True,
    )
    assert flashed(response) == ["沧浪街道代表之家 is outside 吴中区, the region of this reception day."]
    assert Duty.objects.get(pk=duty.pk).reception.station == world.mudu_home
    # The station page of the day does not exist outside its region either.
    assert (
        world.client(world.city_staff).get(station_url("campaign_station", campaign, world.canglang_home)).status_code
        == 404
    )


@pytest.mark.django_db
def test_two_staff_moving_the_same_deputy_the_second_is_refused(world):
    campaign = make_campaign(world)
    plan_campaign(campaign, world.wuzhong_staff)
    duty = Duty.objects.get(deputy=world.deputy_wz)
    seen = duty.reception_id  # both forms were loaded now
    url = duty_url("campaign_move_duty", campaign, duty)
    first = english(world, world.wuzhong_staff).post(
        url, {"station": world.weiting_station.pk, "expected_reception": seen}, follow=True
    )
    assert flashed(first) == ["吴测试 now goes to 唯亭街道代表联络站."]
    second = english(world, world.city_staff).post(
        url, {"station": world.mudu_home.pk, "expected_reception": seen}, follow=True
    )
    assert flashed(second) == [
        "Someone else moved or removed this duty meanwhile; reload the page to see where it is now."
    ]
    assert Duty.objects.get(pk=duty.pk).reception.station == world.weiting_station
    # A removal based on the old page is refused the same way.
    response = english(world, world.city_staff).post(
        duty_url("campaign_remove_duty", campaign, duty), {"expected_reception": seen}, follow=True
    )
    assert "Someone else moved or removed this duty meanwhile" in flashed(response)[0]
    assert Duty.objects.filter(pk=duty.pk).exists()


@pytest.mark.django_db
def test_a_deputy_already_on_duty_is_moved_not_added_twice(world):
    campaign = make_campaign(world)
    plan_campaign(campaign, world.wuzhong_staff)
    response = english(world, world.wuzhong_staff).post(
        station_url("campaign_add_duty", campaign, world.weiting_station), {"deputy": world.deputy_wz.pk}, follow=True
    )
    assert flashed(response) == ["吴测试 is already on duty at 木渎镇代表之家; move them from their page instead."]
    assert Duty.objects.filter(deputy=world.deputy_wz).count() == 1


@pytest.mark.django_db
def test_a_change_after_publishing_is_highlighted_and_the_deputy_told(world):
    campaign = make_campaign(
        world, status="published", published_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    )
    old = sitting(campaign, world.mudu_home, published_at=campaign.published_at)
    duty, other = on_duty(old, world.deputy_wz, world.deputy_city)
    world.client(world.wuzhong_staff).post(
        duty_url("campaign_move_duty", campaign, duty),
        {"station": world.weiting_station.pk, "expected_reception": old.pk},
    )
    duty.refresh_from_db()
    old.refresh_from_db()
    new = duty.reception
    assert new.station == world.weiting_station
    assert new.published_at is not None and new.changed_at is not None  # public at once, highlighted
    assert duty.changed_at is not None and old.changed_at is not None
    other.refresh_from_db()
    assert other.changed_at is None  # nothing changed for the deputy who stays
    sent = Message.objects.filter(template="reception_changed")
    assert sorted(sent.values_list("channel", flat=True)) == ["site", "sms"]
    assert {m.user for m in sent} == {world.deputy_user}
    assert sent.get(channel="sms").phone == "13800138000"
    assert sent.first().context["station"] == "唯亭街道代表联络站"
    assert "13800138000" not in str(sent.first().context)
    # Removing the other deputy: the reception is changed, the deputy told (an account-less deputy gets nothing
    # without a phone either), the published reception stays.
    world.client(world.wuzhong_staff).post(
        duty_url("campaign_remove_duty", campaign, other), {"expected_reception": old.pk}
    )
    assert not Duty.objects.filter(pk=other.pk).exists()
    assert Reception.objects.filter(pk=old.pk).exists()
    assert Message.objects.filter(template="reception_changed").count() == 2


@pytest.mark.django_db
def test_unavailability_after_publishing_keeps_the_duty_as_a_conflict(world):
    campaign = make_campaign(world, status="published")
    on_duty(sitting(campaign, world.mudu_home), world.deputy_wz)
    client = world.client(world.wuzhong_staff)
    url = reverse(
        "receptions:campaign_unavailable", kwargs={"campaign_pk": campaign.pk, "deputy_pk": world.deputy_wz.pk}
    )
    client.post(url, {"reason": "生病"})
    assert Duty.objects.filter(deputy=world.deputy_wz).exists()
    page = client.get(
        reverse("receptions:campaign_deputy", kwargs={"campaign_pk": campaign.pk, "deputy_pk": world.deputy_wz.pk})
    )
    assert "生病" in page.content.decode()
    response = english(world, world.wuzhong_staff).post(url, {"reason": "again"}, follow=True)
    assert flashed(response) == ["吴测试 is already recorded as unable to come."]
    client.post(
        reverse("receptions:campaign_available", kwargs={"campaign_pk": campaign.pk, "deputy_pk": world.deputy_wz.pk})
    )
    assert not campaign.unavailabilities.exists()


@pytest.mark.django_db
def test_the_deputy_page_finds_stations_of_the_day_to_move_to(world):
    campaign = make_campaign(world)
    plan_campaign(campaign, world.wuzhong_staff)
    duty = Duty.objects.get(deputy=world.deputy_wz)
    url = reverse("receptions:campaign_deputy", kwargs={"campaign_pk": campaign.pk, "deputy_pk": world.deputy_wz.pk})
    client = world.client(world.wuzhong_staff)
    fragment = client.get(url, {"sq": "唯亭"}, HTTP_HX_REQUEST="true").content.decode()
    assert "唯亭街道代表联络站" in fragment and "<html" not in fragment
    assert duty_url("campaign_move_duty", campaign, duty) in fragment
    assert f'name="expected_reception" value="{duty.reception_id}"' in fragment
    # Stations outside the day's region are not offered.
    assert "沧浪街道代表之家" not in world.client(world.city_staff).get(url, {"sq": "代表"}).content.decode()
    edit = reverse("receptions:campaign_edit", kwargs={"campaign_pk": campaign.pk})
    page = client.get(edit).content.decode()
    assert f'name="version" value="{Duty.objects.get(pk=duty.pk).campaign.version}"' in page
