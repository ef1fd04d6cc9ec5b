"""Proposing a reception day's assignments from the database (plan_campaign) through HTTP, then the rows it wrote."""

import datetime

import pytest
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.people.models import Deputy
from renda.receptions.actions.planning import load_planning_input, plan_campaign
from renda.receptions.models import Campaign, Duty, Reception, Unavailability

from .test_campaign_manage import english, flashed, make_campaign


def duties(campaign):
    return sorted(Duty.objects.filter(campaign=campaign).values_list("deputy__name", "reception__station__name"))


@pytest.mark.django_db
def test_plan_sends_every_deputy_of_the_city_once(world):
    campaign = make_campaign(world, world.suzhou, title="苏州市代表集中接待日")
    response = english(world, world.city_staff).post(
        reverse("receptions:campaign_plan", kwargs={"campaign_pk": campaign.pk}), follow=True
    )
    assert "3 deputies proposed at 2 stations" in flashed(response)[0]
    assert duties(campaign) == [
        ("吴测试", "木渎镇代表之家"),
        ("苏测试", "木渎镇代表之家"),  # a city deputy elected in 姑苏区 goes to the station they serve
        ("顾测试", "沧浪街道代表之家"),
    ]
    receptions = Reception.objects.filter(campaign=campaign)
    assert {(r.kind, r.date, r.starts, r.ends, r.published_at) for r in receptions} == {
        ("campaign", campaign.date, campaign.starts, campaign.ends, None)
    }
    assert set(Duty.objects.filter(campaign=campaign).values_list("attendance", flat=True)) == {"expected"}
    campaign.refresh_from_db()
    assert campaign.planned_at is not None and campaign.version == 2
    event = AuditEvent.objects.get(action="campaign.plan")
    assert event.changes["duties"] == 3


@pytest.mark.django_db
def test_unavailable_deputies_are_left_out_and_planning_again_replaces_the_plan(world):
    campaign = make_campaign(world, world.suzhou)
    plan_campaign(campaign, world.city_staff)
    url = reverse(
        "receptions:campaign_unavailable", kwargs={"campaign_pk": campaign.pk, "deputy_pk": world.deputy_wz.pk}
    )
    world.client(world.city_staff).post(url, {"reason": "外出学习"})
    assert Unavailability.objects.get().reason == "外出学习"
    # In a draft the proposed duty goes at once.
    assert [name for name, _station in duties(campaign)] == ["苏测试", "顾测试"]
    world.client(world.city_staff).post(reverse("receptions:campaign_plan", kwargs={"campaign_pk": campaign.pk}))
    assert duties(campaign) == [("苏测试", "木渎镇代表之家"), ("顾测试", "沧浪街道代表之家")]
    assert Reception.objects.filter(campaign=campaign).count() == 2


@pytest.mark.django_db
def test_a_district_day_takes_the_deputies_elected_or_serving_there(world):
    campaign = make_campaign(world)
    inactive = Deputy.objects.create(
        name="吴离任", term=17, level="county", electoral_region=world.mudu, public_code="DWZ009", is_active=False
    )
    deputies, stations, unavailable = load_planning_input(campaign)
    assert {d.id for d in deputies} == {world.deputy_wz.pk, world.deputy_city.pk}
    assert inactive.pk not in {d.id for d in deputies}
    assert {s.id: (s.town, s.is_home) for s in stations} == {
        world.mudu_home.pk: (world.mudu.pk, True),
        world.weiting_station.pk: (world.weiting.pk, False),
    }
    by_id = {d.id: d for d in deputies}
    assert by_id[world.deputy_wz.pk].region_towns == (world.mudu.pk,)
    assert by_id[world.deputy_city.pk].region_towns == ()  # elected in 姑苏区: no town of 吴中区
    assert by_id[world.deputy_city.pk].serves == (world.mudu_home.pk,)
    assert unavailable == set()


@pytest.mark.django_db
def test_a_zone_day_reaches_the_towns_it_manages(world):
    campaign = make_campaign(world, world.park)
    deputy = Deputy.objects.create(
        name="园测试", term=17, level="county", electoral_region=world.park, public_code="DPK001"
    )
    deputies, stations, _unavailable = load_planning_input(campaign)
    assert {s.id for s in stations} == {world.weiting_station.pk, world.xietang_station.pk}
    assert set(next(d for d in deputies if d.id == deputy.pk).region_towns) == {world.weiting.pk, world.xietang.pk}


@pytest.mark.django_db
def test_only_a_draft_is_planned(world, django_assert_max_num_queries):
    campaign = make_campaign(world, world.suzhou, status="published")
    response = english(world, world.city_staff).post(
        reverse("receptions:campaign_plan", kwargs={"campaign_pk": campaign.pk}), follow=True
    )
    assert flashed(response) == ["Assignments are proposed only while the reception day is a draft."]
    assert not Duty.objects.exists()
    draft = make_campaign(world, world.suzhou, date=datetime.date(2026, 12, 20))
    # A fixed number of queries, whatever the size of the region.
    with django_assert_max_num_queries(25):
        plan_campaign(Campaign.objects.select_related("region").get(pk=draft.pk), world.city_staff)


@pytest.mark.django_db
def test_deputies_on_duty_elsewhere_at_the_same_hours_are_planned_around(world):
    """Issue 11 item 6: the planner reads the day's other receptions. On duty at one of the day's stations at the
    same hours: planned there; at a station outside the day: not planned; at other hours: planned as usual."""
    from renda.stations.models import Station

    from .helpers import on_duty, sitting

    campaign = make_campaign(world, world.suzhou, title="苏州市代表集中接待日")  # 09:00–11:30
    elsewhere = Station.objects.create(name="南京某代表之家", region=world.jiangsu, kind="home", public_code="NJ0001")
    one_off = sitting(None, world.canglang_home, date=campaign.date, starts=datetime.time(10), ends=datetime.time(12))
    on_duty(one_off, world.deputy_city)
    away = sitting(None, elsewhere, date=campaign.date, starts=datetime.time(8), ends=datetime.time(9, 30))
    on_duty(away, world.deputy_gs)
    afternoon = sitting(
        None, world.weiting_station, date=campaign.date, starts=datetime.time(14), ends=datetime.time(16)
    )
    on_duty(afternoon, world.deputy_wz)
    world.client(world.city_staff).post(reverse("receptions:campaign_plan", kwargs={"campaign_pk": campaign.pk}))
    assert duties(campaign) == [("吴测试", "木渎镇代表之家"), ("苏测试", "沧浪街道代表之家")]
    event = AuditEvent.objects.get(action="campaign.plan")
    assert event.changes["busy_elsewhere"] == 2


@pytest.mark.django_db
def test_planning_again_writes_only_the_difference(world):
    """The ORM write (actions/planning.write_plan): the same plan again keeps every row; a deputy who can no longer
    come loses their duty and the others keep their rows."""
    campaign = make_campaign(world, world.suzhou)
    plan_campaign(campaign, world.city_staff)
    rows = set(Duty.objects.filter(campaign=campaign).values_list("pk", "deputy_id", "reception_id"))
    receptions = set(Reception.objects.filter(campaign=campaign).values_list("pk", "station_id"))
    plan_campaign(campaign, world.city_staff)
    assert set(Duty.objects.filter(campaign=campaign).values_list("pk", "deputy_id", "reception_id")) == rows
    assert set(Reception.objects.filter(campaign=campaign).values_list("pk", "station_id")) == receptions
    Unavailability.objects.create(campaign=campaign, deputy=world.deputy_gs, reason="出差")
    plan_campaign(campaign, world.city_staff)
    after = set(Duty.objects.filter(campaign=campaign).values_list("pk", "deputy_id", "reception_id"))
    # Their duty goes; the others keep their rows (a city deputy elected in 姑苏区 moves to 沧浪街道, which would
    # otherwise be empty: same row, another reception), and both receptions stay.
    assert {pk for pk, _d, _r in after} == {pk for pk, deputy_id, _r in rows if deputy_id != world.deputy_gs.pk}
    assert set(Reception.objects.filter(campaign=campaign).values_list("pk", "station_id")) == receptions
    assert duties(campaign) == [("吴测试", "木渎镇代表之家"), ("苏测试", "沧浪街道代表之家")]
