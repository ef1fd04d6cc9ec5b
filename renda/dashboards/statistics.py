"""The statistics page's figures (renda/opinions/stats.py) read from the summary tables: all time, or whole months.

Counted from the opinion and event tables, the page reads every opinion in the region (and the period): seconds at
10 M opinions (docs/performance.md). The summary tables hold the same figures per (region, submission month) as of
the last `refresh_dashboards`, so the page reads a few thousand rows instead — without dates, and for a period of
whole months (from the 1st of a month, to the last day of one: "this month", "this year"). Other periods are counted
live. Registered with opinions.stats at start-up (apps.py); answers None until a first refresh has run (a new
deployment, a test), so the page then counts live.

The same definitions as opinions/stats.py: opinions by status and rating from `OpinionRollup`; steps completed and
on time from `StepMonth` (every step of the region's opinions submitted in the period); open and overdue from
`OpenDue` (due before today, as of the refresh).
"""

import datetime

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from renda.opinions.stats import Figures, add_steps, child_regions
from renda.regions.models import Region

from .charts import steps_by_child
from .models import OpenDue, OpinionRollup
from .refresh import refreshed_at


def whole_month(moment: datetime.datetime | None) -> datetime.date | None:
    """The month a period bound starts (a date, the 1st), when the bound is local midnight of a 1st; else None."""
    local = timezone.localtime(moment)
    if local.day != 1 or local.time() != datetime.time():
        return None
    return local.date()


def summary_figures(region: Region, date_from=None, date_to=None):
    """(total, [(child, figures)], as of) for all time or for whole months [date_from, date_to) (aware datetimes, either
    may be None), or None when the page should count live: a period not of whole months, no refresh yet, or the
    summary switched off."""
    months = {}
    for name, bound in (("month__gte", date_from), ("month__lt", date_to)):
        if bound is not None:
            months[name] = whole_month(bound)
            if months[name] is None:
                return None
    as_of = refreshed_at() if settings.STATS_FROM_SUMMARY else None
    if as_of is None:
        return None
    children = child_regions(region)
    length = len(children[0].path) if children else len(region.path)
    total, by_path = Figures(), {child.path: Figures() for child in children}
    own = region.subtree_prefixes()
    rows = (
        OpinionRollup.objects.filter(path__in=[*own, *by_path], **months)
        .values("path", "status", "rating")
        .annotate(n=Sum("n"))
        .order_by()
    )
    # A row counts for the total when its path is one of the region's own (a zone's managed towns are), and for a
    # child when it is the child's: a zone's managed town is both.
    for row in rows:
        for figures in _targets(row["path"], own, total, by_path):
            figures.add_opinions(row["status"], row["rating"], row["n"], 0)
    today = timezone.localdate()
    overdue = (
        OpenDue.objects.filter(path__in=[*own, *by_path], due__lt=today, **months).values("path").annotate(n=Sum("n"))
    )
    for row in overdue.order_by():
        for figures in _targets(row["path"], own, total, by_path):
            figures.open_overdue += row["n"]
    add_steps(steps_by_child(region, length, **months), total, by_path)
    return total, [(child, by_path[child.path]) for child in children], as_of


def _targets(path: str, own: list[str], total: Figures, by_path: dict[str, Figures]) -> list[Figures]:
    return ([total] if path in own else []) + ([by_path[path]] if path in by_path else [])
