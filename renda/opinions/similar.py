""" "Mine too": open opinions like the one being typed, at the same station or in the same town.

Bounded work whatever the table size: an indexed pre-filter (a few of the text's bigrams, ORed, through the search
index) inside the place, at most CANDIDATES newest rows read, then ranked in Python by shared bigrams.
"""

from django.db.models import Q

from renda.regions.models import CODE_LENGTH, TOWN_KINDS, VILLAGE_KINDS, path_range_q

from . import search
from .models import Opinion
from .workflow import SUPPORTABLE_STATES, State

MIN_CHARS = 4
LIMIT = 5
PREFILTER_TOKENS = 8
CANDIDATES = 200
# support() refuses these (the transition table says which states take a supporter).
NOT_SUPPORTABLE = sorted(set(State.values) - SUPPORTABLE_STATES)


def _town_q(region) -> Q:
    """The town (镇/街道) around `region`: a village's parent, a town itself; anything else only itself."""
    if region.kind in VILLAGE_KINDS and len(region.path) > CODE_LENGTH:
        return path_range_q(region.path[:-CODE_LENGTH], "region__path")
    if region.kind in TOWN_KINDS:
        return path_range_q(region.path, "region__path")
    return Q(region_id=region.pk)


def place_q(*, station=None, deputy=None) -> Q:
    """Where duplicates are looked for: the station (or the deputy's own opinions) and the surrounding town."""
    if station is not None:
        return Q(station_id=station.pk) | _town_q(station.region)
    return Q(deputy_id=deputy.pk) | _town_q(deputy.electoral_region)


def _sample(items: list[str], n: int) -> list[str]:
    """Up to n items spread over the whole list (the start and the end of a text both count)."""
    if len(items) <= n:
        return items
    step = (len(items) - 1) / (n - 1)
    return [items[round(i * step)] for i in range(n)]


def similar_open(text: str, *, station=None, deputy=None, limit: int = LIMIT) -> list[Opinion]:
    """Up to `limit` supportable opinions sharing the most bigrams with `text`, best first (newest on a tie)."""
    text = (text or "").strip()
    if len(text) < MIN_CHARS:
        return []
    wanted = list(dict.fromkeys(search.tokens(text)))
    if not wanted:
        return []
    prefilter = Q(pk__in=[])
    for token in _sample(wanted, PREFILTER_TOKENS):
        prefilter |= search.matching_q(token)
    candidates = (
        Opinion.objects.filter(place_q(station=station, deputy=deputy))
        .filter(prefilter)
        .exclude(status__in=NOT_SUPPORTABLE)
        .only("id", "text", "status", "created", "search_text")
        .order_by("-created", "-id")[:CANDIDATES]
    )
    wanted_set = set(wanted)
    scored = []
    for opinion in candidates:
        score = len(wanted_set.intersection(opinion.search_text.split()))
        if score:
            scored.append((score, opinion))
    # Candidates arrive newest first and sort() is stable, so equal scores stay newest first.
    scored.sort(key=lambda pair: -pair[0])
    return [opinion for _score, opinion in scored[:limit]]
