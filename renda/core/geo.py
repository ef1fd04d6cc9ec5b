"""Approximate distances that both SQLite and PostgreSQL compute without GIS extensions.

Within a city an equirectangular projection is accurate to well under a percent: one degree of latitude is about
111.2 km, one degree of longitude is that times cos(latitude). The database orders by the squared projected
difference in degrees (no square root needed to order); Python turns the page's values into kilometres.
"""

import math
import warnings
from dataclasses import dataclass

import prcoords
from django.conf import settings
from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

KM_PER_DEGREE = 111.195


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


# Into WGS-84 from each system, and from WGS-84 into each (prcoords: public-domain implementations of the published
# GCJ-02 and BD-09 formulas; outside China they return the point unchanged).
_TO_WGS = {"wgs84": lambda c: c, "gcj02": prcoords.gcj_wgs, "bd09": prcoords.bd_wgs}
_FROM_WGS = {"wgs84": lambda c: c, "gcj02": prcoords.wgs_gcj, "bd09": prcoords.wgs_bd}


def in_station_system(point: Point, source: str = "wgs84") -> Point:
    """`point`, given in `source` (a phone's GPS: wgs84; WeChat: gcj02), in the system station coordinates are stored
    in (settings.STATION_COORDINATES), so that distances to stations are true distances."""
    target = settings.STATION_COORDINATES
    if source == target:
        return point
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "non-Chinese coords, returned as-is": exactly what we want there
        coords = _FROM_WGS[target](_TO_WGS[source](prcoords.Coords(point.lat, point.lng)))
    return Point(coords.lat, coords.lon)


def convert(point: Point, source: str, target: str) -> Point:
    """`point` from one coordinate system (wgs84, gcj02, bd09) into another: a map app wants its own system."""
    if source == target:
        return point
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # outside China the point comes back unchanged, which is right there
        coords = _FROM_WGS[target](_TO_WGS[source](prcoords.Coords(point.lat, point.lng)))
    return Point(coords.lat, coords.lon)


class BadLocation(ValueError):
    """The query string named a location we cannot use."""


def parse_location(params) -> Point | None:
    """The `lat`/`lng` pair of a query string (the browser's WGS-84 position), in the stations' coordinate system:
    None when neither is given, BadLocation when unusable."""
    raw_lat, raw_lng = params.get("lat", "").strip(), params.get("lng", "").strip()
    if not raw_lat and not raw_lng:
        return None
    try:
        lat, lng = float(raw_lat), float(raw_lng)
    except ValueError:
        raise BadLocation(raw_lat, raw_lng) from None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise BadLocation(raw_lat, raw_lng)
    return in_station_system(Point(lat, lng))


def distance_sq_expression(point: Point, lat_field: str = "latitude", lng_field: str = "longitude"):
    """Squared projected distance in degrees², NULL when a coordinate is missing (so it can sort last)."""
    scale = math.cos(math.radians(point.lat))
    dlat = Cast(F(lat_field), FloatField()) - Value(point.lat)
    dlng = (Cast(F(lng_field), FloatField()) - Value(point.lng)) * Value(scale)
    return dlat * dlat + dlng * dlng


EARTH_RADIUS_M = 6_371_000


def metres_between(a: Point, b: Point) -> int:
    """Great-circle distance in whole metres (haversine), for checks against a tolerance (check-in at a station)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = phi2 - phi1, math.radians(b.lng - a.lng)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h))))


def km_from_sq(distance_sq: float | None) -> float | None:
    if distance_sq is None:
        return None
    return math.sqrt(distance_sq) * KM_PER_DEGREE


def format_distance(km: float | None) -> str:
    """ "850 m" near by, "3.2 km" further: what a walker needs, no false precision."""
    if km is None:
        return ""
    if km < 1:
        return _("%(metres)s m") % {"metres": max(10, int(round(km * 100)) * 10)}
    if km < 100:
        return _("%(km)s km") % {"km": f"{km:.1f}"}
    return _("%(km)s km") % {"km": f"{km:.0f}"}
