"""Nearest first: ordering by an approximate distance computed in SQL, and unusable locations handled."""

import math

import pytest
from django.utils import translation

from renda.core.geo import BadLocation, Point, format_distance, km_from_sq, parse_location

from .helpers import add_stations, html, place

AT_CANGLANG = {"lat": "31.29", "lng": "120.62"}


@pytest.fixture
def placed(world):
    place(world.canglang_home, 31.29, 120.62)
    place(world.xietang_station, 31.30, 120.72)
    place(world.mudu_home, 31.26, 120.51)
    place(world.weiting_station, 31.40, 120.86)
    return world


def names(response, key="stations"):
    return [s.name for s in response.context[key]]


def test_nearest_orders_by_distance(placed):
    response = placed.client(None).get("/near/", AT_CANGLANG)
    assert response.status_code == 200
    assert names(response) == ["沧浪街道代表之家", "斜塘街道代表联络站", "木渎镇代表之家", "唯亭街道代表联络站"]
    body = html(response)
    assert body.index("CANG01") < body.index("XIET01") < body.index("MUDU01") < body.index("WEIT01")
    kms = [s.distance_km for s in response.context["stations"]]
    assert kms == sorted(kms)
    assert 9 < kms[1] < 10.5 and 10.5 < kms[2] < 11.5 and 24 < kms[3] < 28  # about 9.6, 11.0 and 25.9 km


def test_longitude_is_scaled_by_latitude(world):
    # 0.09° of latitude is 10.0 km; 0.10° of longitude at 31.3° N is only 9.5 km, so the second one is nearer.
    place(world.mudu_home, 31.39, 120.60)
    place(world.canglang_home, 31.30, 120.70)
    response = world.client(None).get("/near/", {"lat": "31.30", "lng": "120.60"})
    assert names(response)[:2] == ["沧浪街道代表之家", "木渎镇代表之家"]


def test_nearest_leaves_out_stations_without_coordinates_and_stops_at_20(world):
    place(world.mudu_home, 31.26, 120.51)
    response = world.client(None).get("/near/", AT_CANGLANG)
    assert names(response) == ["木渎镇代表之家"]
    add_stations(world.gusu, 25, latitude=31.3, longitude=120.6)
    response = world.client(None).get("/near/", AT_CANGLANG)
    assert len(response.context["stations"]) == 20
    assert "木渎镇代表之家" not in names(response)


def test_nearest_leaves_out_inactive_stations(placed):
    placed.canglang_home.is_active = False
    placed.canglang_home.save(update_fields=["is_active"])
    assert "沧浪街道代表之家" not in names(placed.client(None).get("/near/", AT_CANGLANG))


def test_nearest_without_location_explains_and_offers_the_button(world):
    response = world.client(None).get("/near/")
    body = html(response)
    assert response.status_code == 200
    assert response.context["stations"] == []
    assert "data-near" in body and 'id="location-notice"' not in body


def test_region_list_nearest_first_with_stations_without_coordinates_last(world):
    place(world.mudu_home, 31.26, 120.51)
    plain = world.client(None).get("/r/320506000000/")
    assert [s.name for s in plain.context["page"]] == ["唯亭街道代表联络站", "木渎镇代表之家"]  # by place
    near = world.client(None).get("/r/320506000000/", {"lat": "31.40", "lng": "120.86"})
    stations = list(near.context["page"])
    # 唯亭 is where the phone is, but has no coordinates: it comes after every station that has them.
    assert [s.name for s in stations] == ["木渎镇代表之家", "唯亭街道代表联络站"]
    assert stations[0].distance_label and not stations[1].distance_label
    body = html(near)
    assert 'class="distance"' in body
    assert body.index("MUDU01") < body.index("WEIT01")


def test_region_pages_keep_the_location_when_paging(world):
    add_stations(world.mudu, 25, latitude=31.26, longitude=120.51)
    body = html(world.client(None).get("/r/320506108000/", {"lat": "31.3", "lng": "120.6"}))
    assert "lat=31.3&amp;lng=120.6&amp;page=2" in body


BAD_LOCATIONS = [
    {"lat": "abc", "lng": "120.6"},
    {"lat": "91", "lng": "120.6"},
    {"lat": "31.3", "lng": "-181"},
    {"lat": "31.3"},
    {"lng": "120.6"},
    {"lat": "nan", "lng": "nan"},
    {"lat": "inf", "lng": "1"},
    {"lat": "1e400", "lng": "1"},
    {"lat": "31,3", "lng": "120,6"},
]


@pytest.mark.parametrize("params", BAD_LOCATIONS)
def test_unusable_location_is_ignored_with_a_notice(placed, params):
    near = placed.client(None).get("/near/", params)
    assert near.status_code == 200
    assert near.context["point"] is None and near.context["stations"] == []
    assert 'id="location-notice"' in html(near)
    region = placed.client(None).get("/r/320506000000/", params)
    assert region.status_code == 200
    assert 'id="location-notice"' in html(region)
    assert [s.name for s in region.context["page"]] == ["唯亭街道代表联络站", "木渎镇代表之家"]  # the usual order


def test_parse_location():
    assert parse_location({}) is None
    assert parse_location({"lat": "", "lng": " "}) is None
    assert parse_location({"lat": " 31.3 ", "lng": "120.6"}) == Point(31.3, 120.6)
    assert parse_location({"lat": "-90", "lng": "180"}) == Point(-90.0, 180.0)
    for params in BAD_LOCATIONS:
        with pytest.raises(BadLocation):
            parse_location(params)


def test_distances_are_close_to_great_circle_ones():
    # 苏州站 to 上海站, about 82 km along the great circle.
    suzhou, shanghai = Point(31.3320, 120.6105), Point(31.2495, 121.4558)
    scale = math.cos(math.radians(suzhou.lat))
    sq = (shanghai.lat - suzhou.lat) ** 2 + ((shanghai.lng - suzhou.lng) * scale) ** 2
    assert 80 < km_from_sq(sq) < 83
    assert km_from_sq(None) is None


def test_format_distance():
    with translation.override("en"):
        assert format_distance(None) == ""
        assert format_distance(0) == "10 m"
        assert format_distance(0.4449) == "440 m"
        assert format_distance(3.25) == "3.2 km"
        assert format_distance(250.4) == "250 km"
    with translation.override("zh-hans"):
        assert format_distance(0.4449) == "440 米"
        assert format_distance(3.25) == "3.2 公里"
