"""What is wrong with a reception day's assignments, for staff to fix before (or after) publishing.

Five kinds, each a list of rows the conflicts page links to the station or deputy page that fixes it:
- `double`: a deputy in two places — two duties this day, or a duty this day and another reception the same date whose
  time overlaps at another station (a roster reception or another region's day; the same station twice is one
  place);
- `empty_stations`: an active station of the region without any deputy;
- `unassigned`: an active deputy of the region with no duty who has not said they cannot come;
- `unavailable`: a deputy on duty who has since said they cannot come (after publishing their duty stays until staff
  move or remove it);
- `outside`: a deputy sent to a station they do not serve, outside their electoral region (its town, for a deputy
  elected in a village; its managed towns, for a zone).

Everything is read for the user: managers of the day see it all, staff of a region below it their own stations and
deputies. A few queries whatever the size; the Python joins are over values_list rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from renda.people.access import deputies_for
from renda.people.models import Deputy
from renda.regions.models import paths_q
from renda.stations.access import stations_for
from renda.stations.models import Assignment

from .access import campaign_duties, can_manage_campaign
from .models import Campaign, Duty, Reception
from .towns import TownIndex
from .workflow import ReceptionStatus

# The page shows this many rows of each kind (with the total); fixing them brings the next ones up.
LIMIT = 200


@dataclass
class Conflicts:
    double: list[dict] = field(default_factory=list)
    empty_stations: list = field(default_factory=list)
    empty_count: int = 0
    unassigned: list = field(default_factory=list)
    unassigned_count: int = 0
    unavailable: list[dict] = field(default_factory=list)
    outside: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.double) + self.empty_count + self.unassigned_count + len(self.unavailable) + len(self.outside)


def region_deputies(campaign: Campaign, prefixes=None):
    """Active deputies of the day's region: elected in it, or serving an active station in it."""
    prefixes = prefixes or campaign.region.subtree_prefixes()
    served = Assignment.objects.filter(paths_q(prefixes, "station__region__path"), station__is_active=True)
    return Deputy.objects.filter(is_active=True).filter(
        paths_q(prefixes, "electoral_region__path") | Q(pk__in=served.values("deputy_id"))
    )


def _visible_duties(user, campaign: Campaign):
    return (
        Duty.objects.filter(campaign=campaign)
        if can_manage_campaign(user, campaign)
        else campaign_duties(user, campaign)
    )


def find_conflicts(user, campaign: Campaign) -> Conflicts:
    result = Conflicts()
    prefixes = campaign.region.subtree_prefixes()
    duties = _visible_duties(user, campaign)
    rows = list(
        duties.values_list(
            "pk",
            "deputy_id",
            "deputy__name",
            "deputy__electoral_region_id",
            "deputy__electoral_region__path",
            "reception_id",
            "reception__station_id",
            "reception__station__name",
            "reception__station__region__path",
            "deputy__electoral_region__kind",
        ).order_by("deputy__name", "deputy_id", "pk")
    )

    # 1a. Two duties on this day.
    by_deputy = defaultdict(list)
    for row in rows:
        by_deputy[row[1]].append(row)
    for deputy_id, items in by_deputy.items():
        if len(items) > 1:
            result.double.append(
                {
                    "deputy_id": deputy_id,
                    "deputy_name": items[0][2],
                    "places": [{"duty_id": r[0], "station_id": r[6], "station_name": r[7]} for r in items],
                    "other": False,
                }
            )
    # 1b. A duty this day and another reception at the same time elsewhere.
    # From the day's other receptions (the date index), not from the deputies: a city has thousands of those.
    overlapping = (
        Reception.objects.filter(
            date=campaign.date,
            status=ReceptionStatus.SCHEDULED,
            starts__lt=campaign.ends,
            ends__gt=campaign.starts,
        )
        .exclude(campaign=campaign)
        .values("pk")
    )
    others = Duty.objects.filter(reception__in=overlapping).values_list(
        "deputy_id", "reception__station_id", "reception__station__name", "reception__starts", "reception__ends"
    )
    for deputy_id, station_id, station_name, starts, ends in others:
        items = by_deputy.get(deputy_id)
        # The same station twice (a roster reception where the day sends them anyway) is one place, not two.
        if not items or all(r[6] == station_id for r in items):
            continue
        result.double.append(
            {
                "deputy_id": deputy_id,
                "deputy_name": items[0][2],
                "places": [{"duty_id": r[0], "station_id": r[6], "station_name": r[7]} for r in items],
                "other": {"station_name": station_name, "starts": starts, "ends": ends},
            }
        )

    # 2. Stations of the region without a deputy (only those the user may see and staff).
    used = Duty.objects.filter(campaign=campaign).values("reception__station_id")
    empty = (
        stations_for(user)
        .filter(paths_q(prefixes, "region__path"), is_active=True)
        .exclude(pk__in=used)
        .select_related("region")
        .order_by("region__path", "name", "id")
    )
    result.empty_count = empty.count()
    result.empty_stations = list(empty[:LIMIT]) if result.empty_count else []

    # 3. Deputies of the region with nothing to do, who did not say they cannot come.
    unassigned = (
        region_deputies(campaign, prefixes)
        .filter(pk__in=deputies_for(user).values("pk"))
        .exclude(pk__in=Duty.objects.filter(campaign=campaign).values("deputy_id"))
        .exclude(pk__in=campaign.unavailabilities.values("deputy_id"))
        .select_related("electoral_region")
        .order_by("name", "id")
    )
    result.unassigned_count = unassigned.count()
    result.unassigned = list(unassigned[:LIMIT]) if result.unassigned_count else []

    # 4. On duty although they said they cannot come.
    reasons = dict(campaign.unavailabilities.filter(deputy_id__in=list(by_deputy)).values_list("deputy_id", "reason"))
    for row in rows:
        if row[1] in reasons:
            result.unavailable.append(
                {
                    "duty_id": row[0],
                    "deputy_id": row[1],
                    "deputy_name": row[2],
                    "station_id": row[6],
                    "station_name": row[7],
                    "reason": reasons[row[1]],
                }
            )

    # 5. Sent outside their region: neither serving the station nor elected where it lies.
    if rows:
        served = set(
            Assignment.objects.filter(deputy_id__in=duties.values("deputy_id")).values_list("deputy_id", "station_id")
        )
        towns = TownIndex(prefixes)
        for pk, deputy_id, name, region_id, path, _reception, station_id, station_name, station_path, kind in rows:
            if (deputy_id, station_id) in served:
                continue
            if any(station_path.startswith(prefix) for prefix in towns.home_prefixes(region_id, path, kind)):
                continue
            result.outside.append(
                {
                    "duty_id": pk,
                    "deputy_id": deputy_id,
                    "deputy_name": name,
                    "station_id": station_id,
                    "station_name": station_name,
                }
            )
    return result


def station_counts(user, campaign: Campaign):
    """The region's stations the user may see, each with its number of duties this day (one grouped query)."""
    prefixes = campaign.region.subtree_prefixes()
    return (
        stations_for(user)
        .filter(paths_q(prefixes, "region__path"), is_active=True)
        .annotate(duty_count=Count("receptions__duties", filter=Q(receptions__campaign=campaign)))
        .select_related("region")
    )
