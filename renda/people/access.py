"""Scoped reads of deputies, members and units: the only way views and exports get them."""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for

from .models import Deputy, Member, Unit


def assignments():
    """stations.Assignment (who serves where) through Deputy's reverse relation: people sits below stations."""
    return Deputy._meta.get_field("assignments").related_model.objects


def deputies_for(user):
    """Deputies elected in the user's regions, serving at the user's stations, or the user's own record."""
    return deputies_in_scope(scope_for(user))


def deputies_in_scope(scope):
    """`deputies_for` for a Scope already at hand (background jobs run with the scope of the job's creator)."""
    if scope.is_superuser:
        return Deputy.objects.all()
    q = Q(pk__in=scope.deputy_ids)
    if scope.staff_paths:
        q |= scope.region_q("electoral_region__path")
        q |= Q(pk__in=assignments().filter(scope.region_q("station__region__path")).values("deputy_id"))
    if scope.station_ids:
        q |= Q(pk__in=assignments().filter(station_id__in=scope.station_ids).values("deputy_id"))
    return Deputy.objects.filter(q)


def own_deputies(user):
    """The deputy records the user's account acts for (a deputy role's grants): their own pages, not a scope."""
    return Deputy.objects.filter(pk__in=scope_for(user).deputy_ids)


def get_deputy_for_user(user, pk) -> Deputy:
    deputy = deputies_for(user).filter(pk=pk).select_related("electoral_region").first()
    if deputy is None:
        raise Http404("no such deputy")
    return deputy


def can_edit_deputy(user, deputy: Deputy) -> bool:
    """Only congress staff of the electoral region edit a deputy's record."""
    return scope_for(user).covers_path(deputy.electoral_region.path)


def members_for(user):
    scope = scope_for(user)
    return Member.objects.filter(scope.region_q("region__path"))


def get_member_for_user(user, pk) -> Member:
    member = members_for(user).filter(pk=pk).select_related("region").first()
    if member is None:
        raise Http404("no such member")
    return member


def can_edit_member(user, member: Member) -> bool:
    return scope_for(user).covers_path(member.region.path)


def units_for(user):
    """Units in the user's regions, or the user's own unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Unit.objects.all()
    q = Q(pk__in=scope.unit_ids)
    if scope.staff_paths:
        q |= scope.region_q("region__path")
    return Unit.objects.filter(q)


def get_unit_for_user(user, pk) -> Unit:
    unit = units_for(user).filter(pk=pk).select_related("region").first()
    if unit is None:
        raise Http404("no such unit")
    return unit


def can_edit_unit(user, unit: Unit) -> bool:
    scope = scope_for(user)
    return scope.covers_path(unit.region.path) or unit.pk in scope.unit_ids


# Who reaches the people pages at all. Anyone else finds them missing (404), like every staff page.


def may_list_deputies(user) -> bool:
    """Congress staff, station keepers (their station's deputies) and deputies (their own record)."""
    scope = scope_for(user)
    return bool(scope.is_congress_staff or scope.station_ids or scope.deputy_ids)


def may_list_units(user) -> bool:
    """Congress staff, and unit staff (their own unit)."""
    scope = scope_for(user)
    return bool(scope.is_congress_staff or scope.unit_ids)


def can_manage_unit(user, unit: Unit) -> bool:
    """Renaming, moving or deactivating a unit is for congress staff of its region; unit staff edit contacts only."""
    return scope_for(user).covers_path(unit.region.path)


def can_use_region(user, region) -> bool:
    """A region may be given to a person or unit only by congress staff whose scope covers it."""
    return scope_for(user).covers_path(region.path)
