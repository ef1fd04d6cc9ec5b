"""Scoped reads of regions. Outside the user's scope a region is missing (404), never forbidden."""

from django.http import Http404

from renda.accounts.scope import scope_for

from .models import Region


def regions_for(user):
    """Regions where the user is congress staff (or system admin): their subtrees, zones' towns included."""
    scope = scope_for(user)
    return Region.objects.filter(scope.region_q("path", paths=scope.staff_paths + scope.admin_paths))


def get_region_for_user(user, code: str) -> Region:
    region = regions_for(user).filter(code=code).first()
    if region is None:
        raise Http404("no such region")
    return region


def can_edit_region(user, region: Region) -> bool:
    return scope_for(user).covers_path(region.path)
