"""The rules of the opinion workflow that depend on who acts and on other rows — one function each.

The web forms offer exactly these choices, the bulk form and the JSON API go through the same forms, and
`actions.perform` checks them again under the row lock, so a caller that skips the form is refused just the same.
The states come from the transition table in `workflow.py`.
"""

from django.db.models import Q

from renda.accounts.scope import scope_for
from renda.people.access import units_for
from renda.people.models import Deputy, Unit
from renda.regions.models import ancestor_paths
from renda.stations.models import Station

from .access import opinions_for, served_stations
from .workflow import MERGE_TARGET_STATES


def _units_at_or_above(paths) -> Q:
    return Q(region__path__in={above for path in paths for above in ancestor_paths(path, include_self=True)})


def forward_units(user, opinion):
    """The units `user` may forward `opinion` to: active units in the user's own scope (their regions, or their own
    unit), and those of the opinion's region and the regions above it — a keeper or a deputy forwards to the
    town's or the district's departments."""
    own = units_for(user).values("pk")
    q = Q(pk__in=own) | _units_at_or_above([opinion.region.path])
    return Unit.objects.filter(q, is_active=True).order_by("name", "id")


def may_forward_to(user, opinion, unit) -> bool:
    return unit is not None and forward_units(user, opinion).filter(pk=unit.pk).exists()


def bulk_forward_units(user):
    """The units the bulk form offers: every unit that `forward_units` allows for at least one opinion in the user's
    inbox (their scope's units, and the units at or above the regions their stations and deputies' opinions are
    in). Each opinion is then checked on its own by `actions.perform`."""
    scope = scope_for(user)
    own = units_for(user).values("pk")
    station_ids = set(scope.station_ids)
    if scope.deputy_ids:
        station_ids |= set(served_stations(user, scope))
    paths = set(Station.objects.filter(pk__in=station_ids).values_list("region__path", flat=True))
    paths |= set(Deputy.objects.filter(pk__in=scope.deputy_ids).values_list("electoral_region__path", flat=True))
    paths |= set(scope.staff_paths)
    return Unit.objects.filter(Q(pk__in=own) | _units_at_or_above(paths), is_active=True).order_by("name", "id")


def merge_targets(user, opinion):
    """The opinions `opinion` may be merged into: another opinion the user sees that can still take supporters (a
    merge answers the merged submitter with the target's answer, as "mine too" does)."""
    return opinions_for(user).exclude(pk=opinion.pk).filter(status__in=[str(state) for state in MERGE_TARGET_STATES])
