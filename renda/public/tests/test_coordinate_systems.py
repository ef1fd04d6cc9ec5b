"""Station coordinates may be entered in WGS-84, GCJ-02 or BD-09 (STATION_COORDINATES); phones report WGS-84 and
WeChat GCJ-02. Every position is turned into the stations' system before a distance is measured: in Suzhou the
systems are ~500 m apart, which is the whole check-in tolerance."""

import datetime as dt
from decimal import Decimal

import prcoords
import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from renda.core.geo import Point, in_station_system, metres_between, parse_location
from renda.receptions.models import Duty, Reception

PHONE = Point(31.259000, 120.527000)  # WGS-84, as the browser reports it at 木渎
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_distances_are_great_circle_metres():
    assert metres_between(Point(31.0, 120.0), Point(32.0, 120.0)) == pytest.approx(111_195, rel=1e-3)
    assert metres_between(PHONE, PHONE) == 0


def test_wgs84_stations_take_phone_positions_as_they_are():
    assert in_station_system(PHONE) == PHONE
    assert parse_location({"lat": "31.259", "lng": "120.527"}) == PHONE


@override_settings(STATION_COORDINATES="gcj02")
def test_gcj02_stations_get_phone_positions_shifted_as_the_maps_are():
    shifted = in_station_system(PHONE)
    gcj = prcoords.wgs_gcj(prcoords.Coords(PHONE.lat, PHONE.lng))
    assert (shifted.lat, shifted.lng) == pytest.approx((gcj.lat, gcj.lon))
    assert 300 < metres_between(shifted, PHONE) < 700  # the offset that would eat the check-in tolerance
    assert in_station_system(shifted, "gcj02") == shifted  # WeChat's positions are already in that system
    paris = Point(48.8566, 2.3522)
    assert in_station_system(paris) == paris  # outside China nothing moves


@override_settings(STATION_COORDINATES="bd09")
def test_wechat_positions_reach_baidu_stations_through_wgs84():
    gcj = prcoords.wgs_gcj(prcoords.Coords(PHONE.lat, PHONE.lng))
    from_wechat = in_station_system(Point(gcj.lat, gcj.lon), "gcj02")
    from_phone = in_station_system(PHONE)
    assert metres_between(from_wechat, from_phone) < 5


@pytest.mark.parametrize(("system", "near"), [("gcj02", True), ("wgs84", False)])
def test_check_in_measures_in_the_stations_system(world, system, near):
    """The station was placed on a Chinese (GCJ-02) map; the deputy stands exactly there with a GPS phone."""
    gcj = prcoords.wgs_gcj(prcoords.Coords(PHONE.lat, PHONE.lng))
    world.mudu_home.latitude, world.mudu_home.longitude = Decimal(f"{gcj.lat:.6f}"), Decimal(f"{gcj.lon:.6f}")
    world.mudu_home.save()
    reception = Reception.objects.create(
        station=world.mudu_home,
        date=NOW.date(),
        starts=dt.time(9),
        ends=dt.time(11),
        kind="one_off",
        published_at=NOW - dt.timedelta(days=3),
    )
    duty = Duty.objects.create(reception=reception, deputy=world.deputy_wz)
    with override_settings(STATION_COORDINATES=system), time_machine.travel(NOW, tick=False):
        world.client(world.deputy_user).post(
            reverse("receptions:check_in", args=[duty.pk]), {"latitude": PHONE.lat, "longitude": PHONE.lng}
        )
    duty.refresh_from_db()
    assert duty.checked_in_at is not None
    if near:
        assert duty.checkin_distance < 5  # measured where the map put the station
    else:
        assert duty.checkin_distance > 300  # told the wrong system, the same spot looks ~500 m away
