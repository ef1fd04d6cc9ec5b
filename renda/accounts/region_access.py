"""Scoped reads of regions. Outside the user's scope a region is missing (404), never forbidden.

Here rather than in regions: the tree sits below the grants that scope it (docs/architecture.md, "Layers").
"""

from django.http import Http404

from renda.regions.models import CODE_LENGTH, TOWN_KINDS, Region, RegionKind, ancestor_codes

from .scope import scope_for


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


def can_manage_zone_members(user, zone: Region) -> bool:
    """Which towns a zone manages widens or narrows what the zone's own staff see, so staff above the zone decide it
    (those whose scope covers the zone's legal parent), never the zone's staff themselves."""
    return zone.kind == RegionKind.ZONE and scope_for(user).covers_path(zone.path[:-CODE_LENGTH])


def visible_ancestors(user, region: Region) -> list[Region]:
    """The legal ancestors the user may open, root first: a zone's staff do not see the district above a town."""
    codes = ancestor_codes(region.path)
    if not codes:
        return []
    return list(regions_for(user).filter(code__in=codes).order_by("depth"))


def towns_for(user):
    """Towns, streets and townships in the user's scope: the choices for a zone's members."""
    return regions_for(user).filter(kind__in=TOWN_KINDS)
