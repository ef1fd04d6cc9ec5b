"""The public schedule (/receptions/), the station page's coming receptions, and the JSON endpoint."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from renda.receptions.actions import roster

from .helpers import on_duty, reception_day, sitting

# Thursday 26 November 2026, 10:00 in Suzhou.
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
D = dt.date
pytestmark = pytest.mark.usefixtures("frozen")
SCHEDULE = "/receptions/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _one_off(actor, station, day, deputies, start=9):
    data = {"date": day, "starts": dt.time(start), "ends": dt.time(start + 2), "note": ""}
    return roster.add_one_off(actor, station, data, deputies)


@pytest.fixture
def schedule(world):
    """Published: 木渎 28 Nov (吴测试, 苏测试), 沧浪 30 Nov (顾测试), 木渎 1 Dec cancelled, a 吴中区 reception day
    at 木渎 on 5 Dec, 木渎 15 Dec. Not public: 木渎 29 Nov (unpublished) and 20 Nov (past)."""
    world.mudu_home.latitude, world.mudu_home.longitude = Decimal("31.26"), Decimal("120.52")
    world.mudu_home.save()
    world.canglang_home.latitude, world.canglang_home.longitude = Decimal("31.29"), Decimal("120.62")
    world.canglang_home.save()
    mudu = _one_off(world.wuzhong_staff, world.mudu_home, D(2026, 11, 28), [world.deputy_wz, world.deputy_city])
    canglang = _one_off(world.gusu_staff, world.canglang_home, D(2026, 11, 30), [world.deputy_gs])
    cancelled = _one_off(world.wuzhong_staff, world.mudu_home, D(2026, 12, 1), [world.deputy_wz])
    roster.cancel_reception(world.wuzhong_staff, cancelled, "场地维修")
    campaign = reception_day(
        world.wuzhong, title="吴中区统一接待日", date=D(2026, 12, 5), status="published", published_at=NOW
    )
    day = sitting(campaign, world.mudu_home, published_at=NOW)
    on_duty(day, world.deputy_city)
    later = _one_off(world.wuzhong_staff, world.mudu_home, D(2026, 12, 15), [world.deputy_wz])
    hidden = sitting(None, world.mudu_home, date=D(2026, 11, 29), starts=dt.time(9), ends=dt.time(10), kind="one_off")
    past = sitting(
        None,
        world.mudu_home,
        date=D(2026, 11, 20),
        starts=dt.time(9),
        ends=dt.time(10),
        kind="one_off",
        published_at=NOW - dt.timedelta(days=10),
    )
    return {"mudu": mudu, "canglang": canglang, "cancelled": cancelled, "day": day, "later": later} | {
        "hidden": hidden,
        "past": past,
    }


def shown(response) -> list[int]:
    html = response.content.decode()
    return [int(part.split('"')[0]) for part in html.split('data-reception="')[1:]]


def test_the_schedule_lists_published_receptions_from_today_by_date(client, schedule):
    response = client.get(SCHEDULE)
    assert response.status_code == 200
    expected = ["mudu", "canglang", "cancelled", "day", "later"]
    assert shown(response) == [schedule[key].pk for key in expected]
    html = response.content.decode()
    assert "is-cancelled" in html and "场地维修" in html
    assert "kind-campaign" in html and "吴中区统一接待日" in html
    assert "吴测试" in html and "苏测试" in html and "顾测试" in html
    assert "13800138000" not in html


def test_a_change_after_publishing_is_highlighted(world, client, schedule):
    roster.set_one_off_deputies(world.wuzhong_staff, schedule["mudu"], [world.deputy_wz])
    html = client.get(SCHEDULE).content.decode()
    card = html.split(f'data-reception="{schedule["mudu"].pk}"')[0].rsplit("<li", 1)[1]
    assert "is-changed" in card


def test_search_by_deputy_name_station_name_region_and_date(world, client, schedule):
    assert shown(client.get(SCHEDULE, {"q": "顾测试"})) == [schedule["canglang"].pk]
    assert shown(client.get(SCHEDULE, {"q": "苏测试"})) == [schedule["mudu"].pk, schedule["day"].pk]
    assert set(shown(client.get(SCHEDULE, {"q": "木渎"}))) == {
        schedule[key].pk for key in ("mudu", "cancelled", "day", "later")
    }
    assert shown(client.get(SCHEDULE, {"region": world.gusu.code})) == [schedule["canglang"].pk]
    assert schedule["canglang"].pk not in shown(client.get(SCHEDULE, {"region": world.mudu.code}))
    assert shown(client.get(SCHEDULE, {"date": "2026-11-30"})) == [schedule["canglang"].pk]


def test_bad_filters_answer_with_a_message_not_an_error(client, schedule):
    unknown = client.get(SCHEDULE, {"region": "999999999999"})
    assert unknown.status_code == 200 and shown(unknown) == [] and "errorlist" in unknown.content.decode()
    bad_date = client.get(SCHEDULE, {"date": "next week"})
    assert bad_date.status_code == 200 and "errorlist" in bad_date.content.decode()
    bad_place = client.get(SCHEDULE, {"lat": "north", "lng": "1"})
    assert bad_place.status_code == 200 and len(shown(bad_place)) == 5


def test_nearest_stations_first_with_a_distance(client, schedule):
    response = client.get(SCHEDULE, {"lat": "31.29", "lng": "120.62"})
    assert shown(response)[0] == schedule["canglang"].pk
    assert 'id="sorted-by-distance"' in response.content.decode()
    near_mudu = client.get(SCHEDULE, {"lat": "31.26", "lng": "120.52"})
    assert shown(near_mudu)[-1] == schedule["canglang"].pk


def test_query_count_does_not_grow_with_the_page(world, client, schedule, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as few:
        client.get(SCHEDULE)
    for day in range(16, 31):
        _one_off(world.wuzhong_staff, world.mudu_home, D(2026, 12, day), [world.deputy_wz, world.deputy_city])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(SCHEDULE, {"lat": "31.29", "lng": "120.62", "q": "测试"})
    assert len(shown(response)) == 20


def test_the_station_page_shows_who_is_there_in_the_next_two_weeks(client, schedule, django_assert_num_queries):
    with django_assert_num_queries(7):  # the page's 4, the coming receptions and their deputies, an open round
        response = client.get("/s/MUDU01/")
    assert response.status_code == 200
    section = response.content.decode().split('id="station-receptions"')[1].split("</section>")[0]
    assert "2026-11-28" in section and "吴测试" in section and "苏测试" in section
    assert "2026-12-05" in section and "is-cancelled" in section
    assert "2026-12-15" not in section and "2026-11-29" not in section and "2026-11-20" not in section
    assert reverse("receptions_public:schedule") in section


# JSON API ---------------------------------------------------------------------------------------------------------


def test_api_lists_the_published_schedule(world, client, schedule):
    everything = client.get("/api/v1/receptions").json()
    assert [item["date"] for item in everything["items"]] == [
        "2026-11-28",
        "2026-11-30",
        "2026-12-01",
        "2026-12-05",
        "2026-12-15",
    ]
    first = everything["items"][0]
    assert first["kind"] == "one_off" and first["starts"] == "09:00" and first["station"]["code"] == "MUDU01"
    assert {d["code"] for d in first["deputies"]} == {"DWZ001", "DCT001"}
    assert everything["items"][2]["status"] == "cancelled" and everything["items"][2]["changed"] is True
    assert everything["items"][3]["campaign"] == "吴中区统一接待日"
    by_name = client.get("/api/v1/receptions", {"q": "顾测试"}).json()["items"]
    assert [item["station"]["code"] for item in by_name] == ["CANG01"]
    in_gusu = client.get("/api/v1/receptions", {"region": world.gusu.code}).json()["items"]
    assert [item["station"]["code"] for item in in_gusu] == ["CANG01"]
    on_day = client.get("/api/v1/receptions", {"date": "2026-12-05"}).json()["items"]
    assert [item["kind"] for item in on_day] == ["campaign"]


def test_api_nearest_paging_and_bad_input(client, schedule):
    near = client.get("/api/v1/receptions", {"lat": 31.29, "lng": 120.62, "limit": 2}).json()
    assert near["items"][0]["station"]["code"] == "CANG01" and near["items"][0]["station"]["distance_km"] < 0.1
    assert near["next_offset"] == 2
    rest = client.get("/api/v1/receptions", {"lat": 31.29, "lng": 120.62, "offset": 4, "limit": 2}).json()
    assert len(rest["items"]) == 1 and rest["next_offset"] is None
    half = client.get("/api/v1/receptions", {"lat": 31.29})
    assert half.status_code == 400 and half.json()["code"] == "bad_location"
    assert client.get("/api/v1/receptions", {"region": "999999999999"}).status_code == 404
    assert client.get("/api/v1/receptions", {"date": "soon"}).status_code == 422
