"""Proposing a draft reception day's assignments at once (the "propose assignments" button).

The planner (renda/receptions/planner.py) works on plain records; this module reads them from the database in a
handful of queries whatever the size, and writes the proposal with the ORM's bulk operations (`write_plan`): the
draft's receptions and duties become what the plan says — nothing of a draft has been seen outside the office, and
on-the-day rows (visits, opinions) exist only after publishing, so nothing hangs off them.

Deputies already on duty elsewhere at the same time (a roster or one-off reception, another region's day that
overlaps the day's hours) are planned around: at the station where they already are, if it belongs to this day, and
nowhere otherwise — nobody is planned in two places.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from renda.audit.actions import record
from renda.people.models import Deputy
from renda.regions.models import paths_q
from renda.stations.models import Assignment, Station, StationKind

from .. import planner, rules
from ..models import Campaign, Duty, Reception
from ..towns import TownIndex
from ..workflow import Attendance, CampaignAction, ReceptionKind, ReceptionStatus
from .absences import absences_to_unavailability
from .base import lock_campaign

BATCH_SIZE = 2000


def busy_elsewhere(campaign: Campaign) -> dict[int, set[int]]:
    """{deputy id: stations where they are on duty the same date, at hours overlapping the day's} — other
    receptions only (roster, one-off, another day), scheduled ones. One query on the date index."""
    busy: dict[int, set[int]] = defaultdict(set)
    rows = (
        Duty.objects.filter(
            reception__date=campaign.date,
            reception__status=ReceptionStatus.SCHEDULED,
            reception__starts__lt=campaign.ends,
            reception__ends__gt=campaign.starts,
        )
        .exclude(reception__campaign=campaign)
        .values_list("deputy_id", "reception__station_id")
    )
    for deputy_id, station_id in rows:
        busy[deputy_id].add(station_id)
    return busy


def load_planning_input(campaign: Campaign):
    """Deputies, stations and unavailability of the campaign's region, as the planner's plain records.

    A handful of queries whatever the size: values_list rows, joined in memory.
    """
    prefixes = campaign.region.subtree_prefixes()
    towns = TownIndex(prefixes)
    stations = [
        planner.StationInfo(id=pk, town=towns.town_of(path), is_home=kind == StationKind.HOME)
        for pk, path, kind in Station.objects.filter(paths_q(prefixes, "region__path"), is_active=True).values_list(
            "id", "region__path", "kind"
        )
    ]
    station_ids = {s.id for s in stations}
    serves: dict[int, list[int]] = defaultdict(list)
    for deputy_id, station_id in (
        Assignment.objects.filter(paths_q(prefixes, "station__region__path"), station__is_active=True)
        .order_by("station_id")
        .values_list("deputy_id", "station_id")
    ):
        if station_id in station_ids:
            serves[deputy_id].append(station_id)
    deputy_rows = (
        Deputy.objects.filter(is_active=True)
        .filter(paths_q(prefixes, "electoral_region__path") | Q(pk__in=list(serves)))
        .values_list("id", "level", "electoral_region_id", "electoral_region__path", "electoral_region__kind")
    )
    deputies = [
        planner.DeputyInfo(
            id=pk,
            level=level,
            serves=tuple(serves.get(pk, ())),
            region_towns=towns.home_towns(electoral_id, electoral_path, electoral_kind),
        )
        for pk, level, electoral_id, electoral_path, electoral_kind in deputy_rows.order_by("id")
    ]
    unavailable = set(campaign.unavailabilities.values_list("deputy_id", flat=True))
    return deputies, stations, unavailable


def placed_elsewhere(campaign: Campaign, station_ids) -> tuple[dict[int, int], set[int]]:
    """({deputy id: the day's station where they already are}, {deputies busy at a station outside the day}) for the
    deputies on duty at another reception overlapping the day's hours."""
    fixed, away = {}, set()
    for deputy_id, places in busy_elsewhere(campaign).items():
        if len(places) == 1 and next(iter(places)) in station_ids:
            fixed[deputy_id] = next(iter(places))
        else:
            away.add(deputy_id)
    return fixed, away


def write_plan(campaign: Campaign, assignments: dict[int, int], now) -> int:
    """Make the draft's receptions and duties what `assignments` ({deputy id: station id}) says, writing only the
    difference with the ORM's bulk operations: new stations' receptions and new deputies' duties are bulk-created,
    duties sent elsewhere bulk-updated, the rest deleted. Planning a day the first time inserts everything; planning
    it again after a few changes touches a few rows. Returns the number of receptions the plan uses."""
    wanted = set(assignments.values())
    existing = dict(Reception.objects.filter(campaign=campaign).values_list("station_id", "pk"))
    created = Reception.objects.bulk_create(
        [
            Reception(
                station_id=station_id,
                date=campaign.date,
                starts=campaign.starts,
                ends=campaign.ends,
                kind=ReceptionKind.CAMPAIGN,
                campaign=campaign,
            )
            for station_id in sorted(wanted - set(existing))
        ],
        batch_size=BATCH_SIZE,
    )
    reception_of = {station_id: pk for station_id, pk in existing.items() if station_id in wanted}
    reception_of |= {r.station_id: r.pk for r in created}
    if any(pk is None for pk in reception_of.values()):  # a backend that returns no ids from a bulk insert
        reception_of = dict(Reception.objects.filter(campaign=campaign).values_list("station_id", "pk"))
    current: dict[int, tuple[int, int]] = {}
    drop = []
    for pk, deputy_id, reception_id in (
        Duty.objects.filter(campaign=campaign).order_by("pk").values_list("pk", "deputy_id", "reception_id")
    ):
        if deputy_id in current:
            drop.append(pk)  # a second duty the same day: the plan gives everyone one
        else:
            current[deputy_id] = (pk, reception_id)
    create, move = [], []
    for deputy_id, station_id in sorted(assignments.items()):
        reception_id = reception_of[station_id]
        have = current.pop(deputy_id, None)
        if have is None:
            create.append(
                Duty(reception_id=reception_id, deputy_id=deputy_id, campaign=campaign, attendance=Attendance.EXPECTED)
            )
        elif have[1] != reception_id:
            move.append(Duty(pk=have[0], reception_id=reception_id, updated=now))
    drop += [pk for pk, _reception in current.values()]
    if drop:
        Duty.objects.filter(pk__in=drop).delete()
    Duty.objects.bulk_update(move, ["reception", "updated"], batch_size=BATCH_SIZE)
    Duty.objects.bulk_create(create, batch_size=BATCH_SIZE)
    unused = [pk for station_id, pk in existing.items() if station_id not in wanted]
    if unused:
        Reception.objects.filter(pk__in=unused).delete()
    return len(wanted)


def plan_campaign(campaign: Campaign, user, *, ip=None) -> planner.Plan:
    """Propose every assignment of a draft day at once, replacing the previous proposal."""
    rules.require(CampaignAction.PLAN, campaign)
    now = timezone.now()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.PLAN, locked)
        # Read under the lock: an unavailability or a publication recorded meanwhile is not planned over. Standing
        # absences covering the date become the day's unavailability too.
        deputies, stations, unavailable = load_planning_input(locked)
        planned = {d.id for d in deputies}
        unavailable |= absences_to_unavailability(locked, planned)
        fixed, away = placed_elsewhere(locked, {s.id for s in stations})
        result = planner.plan(deputies, stations, unavailable | away, fixed=fixed)
        used = write_plan(locked, result.assignments, now)
        locked.planned_at = now
        locked.version += 1
        locked.save(update_fields=["planned_at", "version", "updated"])
        record(
            user,
            "campaign.plan",
            locked,
            changes={
                "duties": len(result.assignments),
                "receptions": used,
                "unassigned": len(result.unassigned),
                "uncovered_towns": len(result.uncovered_towns),
                "unavailable": len(unavailable),
                "busy_elsewhere": len((set(fixed) | away) & planned),
            },
            ip=ip,
        )
    campaign.planned_at, campaign.version = locked.planned_at, locked.version
    return result
