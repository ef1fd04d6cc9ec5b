"""Who is responsible for an opinion at each step: the accounts that messages go to.

Everything is read from role grants, the same source as scoping (renda/accounts/scope.py), so whoever may act on an
opinion is whoever hears about it.
"""

from renda.accounts.models import Grant, Role, User
from renda.regions.models import ancestor_paths
from renda.stations.models import Assignment


def _active(queryset):
    return queryset.filter(is_active=True).distinct().order_by("pk")


def station_people(opinion) -> list[User]:
    """The keepers of the opinion's station, the deputies serving there, and the deputy it was addressed to."""
    deputy_ids = []
    if opinion.station_id:
        deputy_ids = list(Assignment.objects.filter(station_id=opinion.station_id).values_list("deputy_id", flat=True))
    if opinion.deputy_id:
        deputy_ids.append(opinion.deputy_id)
    grants = Grant.objects.filter(role=Role.DEPUTY, deputy_id__in=deputy_ids)
    if opinion.station_id:
        grants = grants | Grant.objects.filter(role=Role.STATION_KEEPER, station_id=opinion.station_id)
    return list(_active(User.objects.filter(grants__in=grants.values("pk"))))


def unit_staff(unit_id) -> list[User]:
    if unit_id is None:
        return []
    return list(_active(User.objects.filter(grants__role=Role.UNIT_STAFF, grants__unit_id=unit_id)))


def supervisors(region, *, include_self: bool, role: str = Role.CONGRESS_STAFF) -> tuple[object | None, list[User]]:
    """Congress staff (or the staff of `role`) of the nearest region up the LEGAL chain that has any, and that region.

    `include_self=False` is 督办: the staff one level up supervise (a town's opinion goes to its district; a town a
    zone manages still goes to its legal district). At the top, with nobody above, the region's own staff.
    """
    for paths in (ancestor_paths(region.path, include_self=include_self), [region.path]):
        grants = list(
            Grant.objects.filter(role=role, region__path__in=paths, user__is_active=True)
            .select_related("region", "user")
            .order_by("-region__depth", "user_id")
        )
        if grants:
            nearest = grants[0].region
            users = {g.user_id: g.user for g in grants if g.region_id == nearest.pk}
            return nearest, list(users.values())
    return None, []
