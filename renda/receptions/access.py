"""Scoped reads of receptions, reception days and duties. Outside a user's scope an object is missing (404).

- Congress staff see the receptions of stations in their regions, and every reception day that touches their regions:
  their own, those of regions below them, and those of regions above them (a city's day, limited to their stations).
  They change a day's settings only if their scope covers the day's whole region (`can_manage_campaign`); they adjust
  duties at stations of their own regions (`can_edit_station_duties`).
- Keepers see their stations' receptions; deputies their own duties and the receptions of stations they serve.
- The public sees published receptions only (`public_receptions`).
"""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for
from renda.regions.models import ancestor_paths, paths_q
from renda.stations.models import Assignment

from .models import Absence, Campaign, Duty, Reception, RosterSlot, Visit
from .workflow import Attendance, CampaignStatus, ReceptionKind, ReceptionStatus


def campaigns_for(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Campaign.objects.all()
    q = Q(pk__in=[])
    if scope.staff_paths:
        q |= scope.region_q("region__path") | Q(
            region__path__in={above for path in scope.staff_paths for above in ancestor_paths(path)}
        )
    if scope.deputy_ids:
        q |= Q(pk__in=Duty.objects.filter(deputy_id__in=scope.deputy_ids, campaign__isnull=False).values("campaign_id"))
    if scope.station_ids:
        q |= Q(pk__in=Reception.objects.filter(station_id__in=scope.station_ids).values("campaign_id"))
    return Campaign.objects.filter(q)


def get_campaign_for_user(user, pk) -> Campaign:
    campaign = campaigns_for(user).filter(pk=pk).select_related("region").first()
    if campaign is None:
        raise Http404("no such reception day")
    return campaign


def can_manage_campaign(user, campaign: Campaign) -> bool:
    """Date, theme, planning, publishing and finishing belong to congress staff covering the day's whole region."""
    return scope_for(user).covers_path(campaign.region.path)


def get_managed_campaign(user, pk) -> Campaign:
    campaign = get_campaign_for_user(user, pk)
    if not can_manage_campaign(user, campaign):
        raise Http404("no such reception day")
    return campaign


def may_create_campaigns(user) -> bool:
    return scope_for(user).is_congress_staff


def station_q(user, field: str = "station") -> Q:
    """Stations (through `field`) whose duties the user may see as congress staff or keeper."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    q = Q(**{f"{field}_id__in": scope.station_ids})
    if scope.staff_paths:
        q |= paths_q(scope.staff_paths, f"{field}__region__path")
    return q


def can_edit_station_duties(user, station) -> bool:
    """Who is on duty at a station is decided by congress staff of the station's region."""
    return scope_for(user).covers_path(station.region.path)


def campaign_receptions(user, campaign: Campaign):
    """The day's receptions the user may see: all of them for its managers, their own stations' for the others."""
    receptions = campaign.receptions.all()
    if can_manage_campaign(user, campaign):
        return receptions
    scope = scope_for(user)
    q = station_q(user)
    if scope.deputy_ids:
        q |= Q(pk__in=Duty.objects.filter(deputy_id__in=scope.deputy_ids).values("reception_id"))
    return receptions.filter(q)


def campaign_duties(user, campaign: Campaign):
    return Duty.objects.filter(campaign=campaign, reception__in=campaign_receptions(user, campaign).values("pk"))


def receptions_for(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Reception.objects.all()
    q = station_q(user)
    if scope.deputy_ids:
        served = Assignment.objects.filter(deputy_id__in=scope.deputy_ids).values("station_id")
        q |= Q(station_id__in=served) | Q(
            pk__in=Duty.objects.filter(deputy_id__in=scope.deputy_ids).values("reception_id")
        )
    return Reception.objects.filter(q)


def get_reception_for_user(user, pk) -> Reception:
    reception = receptions_for(user).filter(pk=pk).select_related("station__region", "campaign").first()
    if reception is None:
        raise Http404("no such reception")
    return reception


def slots_for(user):
    return RosterSlot.objects.filter(station_q(user))


def get_slot_for_user(user, pk) -> RosterSlot:
    slot = slots_for(user).filter(pk=pk).select_related("station__region").first()
    if slot is None:
        raise Http404("no such roster slot")
    return slot


def duties_for(user):
    """Duties the user may see: congress staff and keepers by station, deputies their own."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Duty.objects.all()
    q = station_q(user, "reception__station") | Q(deputy_id__in=scope.deputy_ids)
    return Duty.objects.filter(q)


def get_duty_for_user(user, pk) -> Duty:
    duty = (
        duties_for(user)
        .filter(pk=pk)
        .select_related("reception__station__region", "reception__campaign", "deputy", "campaign")
        .first()
    )
    if duty is None:
        raise Http404("no such duty")
    return duty


def own_duties(user):
    """The deputy's own duties (their phone page); empty for anyone who is not a deputy. A draft reception day's
    proposal is the office's until it is published, so its duties are not shown yet."""
    return Duty.objects.filter(deputy_id__in=scope_for(user).deputy_ids).exclude(campaign__status=CampaignStatus.DRAFT)


def get_own_duty(user, pk) -> Duty:
    duty = own_duties(user).filter(pk=pk).select_related("reception__station", "reception__campaign", "deputy").first()
    if duty is None:
        raise Http404("no such duty")
    return duty


def visits_for(user):
    return Visit.objects.filter(reception__in=receptions_for(user).values("pk"))


def public_receptions():
    """What anyone may see: published receptions at active stations (cancelled ones too, marked as such)."""
    return Reception.objects.filter(published_at__isnull=False, station__is_active=True)


def schedule_regions() -> list:
    """The regions the public schedule offers as a filter: the children of the lowest region holding every active
    station (苏州市's districts in the demo), a zone's managed towns among them (marked `managed`); the top regions
    when there is no such region. Two or three queries."""
    import os

    from django.db.models import Max, Min

    from renda.regions.models import CODE_LENGTH, Region, RegionKind
    from renda.stations.models import Station

    bounds = Station.objects.filter(is_active=True).aggregate(lo=Min("region__path"), hi=Max("region__path"))
    common = os.path.commonprefix([bounds["lo"], bounds["hi"]]) if bounds["lo"] else ""
    common = common[: len(common) // CODE_LENGTH * CODE_LENGTH]
    home = Region.objects.filter(path=common).first() if common else None
    if home is None:
        return list(Region.objects.filter(parent=None).order_by("path"))
    children = list(home.children.order_by("path"))
    if home.kind == RegionKind.ZONE:
        for town in home.zone_members.order_by("path"):
            town.managed = True
            children.append(town)
    return children


def public_scheduled():
    return public_receptions().filter(status=ReceptionStatus.SCHEDULED)


def roster_stations(user):
    """Stations whose roster the user may see: congress staff by region, keepers their own stations."""
    from renda.stations.models import Station

    scope = scope_for(user)
    if scope.is_superuser:
        return Station.objects.all()
    q = Q(pk__in=scope.station_ids)
    if scope.staff_paths:
        q |= paths_q(scope.staff_paths, "region__path")
    return Station.objects.filter(q)


def get_roster_station(user, pk):
    """A station's roster page; outside the user's stations it is missing (404)."""
    station = roster_stations(user).filter(pk=pk).select_related("region").first()
    if station is None:
        raise Http404("no such station")
    return station


def public_upcoming(station, start, end):
    """A station's published receptions from `start` to `end` (inclusive), each with its deputies prefetched."""
    from django.db.models import Prefetch

    return list(
        public_receptions()
        .filter(station=station, date__gte=start, date__lte=end)
        .select_related("campaign")
        .prefetch_related(Prefetch("duties", queryset=public_duties(), to_attr="on_duty"))
        .order_by("date", "starts", "id")
    )


def public_duties():
    """Duties as the public sees them: active deputies, public fields only (never a phone)."""
    return (
        Duty.objects.filter(deputy__is_active=True)
        .select_related("deputy")
        .only("reception_id", "deputy__name", "deputy__public_code", "deputy__level")
        .order_by("deputy__name", "deputy_id")
    )


def public_schedule(*, start, region=None, q: str = "", day=None, point=None):
    """The public schedule search: published receptions from `start` on, filtered by region subtree, station or
    deputy name (`q`) and date; nearest station first when `point` is given, else by date. Deputies prefetched as
    `on_duty` (public fields only), so a page costs the same few queries however many receptions it shows."""
    from django.db.models import F, Prefetch

    from renda.core.geo import distance_sq_expression

    rows = public_receptions().filter(date__gte=start).select_related("station__region", "campaign")
    if day is not None:
        rows = rows.filter(date=day)
    if region is not None:
        rows = rows.filter(region.subtree_q("station__region__path"))
    q = q.strip()
    if q:
        # Only duties from `start` on: the history of every past reception is no part of the search.
        named = Duty.objects.filter(
            reception__date__gte=start, deputy__name__icontains=q, deputy__is_active=True
        ).values("reception_id")
        rows = rows.filter(Q(station__name__icontains=q) | Q(pk__in=named))
    if point is not None:
        rows = rows.annotate(
            distance_sq=distance_sq_expression(point, "station__latitude", "station__longitude")
        ).order_by(F("distance_sq").asc(nulls_last=True), "date", "starts", "id")
    else:
        rows = rows.order_by("date", "starts", "station__name", "id")
    return rows.prefetch_related(Prefetch("duties", queryset=public_duties(), to_attr="on_duty"))


def upcoming_by_station(stations, start, end) -> dict:
    """{station id: [published receptions from `start` to `end`]} for a few stations, in two queries."""
    from django.db.models import Prefetch

    found: dict = {}
    receptions = (
        public_receptions()
        .filter(station__in=[s.pk for s in stations], date__gte=start, date__lte=end)
        .prefetch_related(Prefetch("duties", queryset=public_duties(), to_attr="on_duty"))
        .order_by("date", "starts", "id")
    )
    for reception in receptions:
        found.setdefault(reception.station_id, []).append(reception)
    return found


def public_upcoming_for_deputy(deputy, start, end):
    """Published receptions from `start` to `end` where the deputy is on duty (their public page), each with every
    deputy there prefetched as `on_duty` and the station loaded: two queries."""
    from django.db.models import Prefetch

    return list(
        public_receptions()
        .filter(date__gte=start, date__lte=end, duties__deputy=deputy)
        .select_related("station__region", "campaign")
        .prefetch_related(Prefetch("duties", queryset=public_duties(), to_attr="on_duty"))
        .order_by("date", "starts", "id")
    )


def own_deputy(user):
    """The deputy record a deputy's account acts for (their phone pages); None for anyone else."""
    from renda.people.access import own_deputies

    return own_deputies(user).order_by("pk").first()


def own_absences(user):
    """The deputy's own standing absences; empty for anyone who is not a deputy."""
    return Absence.objects.filter(deputy_id__in=scope_for(user).deputy_ids)


def get_own_absence(user, pk) -> Absence:
    absence = own_absences(user).filter(pk=pk).select_related("deputy__electoral_region").first()
    if absence is None:
        raise Http404("no such absence")
    return absence


# --- attendance after a reception (who records it: renda/receptions/actions/attendance.py) ---------------------------


def may_record_attendance(user, reception: Reception) -> bool:
    """Congress staff of the station's region; for the station's own (roster, one-off) receptions also its keeper."""
    scope = scope_for(user)
    if scope.covers_path(reception.station.region.path):
        return True
    return reception.kind != ReceptionKind.CAMPAIGN and reception.station_id in scope.station_ids


def recordable_receptions(user):
    """Receptions whose attendance the user may record (the rule of `may_record_attendance`, as a query)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Reception.objects.all()
    q = Q(pk__in=[])
    if scope.staff_paths:
        q |= paths_q(scope.staff_paths, "station__region__path")
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids) & ~Q(kind=ReceptionKind.CAMPAIGN)
    return Reception.objects.filter(q)


def awaiting_attendance(user, today):
    """Held receptions up to today with a deputy whose attendance is not recorded yet, newest first."""
    from django.db.models import Count, Exists, OuterRef, Subquery

    waiting = Duty.objects.filter(reception=OuterRef("pk"), attendance=Attendance.EXPECTED)
    return (
        recordable_receptions(user)
        .filter(status=ReceptionStatus.SCHEDULED, date__lte=today)
        .filter(Exists(waiting))
        .annotate(waiting=Subquery(waiting.order_by().values("reception").annotate(n=Count("pk")).values("n")))
        .select_related("station__region", "campaign")
        .order_by("-date", "-starts", "-id")
    )
