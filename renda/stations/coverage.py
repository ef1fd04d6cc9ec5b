"""Station coverage of a region: per child region and in total, in a fixed number of queries.

A row is a child region (for a city: its districts, county-level cities and zones; for a district: its towns and
streets). Everything under a row shares the row's path as a prefix, so one GROUP BY Substr(path, 1, length) per
distinct prefix length answers all rows at once, whatever the number of regions or stations. A zone's row also
counts the towns it manages, which sit legally under other districts: their paths are extra prefixes of that row.
The counts of a zone's prefixes add up (the prefixes do not nest); distinct deputies do not, so for rows with
several prefixes the (prefix, deputy) pairs are fetched and united.

Definitions (shown on the page too):
- a town/street is covered when at least one active station sits in it or in one of its villages/communities;
- a village/community is covered when an active station sits in it;
- deputies are the distinct active deputies assigned to the active stations counted in the row.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, When
from django.db.models.functions import Substr

from renda.regions.models import TOWN_KINDS, VILLAGE_KINDS, Region, RegionKind, ZoneMembership, paths_q

from .models import Assignment, Station, StationKind

TOWN_KIND_VALUES = [str(kind) for kind in TOWN_KINDS]
VILLAGE_KIND_VALUES = [str(kind) for kind in VILLAGE_KINDS]
ADDITIVE = ("towns", "villages", "towns_covered", "villages_covered", "home", "liaison", "point")


@dataclass
class CoverageRow:
    region: Region | None  # None for the total row
    towns: int = 0
    towns_covered: int = 0
    villages: int = 0
    villages_covered: int = 0
    home: int = 0
    liaison: int = 0
    point: int = 0
    deputies: int = 0
    prefixes: list[str] = field(default_factory=list, repr=False)

    @property
    def stations(self) -> int:
        return self.home + self.liaison + self.point

    @property
    def town_share(self) -> float | None:
        return _share(self.towns_covered, self.towns)

    @property
    def village_share(self) -> float | None:
        return _share(self.villages_covered, self.villages)

    @property
    def deputies_per_station(self) -> float | None:
        return round(self.deputies / self.stations, 1) if self.stations else None

    def add(self, counts: dict):
        for name in ADDITIVE:
            setattr(self, name, getattr(self, name) + (counts.get(name) or 0))

    def clamp(self):
        # A village row has no town of its own: the town of a station in it lies outside the row.
        self.towns_covered = min(self.towns_covered, self.towns)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# The town a station serves: its own region if that is a town/street, else the parent of its village/community
# (ALLOWED_PARENT_KINDS puts villages and communities directly under towns, streets and townships).
STATION_TOWN = Case(
    When(region__kind__in=TOWN_KIND_VALUES, then=F("region_id")),
    When(region__kind__in=VILLAGE_KIND_VALUES, then=F("region__parent_id")),
    default=None,
    output_field=IntegerField(),
)
STATION_VILLAGE = Case(
    When(region__kind__in=VILLAGE_KIND_VALUES, then=F("region_id")), default=None, output_field=IntegerField()
)
REGION_COUNTS = {
    "towns": Count("pk", filter=Q(kind__in=TOWN_KIND_VALUES)),
    "villages": Count("pk", filter=Q(kind__in=VILLAGE_KIND_VALUES)),
}
# Stations are joined to their assignments for the deputy count, hence distinct everywhere.
STATION_COUNTS = {
    "home": Count("pk", filter=Q(kind=StationKind.HOME), distinct=True),
    "liaison": Count("pk", filter=Q(kind=StationKind.LIAISON), distinct=True),
    "point": Count("pk", filter=Q(kind=StationKind.POINT), distinct=True),
    "towns_covered": Count(STATION_TOWN, distinct=True),
    "villages_covered": Count(STATION_VILLAGE, distinct=True),
    "deputies": Count("assignments__deputy", filter=Q(assignments__deputy__is_active=True), distinct=True),
}


def coverage(region: Region) -> tuple[list[CoverageRow], CoverageRow]:
    """Rows for the children of `region` (and, for a zone, its managed towns), and the total over its subtree."""
    rows = [CoverageRow(child, prefixes=[child.path]) for child in Region.objects.filter(parent=region)]
    by_pk = {row.region.pk: row for row in rows}
    zone_ids = [row.region.pk for row in rows if row.region.kind == RegionKind.ZONE]
    if region.kind == RegionKind.ZONE:
        zone_ids.append(region.pk)
    own_members: list[str] = []
    memberships = ZoneMembership.objects.filter(zone_id__in=zone_ids).select_related("member").order_by("member__path")
    for membership in memberships if zone_ids else ():
        member = membership.member
        if membership.zone_id == region.pk:
            own_members.append(member.path)
            if not member.path.startswith(region.path) and member.pk not in by_pk:
                by_pk[member.pk] = CoverageRow(member, prefixes=[member.path])
                rows.append(by_pk[member.pk])
        elif not member.path.startswith(by_pk[membership.zone_id].region.path):
            by_pk[membership.zone_id].prefixes.append(member.path)

    subtree = [region.path, *own_members]
    _fill_rows(rows, subtree)
    total = CoverageRow(None)
    total.add(_regions(subtree).aggregate(**REGION_COUNTS))
    station_totals = _stations(subtree).aggregate(**STATION_COUNTS)
    total.add(station_totals)
    total.deputies = station_totals["deputies"]
    total.clamp()
    return rows, total


def _regions(subtree: list[str]):
    return Region.objects.filter(paths_q(subtree), kind__in=TOWN_KIND_VALUES + VILLAGE_KIND_VALUES)


def _stations(subtree: list[str]):
    # Members' studios (委员工作室) are the CPPCC's: they do not make a town covered by deputies' stations.
    return Station.objects.filter(paths_q(subtree, "region__path"), is_active=True).exclude(kind=StationKind.STUDIO)


def _fill_rows(rows: list[CoverageRow], subtree: list[str]) -> None:
    rows_of_prefix: dict[str, list[CoverageRow]] = defaultdict(list)
    for row in rows:
        for prefix in row.prefixes:
            rows_of_prefix[prefix].append(row)
    by_length: dict[int, list[str]] = defaultdict(list)
    for prefix in rows_of_prefix:
        by_length[len(prefix)].append(prefix)
    multi = {prefix for row in rows if len(row.prefixes) > 1 for prefix in row.prefixes}
    pairs: dict[str, set[int]] = defaultdict(set)

    for length, prefixes in sorted(by_length.items()):
        regions = (
            _regions(subtree)
            .annotate(prefix=Substr("path", 1, length))
            .filter(prefix__in=prefixes)
            .values("prefix")
            .annotate(**REGION_COUNTS)
            .order_by()
        )
        for counts in regions:
            for row in rows_of_prefix[counts["prefix"]]:
                row.add(counts)
        stations = (
            _stations(subtree)
            .annotate(prefix=Substr("region__path", 1, length))
            .filter(prefix__in=prefixes)
            .values("prefix")
            .annotate(**STATION_COUNTS)
            .order_by()
        )
        for counts in stations:
            for row in rows_of_prefix[counts["prefix"]]:
                row.add(counts)
                if len(row.prefixes) == 1:
                    row.deputies = counts["deputies"]
        wanted = [prefix for prefix in prefixes if prefix in multi]
        if wanted:
            assigned = (
                Assignment.objects.filter(station__is_active=True, deputy__is_active=True)
                .filter(paths_q(subtree, "station__region__path"))
                .annotate(prefix=Substr("station__region__path", 1, length))
                .filter(prefix__in=wanted)
                .values_list("prefix", "deputy_id")
                .distinct()
            )
            for prefix, deputy_id in assigned:
                pairs[prefix].add(deputy_id)

    for row in rows:
        if len(row.prefixes) > 1:
            row.deputies = len(set().union(*(pairs[prefix] for prefix in row.prefixes)))
        row.clamp()
