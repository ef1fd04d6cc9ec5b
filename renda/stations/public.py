"""Public reads of stations, deputies, members and regions: what anyone with a phone may see, and nothing else.

Only active stations, deputies and members; only public fields. Phone numbers and accounts are deferred so that
they are never even loaded into a public page's objects (a template that touched them would cost a query, which
the pinned query counts in the tests would catch).
"""

import os

from django.db.models import Case, Count, F, IntegerField, Max, Min, Prefetch, Q, Value, When
from django.http import Http404

from renda.core.geo import Point, distance_sq_expression, km_from_sq
from renda.people.models import Deputy, DeputyLevel, Member
from renda.regions.models import CODE_LENGTH, Region, RegionKind, ZoneMembership, path_range_q
from renda.stations.models import Assignment, MemberAssignment, Station, StationKind, StationPhoto

PRIVATE_PERSON_FIELDS = ("phone", "updated")
PRIVATE_DEPUTY_FIELDS = (*PRIVATE_PERSON_FIELDS, "user")
NEAREST_LIMIT = 20
SEARCH_LIMIT = 20


def _level_rank(field: str = "level"):
    """National first, street 议政代表 last: the order of DeputyLevel."""
    whens = [When(**{field: value}, then=Value(rank)) for rank, value in enumerate(DeputyLevel.values)]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


def public_stations():
    return Station.objects.filter(is_active=True)


def public_deputies():
    return Deputy.objects.filter(is_active=True).defer(*PRIVATE_DEPUTY_FIELDS)


def public_members():
    return Member.objects.filter(is_active=True).defer(*PRIVATE_PERSON_FIELDS)


# Regions -------------------------------------------------------------------------------------------------------


def get_public_region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("no such region")
    return region


def home_region() -> Region | None:
    """The lowest region whose subtree holds every active station: 苏州市 for the Suzhou demo.

    The common prefix of the smallest and largest station path is the common prefix of all of them, so one
    aggregate finds it. None when there are no stations, or they lie under different roots.
    """
    bounds = public_stations().aggregate(lo=Min("region__path"), hi=Max("region__path"))
    lo, hi = bounds["lo"], bounds["hi"]
    if not lo:
        return None
    common = os.path.commonprefix([lo, hi])
    common = common[: len(common) // CODE_LENGTH * CODE_LENGTH]
    return Region.objects.filter(path=common).first() if common else None


def top_regions():
    return list(Region.objects.filter(parent=None).order_by("path"))


def breadcrumbs(region: Region) -> list[Region]:
    return region.ancestors()


def child_regions(region: Region) -> list[Region]:
    """Legal children, and for a zone also the towns it manages (marked `managed`)."""
    children = list(region.children.order_by("path"))
    if region.kind == RegionKind.ZONE:
        managed = Region.objects.filter(pk__in=ZoneMembership.objects.filter(zone=region).values("member_id")).order_by(
            "path"
        )
        for town in managed:
            town.managed = True
            children.append(town)
    return children


def _subtree_qs(regions, field: str) -> dict[int, Q]:
    """Region.subtree_q for many regions, fetching all zones' managed towns in one query."""
    zone_ids = [r.pk for r in regions if r.kind == RegionKind.ZONE]
    members: dict[int, list[str]] = {}
    if zone_ids:
        for zone_id, path in ZoneMembership.objects.filter(zone_id__in=zone_ids).values_list("zone_id", "member__path"):
            members.setdefault(zone_id, []).append(path)
    qs = {}
    for region in regions:
        q = path_range_q(region.path, field)
        for path in members.get(region.pk, ()):
            q |= path_range_q(path, field)
        qs[region.pk] = q
    return qs


def annotate_station_counts(regions: list[Region]) -> list[Region]:
    """Set `station_count` on each region (its subtree, zones' towns included) with one aggregate query."""
    if not regions:
        return regions
    subtree = _subtree_qs(regions, "region__path")
    counts = public_stations().aggregate(**{f"r{pk}": Count("pk", filter=q) for pk, q in subtree.items()})
    for region in regions:
        region.station_count = counts[f"r{region.pk}"]
    return regions


# Stations ------------------------------------------------------------------------------------------------------


def stations_in(region: Region):
    """Active stations anywhere in the region's subtree, grouped by place."""
    return (
        public_stations()
        .filter(region.subtree_q("region__path"))
        .select_related("region")
        .order_by("region__path", "name", "id")
    )


def order_by_distance(stations, point: Point):
    """Nearest first; stations without coordinates last."""
    return stations.annotate(distance_sq=distance_sq_expression(point)).order_by(
        F("distance_sq").asc(nulls_last=True), "name", "id"
    )


def nearest_stations(point: Point, limit: int = NEAREST_LIMIT) -> list[Station]:
    stations = public_stations().filter(latitude__isnull=False, longitude__isnull=False).select_related("region")
    return with_distances(list(order_by_distance(stations, point)[:limit]))


def with_distances(stations):
    """Set `distance_km` on stations annotated by order_by_distance (a page or a list)."""
    for station in stations:
        station.distance_km = km_from_sq(getattr(station, "distance_sq", None))
    return stations


def search_stations(query: str, limit: int = SEARCH_LIMIT) -> list[Station]:
    query = query.strip()
    if not query:
        return []
    return list(
        public_stations()
        .filter(Q(name__icontains=query) | Q(address__icontains=query))
        .select_related("region")
        .order_by("name", "id")[:limit]
    )


def get_public_station(code: str) -> Station:
    """The station page: region, photos, and serving deputies (head first, then by level)."""
    serving = (
        Assignment.objects.filter(deputy__is_active=True)
        .select_related("deputy")
        .defer(*(f"deputy__{field}" for field in PRIVATE_DEPUTY_FIELDS))
        .annotate(level_rank=_level_rank("deputy__level"))
        .order_by("-is_head", "level_rank", "deputy__name", "deputy__id")
    )
    station = (
        public_stations()
        .filter(public_code=code)
        .select_related("region")
        .prefetch_related(
            Prefetch("assignments", queryset=serving, to_attr="serving"),
            Prefetch("photos", queryset=StationPhoto.objects.order_by("position", "id"), to_attr="photo_list"),
        )
        .first()
    )
    if station is None:
        raise Http404("no such station")
    return station


def studio_members(station: Station) -> list[Member]:
    """The active CPPCC members on duty at a members' studio (委员工作室), by name; nothing (and no query) for other
    stations."""
    if station.kind != StationKind.STUDIO:
        return []
    on_duty = MemberAssignment.objects.filter(station=station, member__is_active=True).values("member_id")
    return list(public_members().filter(pk__in=on_duty).order_by("name", "id"))


# People --------------------------------------------------------------------------------------------------------


def get_public_deputy(code: str) -> Deputy:
    """A deputy's profile with the active stations they serve (`served`, head roles first)."""
    served = (
        Assignment.objects.filter(station__is_active=True)
        .select_related("station__region")
        .order_by("-is_head", "station__name", "station__id")
    )
    deputy = (
        public_deputies()
        .filter(public_code=code)
        .select_related("electoral_region")
        .prefetch_related(Prefetch("assignments", queryset=served, to_attr="served"))
        .first()
    )
    if deputy is None:
        raise Http404("no such deputy")
    return deputy


def get_public_member(code: str) -> Member:
    member = public_members().filter(public_code=code).select_related("region").first()
    if member is None:
        raise Http404("no such member")
    return member
