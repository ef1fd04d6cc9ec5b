"""Scoped reads of stations: congress staff see their regions' stations, keepers their own, deputies theirs."""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for

from .models import Assignment, MemberAssignment, Station, StationPhoto


def stations_for(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Station.objects.all()
    q = Q(pk__in=scope.station_ids)
    if scope.staff_paths:
        q |= scope.region_q("region__path")
    if scope.deputy_ids:
        q |= Q(pk__in=Assignment.objects.filter(deputy_id__in=scope.deputy_ids).values("station_id"))
    return Station.objects.filter(q)


def get_station_for_user(user, pk) -> Station:
    station = stations_for(user).filter(pk=pk).select_related("region").first()
    if station is None:
        raise Http404("no such station")
    return station


def may_list_stations(user) -> bool:
    """Congress staff, station keepers and deputies have stations to look at; unit staff have none."""
    scope = scope_for(user)
    return bool(scope.is_congress_staff or scope.station_ids or scope.deputy_ids)


def can_edit_station(user, station: Station) -> bool:
    """Congress staff of the region, or the station's own keeper."""
    scope = scope_for(user)
    return scope.covers_path(station.region.path) or station.pk in scope.station_ids


def can_manage_station(user, station: Station) -> bool:
    """Name, kind, region and the station's existence are decided by congress staff of its region, not the keeper."""
    return scope_for(user).covers_path(station.region.path)


def can_assign_deputies(user, station: Station) -> bool:
    """Who serves where is decided by congress staff of the station's region."""
    return scope_for(user).covers_path(station.region.path)


def get_editable_station(user, pk) -> Station:
    """The station if the user may edit at least its profile; otherwise it is missing (404)."""
    station = get_station_for_user(user, pk)
    if not can_edit_station(user, station):
        raise Http404("no such station")
    return station


def get_managed_station(user, pk) -> Station:
    """The station if the user is congress staff of its region; a keeper or deputy finds the page missing (404)."""
    station = get_station_for_user(user, pk)
    if not can_manage_station(user, station):
        raise Http404("no such station")
    return station


def get_assignment_for_user(user, station: Station, pk) -> Assignment:
    assignment = station.assignments.filter(pk=pk).select_related("deputy").first()
    if assignment is None:
        raise Http404("no such assignment")
    return assignment


def can_assign_members(user, station: Station) -> bool:
    """Who is on duty at a members' studio: congress staff of its region, or the studio's own keeper."""
    scope = scope_for(user)
    return scope.covers_path(station.region.path) or station.pk in scope.station_ids


def get_member_assignment_for_user(user, station: Station, pk) -> MemberAssignment:
    assignment = station.member_assignments.filter(pk=pk).select_related("member").first()
    if assignment is None or not can_assign_members(user, station):
        raise Http404("no such studio member")
    return assignment


def get_photo_for_user(user, station: Station, pk) -> StationPhoto:
    photo = station.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404("no such photo")
    return photo


def can_place_station(user, region) -> bool:
    """A station may be put in a region only by congress staff whose scope covers that region."""
    return scope_for(user).covers_path(region.path)


def may_create_stations(user) -> bool:
    return scope_for(user).is_congress_staff


def deputy_assignments_panel(user, deputy) -> dict:
    """The staff deputy page's "stations served" (renda/people/panels.py): only the stations this user may see, even
    though the deputy may serve elsewhere too."""
    assignments = (
        Assignment.objects.filter(deputy=deputy, station__in=stations_for(user))
        .select_related("station__region")
        .order_by("station__name")
    )
    return {"assignments": assignments}
