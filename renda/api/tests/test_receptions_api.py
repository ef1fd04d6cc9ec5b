"""The receptions endpoints: a deputy's day through the API (check in, visitors, an opinion on a visitor's behalf)
and congress staff's reception days (list, board, report, plan, publish, finish), scoped like the web."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from renda.opinions.models import Category, Opinion
from renda.opinions.workflow import State
from renda.receptions.models import Campaign, Duty, Reception, ReceptionOpinion, Visit
from renda.receptions.workflow import Attendance, CampaignStatus, ReceptionKind

from .helpers import bearer

DAY = datetime.date(2026, 12, 9)  # a Wednesday
NOON = datetime.datetime(2026, 12, 9, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
BASE = "/api/v1/staff/receptions"


@pytest.fixture
def day(world):
    world.mudu_home.latitude, world.mudu_home.longitude = Decimal("31.259000"), Decimal("120.527000")
    world.mudu_home.save()
    campaign = Campaign.objects.create(
        region=world.wuzhong, title="吴中区接待日", date=DAY, starts=datetime.time(9), ends=datetime.time(11, 30)
    )
    reception = Reception.objects.create(
        station=world.mudu_home,
        date=DAY,
        starts=campaign.starts,
        ends=campaign.ends,
        kind=ReceptionKind.CAMPAIGN,
        campaign=campaign,
        published_at=NOON - datetime.timedelta(days=5),
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PUBLISHED)
    duty = Duty.objects.create(reception=reception, deputy=world.deputy_wz, campaign=campaign)
    Category.objects.get_or_create(name="城乡建设")
    return campaign, reception, duty


@time_machine.travel(NOON, tick=False)
def test_a_deputy_checks_in_records_visitors_and_an_opinion(world, day):
    _campaign, reception, duty = day
    client, _secret = bearer(world.deputy_user)
    listed = client.get(f"{BASE}/duties").json()
    assert [row["id"] for row in listed] == [duty.pk] and listed[0]["station"]["name"] == "木渎镇代表之家"

    far = client.post(f"{BASE}/duties/{duty.pk}/check-in", {"latitude": 31.30, "longitude": 120.60}, "application/json")
    assert far.status_code == 409 and far.json()["code"] == "reception_far"
    duty.refresh_from_db()
    assert duty.attendance == Attendance.EXPECTED and duty.checked_in_at is None  # nothing half-written

    near = client.post(
        f"{BASE}/duties/{duty.pk}/check-in", {"latitude": 31.2592, "longitude": 120.5271}, "application/json"
    )
    assert near.status_code == 200, near.content
    assert near.json()["attendance"] == "attended" and near.json()["checkin_distance"] < 50
    twice = client.post(f"{BASE}/duties/{duty.pk}/check-in", {}, "application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "reception_twice"

    bad = client.post(f"{BASE}/duties/{duty.pk}/visits", {"count": 0}, "application/json")
    assert bad.status_code == 422 and "count" in bad.json()["details"]
    visit = client.post(f"{BASE}/duties/{duty.pk}/visits", {"count": 7, "topics": "停车难"}, "application/json")
    assert visit.status_code == 201 and Visit.objects.get().count == 7

    category = Category.objects.get(name="城乡建设")
    payload = {"category_id": category.pk, "text": "小区门口的路灯坏了两个月", "phone": "13900139000"}
    no_consent = client.post(f"{BASE}/duties/{duty.pk}/opinions", payload, "application/json")
    assert no_consent.status_code == 422 and "consent" in no_consent.json()["details"]
    assert not Opinion.objects.exists()
    taken = client.post(f"{BASE}/duties/{duty.pk}/opinions", payload | {"consent": True}, "application/json")
    assert taken.status_code == 201, taken.content
    opinion = Opinion.objects.get(tracking_code=taken.json()["tracking_code"])
    assert opinion.status == State.SUBMITTED and opinion.station_id == world.mudu_home.pk
    assert opinion.submitter_phone == "13900139000"
    tag = ReceptionOpinion.objects.get(opinion=opinion)
    assert tag.reception_id == reception.pk and tag.campaign_id == reception.campaign_id and tag.duty_id == duty.pk


@time_machine.travel(NOON, tick=False)
def test_another_deputys_duty_and_other_regions_days_are_missing(world, day):
    campaign, _reception, duty = day
    other, _secret = bearer(world.keeper)
    assert other.post(f"{BASE}/duties/{duty.pk}/check-in", {}, "application/json").status_code == 404
    gusu, _secret = bearer(world.gusu_staff)
    assert gusu.get(f"{BASE}/campaigns").json() == []
    for path in ("board", "report"):
        assert gusu.get(f"{BASE}/campaigns/{campaign.pk}/{path}").status_code == 404
    assert gusu.post(f"{BASE}/campaigns/{campaign.pk}/finish").status_code == 404
    # The city's staff see the district's day: it is below them.
    city, _secret = bearer(world.city_staff)
    assert [row["id"] for row in city.get(f"{BASE}/campaigns").json()] == [campaign.pk]


@time_machine.travel(NOON, tick=False)
def test_board_and_report_figures(world, day):
    campaign, _reception, duty = day
    Duty.objects.filter(pk=duty.pk).update(attendance=Attendance.ATTENDED, checked_in_at=NOON)
    Visit.objects.create(reception=duty.reception, duty=duty, count=4)
    client, _secret = bearer(world.wuzhong_staff)
    board = client.get(f"{BASE}/campaigns/{campaign.pk}/board").json()
    assert (board["expected"], board["attended"], board["visitors"]) == (1, 1, 4)
    assert board["districts"][0]["towns"][0]["name"] == "木渎镇"
    report = client.get(f"{BASE}/campaigns/{campaign.pk}/report").json()
    assert report["total"]["expected"] == 1 and report["total"]["participation_rate"] == 100.0
    assert [row["name"] for row in report["stations"]] == ["木渎镇代表之家"]


def test_plan_publish_and_finish_through_the_api(world):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=NOON.tzinfo), tick=False):
        campaign = Campaign.objects.create(
            region=world.wuzhong, title="吴中区接待日", date=DAY, starts=datetime.time(9), ends=datetime.time(11)
        )
        client, _secret = bearer(world.wuzhong_staff)
        early = client.post(f"{BASE}/campaigns/{campaign.pk}/finish")
        assert early.status_code == 409 and early.json()["code"].startswith("reception_")
        planned = client.post(f"{BASE}/campaigns/{campaign.pk}/plan")
        assert planned.status_code == 200 and Duty.objects.filter(campaign=campaign).exists()
        published = client.post(f"{BASE}/campaigns/{campaign.pk}/publish")
        assert published.status_code == 200 and published.json()["status"] == "published"
    with time_machine.travel(datetime.datetime(2026, 12, 9, 18, tzinfo=NOON.tzinfo), tick=False):
        finished = client.post(f"{BASE}/campaigns/{campaign.pk}/finish")
        assert finished.status_code == 200 and finished.json()["status"] == "finished"
    assert not Duty.objects.filter(campaign=campaign, attendance=Attendance.EXPECTED).exists()


def test_a_deputy_declines_a_coming_duty_through_the_api(world, day):
    _campaign, _reception, duty = day
    client, _secret = bearer(world.deputy_user)
    with time_machine.travel(NOON - datetime.timedelta(days=3), tick=False):
        empty = client.post(f"{BASE}/duties/{duty.pk}/cannot-come", {"reason": ""}, "application/json")
        assert empty.status_code == 422 and "reason" in empty.json()["details"]
        declined = client.post(f"{BASE}/duties/{duty.pk}/cannot-come", {"reason": "出差"}, "application/json")
        assert declined.status_code == 200
        twice = client.post(f"{BASE}/duties/{duty.pk}/cannot-come", {"reason": "出差"}, "application/json")
        assert twice.status_code == 409
    assert duty.campaign.unavailabilities.get().reason == "出差"
    with time_machine.travel(NOON, tick=False):
        late = bearer(world.deputy_user)[0].post(
            f"{BASE}/duties/{duty.pk}/cannot-come", {"reason": "x"}, "application/json"
        )
        assert late.status_code == 409
