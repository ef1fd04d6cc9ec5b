"""The conflicts page lists each kind of problem with links to fix it, in a few queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.people.models import Deputy
from renda.receptions.conflicts import find_conflicts
from renda.receptions.models import Unavailability

from .helpers import deputies, on_duty, sitting
from .test_campaign_manage import make_campaign


@pytest.fixture
def troubled(world):
    """A city day with one problem of each kind."""
    campaign = make_campaign(world, world.suzhou, title="苏州市代表集中接待日")
    mudu = sitting(campaign, world.mudu_home)
    weiting = sitting(campaign, world.weiting_station)
    canglang = sitting(campaign, world.canglang_home)
    # deputy_wz twice this day, and at a roster reception at the same time.
    on_duty(mudu, world.deputy_wz)
    on_duty(weiting, world.deputy_wz)
    # deputy_city at a one-off reception at 唯亭 at the same time while the day sends them to 木渎镇.
    roster = sitting(
        None,
        world.weiting_station,
        date=campaign.date,
        starts=datetime.time(10),
        ends=datetime.time(12),
        kind="one_off",
    )
    on_duty(roster, world.deputy_city)
    on_duty(mudu, world.deputy_city)
    # deputy_gs (elected in 沧浪街道, serving there) sent to 木渎镇: outside their region.
    on_duty(mudu, world.deputy_gs)
    # Nobody at 沧浪街道代表之家 or 斜塘街道代表联络站 (the first has an empty reception).
    assert not canglang.duties.exists()
    # A 吴中区 deputy with nothing to do, and one who cannot come (not a conflict).
    idle = Deputy.objects.create(
        name="吴闲置", term=17, level="township", electoral_region=world.mudu, public_code="DWZ002"
    )
    away = Deputy.objects.create(
        name="吴外出", term=17, level="township", electoral_region=world.mudu, public_code="DWZ003"
    )
    Unavailability.objects.create(campaign=campaign, deputy=away, reason="出国")
    # deputy_city also said they cannot come, after publishing: their duty stays, listed.
    Unavailability.objects.create(campaign=campaign, deputy=world.deputy_city, reason="开会")
    return campaign, idle


@pytest.mark.django_db
def test_each_kind_is_listed_with_links(world, troubled):
    campaign, idle = troubled
    response = world.client(world.city_staff).get(
        reverse("receptions:campaign_conflicts", kwargs={"campaign_pk": campaign.pk})
    )
    conflicts = response.context["conflicts"]
    doubles = {(item["deputy_name"], bool(item["other"])) for item in conflicts.double}
    assert doubles == {("吴测试", False), ("苏测试", True)}
    assert {s.name for s in conflicts.empty_stations} == {"沧浪街道代表之家", "斜塘街道代表联络站"}
    assert [d.name for d in conflicts.unassigned] == ["吴闲置"]
    assert [(i["deputy_name"], i["reason"]) for i in conflicts.unavailable] == [("苏测试", "开会")]
    # deputy_wz's second place is outside their town too.
    assert sorted((i["deputy_name"], i["station_name"]) for i in conflicts.outside) == [
        ("吴测试", "唯亭街道代表联络站"),
        ("顾测试", "木渎镇代表之家"),
    ]
    text = response.content.decode()
    deputy_link = reverse("receptions:campaign_deputy", kwargs={"campaign_pk": campaign.pk, "deputy_pk": idle.pk})
    station_link = reverse(
        "receptions:campaign_station", kwargs={"campaign_pk": campaign.pk, "station_pk": world.xietang_station.pk}
    )
    assert deputy_link in text and station_link in text


@pytest.mark.django_db
def test_a_district_sees_only_its_own_conflicts(world, troubled):
    campaign, _idle = troubled
    response = world.client(world.wuzhong_staff).get(
        reverse("receptions:campaign_conflicts", kwargs={"campaign_pk": campaign.pk})
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "沧浪街道代表之家" not in text and "斜塘街道代表联络站" not in text
    assert "吴闲置" in text


@pytest.mark.django_db
def test_conflicts_take_a_fixed_number_of_queries(world, troubled):
    campaign, _idle = troubled
    find_conflicts(world.city_staff, campaign)  # the user's scope is read once, then cached
    with CaptureQueriesContext(connection) as queries:
        find_conflicts(world.city_staff, campaign)
    before = len(queries)
    deputies(world.mudu, "吴新", 10, level="township", code="DWX")
    with CaptureQueriesContext(connection) as queries:
        find_conflicts(world.city_staff, campaign)
    assert len(queries) == before <= 15


@pytest.mark.django_db
def test_the_same_station_twice_is_not_two_places(world):
    """Issue 11 item 6: a roster reception at the very station the day sends a deputy to is one place, not a
    conflict; only a different station at the same hours is."""
    campaign = make_campaign(world, world.suzhou, title="苏州市代表集中接待日")
    mudu = sitting(campaign, world.mudu_home)
    here = sitting(None, world.mudu_home, date=campaign.date, starts=datetime.time(9), ends=datetime.time(11))
    on_duty(here, world.deputy_wz)
    on_duty(mudu, world.deputy_wz)
    assert find_conflicts(world.city_staff, campaign).double == []
    elsewhere = sitting(
        None, world.weiting_station, date=campaign.date, starts=datetime.time(10), ends=datetime.time(12)
    )
    on_duty(elsewhere, world.deputy_wz)
    doubles = find_conflicts(world.city_staff, campaign).double
    assert [(item["deputy_name"], item["other"]["station_name"]) for item in doubles] == [
        ("吴测试", "唯亭街道代表联络站")
    ]
