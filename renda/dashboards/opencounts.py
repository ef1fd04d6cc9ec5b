"""The staff home's open-opinion counts for a big scope, read from `OpenCount` (models.py) instead of counted live.

Counting a city's open opinions per request reads every one of them (hundreds of thousands at 10 M opinions: 150–300
ms, docs/performance.md); the summary holds them by status, escalation and due day for the upper regions, a few
hundred rows a region. Registered with opinions.stats at start-up (apps.py); backoffice/home.py decides when to use
it (`HOME_SUMMARY_ABOVE`).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from renda.regions.models import CODE_LENGTH

from .models import OpenCount
from .refresh import OPEN_COUNT_LEVELS, refreshed_at


def open_counts(paths: tuple[str, ...], above: int):
    """([{status, escalated, due, n}], as of) summed over the regions of `paths` (disjoint subtrees) when they hold
    more than `above` open opinions, or None when the page should count live: fewer, a path below the levels the
    summary holds (a town's staff, a zone's managed towns), no refresh yet, or none for HOME_SUMMARY_MAX_AGE_MINUTES
    (the periodic job stopped: a live count is slow, a stale one misleading)."""
    if not paths or any(not path or len(path) > OPEN_COUNT_LEVELS * CODE_LENGTH for path in paths):
        return None
    rows = OpenCount.objects.filter(path__in=paths).values("status", "escalated", "due").annotate(n=Sum("n"))
    rows = list(rows.order_by())
    if sum(row["n"] for row in rows) <= above:
        return None
    as_of = refreshed_at()
    if as_of is None or as_of < timezone.now() - timedelta(minutes=settings.HOME_SUMMARY_MAX_AGE_MINUTES):
        return None
    return rows, as_of
