"""Who sees which opinion, and in which role they act on it. Outside scope an opinion is missing (404)."""

from django.conf import settings
from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for
from renda.stations.models import Assignment

from .models import Opinion
from .workflow import Actor


def served_stations(user, scope=None) -> list[int]:
    """The stations the user's deputies serve, read once per request (kept on the user object beside its scope):
    the inbox asks for them for the scope, its parts, the "mine" filter and the bulk form. The role on one opinion
    (`roles_on`, which the actions re-check under a lock) asks the database afresh."""
    cached = getattr(user, "_renda_served_stations", None)
    if cached is None:
        scope = scope or scope_for(user)
        cached = list(Assignment.objects.filter(deputy_id__in=scope.deputy_ids).values_list("station_id", flat=True))
        user._renda_served_stations = cached
    return cached


def opinions_for(user):
    """Congress staff: their regions; keepers: their stations; deputies: the stations they serve and opinions
    addressed to them; unit staff: opinions forwarded to their unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Opinion.objects.all()
    q = Q(pk__in=[])
    if scope.staff_paths:
        q |= scope.region_q("region__path")
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids)
    if scope.deputy_ids:
        # The served stations as a list, not a subquery: OR-ed with a subquery the planner cannot use the station
        # index and scans every opinion (a deputy serves a handful of stations).
        q |= Q(station_id__in=served_stations(user, scope)) | Q(deputy_id__in=scope.deputy_ids)
    if scope.unit_ids:
        q |= Q(unit_id__in=scope.unit_ids)
    return Opinion.objects.filter(q)


def scope_parts(user) -> list:
    """The user's scope as the parts whose union it is, each one range of an index ordered by time (each station kept
    or served, each deputy's own, each unit, the staff's regions), as querysets — or [] when it is one part or more
    than INBOX_MERGE_PARTS. A list newest first over an OR of parts has no single ordered index (PostgreSQL walks
    `created` and filters: 50–150 ms at 10 M for a deputy), so `views.first_rows` reads each part's newest rows
    through its own index and merges them. Each part lies inside `opinions_for(user)` by construction; the caller
    adds the list's filters to each, not the scope's OR (whose estimate misleads the planner)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return []
    parts = [scope.region_q("region__path")] if scope.staff_paths else []
    stations = set(scope.station_ids)
    if scope.deputy_ids:
        stations.update(served_stations(user, scope))
    parts += [Q(station_id=pk) for pk in sorted(stations)]
    parts += [Q(deputy_id=pk) for pk in sorted(scope.deputy_ids)]
    parts += [Q(unit_id=pk) for pk in sorted(scope.unit_ids)]
    if not 1 < len(parts) <= settings.INBOX_MERGE_PARTS:
        return []
    return [Opinion.objects.filter(part) for part in parts]


def get_opinion_for_user(user, pk) -> Opinion:
    opinion = opinions_for(user).filter(pk=pk).select_related("region", "station", "deputy", "unit", "category").first()
    if opinion is None:
        raise Http404("no such opinion")
    return opinion


def roles_on(user, opinion: Opinion) -> set[str]:
    """The workflow roles `user` holds on `opinion` (empty: they may only look, or not even that)."""
    scope = scope_for(user)
    roles = set()
    if scope.is_superuser or scope.covers_path(opinion.region.path):
        roles.add(Actor.STAFF)
    if opinion.station_id and opinion.station_id in scope.station_ids:
        roles.add(Actor.KEEPER)
    if scope.deputy_ids and (
        opinion.deputy_id in scope.deputy_ids
        or (
            opinion.station_id
            and Assignment.objects.filter(deputy_id__in=scope.deputy_ids, station_id=opinion.station_id).exists()
        )
    ):
        roles.add(Actor.DEPUTY)
    if opinion.unit_id and opinion.unit_id in scope.unit_ids:
        roles.add(Actor.UNIT)
    return roles


def get_opinion_by_code(code: str) -> Opinion:
    """The constituent's view: by tracking code, which is the only secret they hold."""
    opinion = (
        Opinion.objects.filter(tracking_code=(code or "").strip().upper())
        .select_related("station", "deputy", "unit", "category", "merged_into")
        .first()
    )
    if opinion is None:
        raise Http404("no such opinion")
    return opinion
