"""Scoped reads of stations: congress staff see their regions' stations, keepers their own, deputies theirs."""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for

from .models import Assignment, Station


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


def can_edit_station(user, station: Station) -> bool:
    """Congress staff of the region, or the station's own keeper."""
    scope = scope_for(user)
    return scope.covers_path(station.region.path) or station.pk in scope.station_ids


def can_assign_deputies(user, station: Station) -> bool:
    """Who serves where is decided by congress staff of the station's region."""
    return scope_for(user).covers_path(station.region.path)
