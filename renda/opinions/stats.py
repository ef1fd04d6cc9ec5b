"""Supervision figures for a region: counts by status, handling, on-time and satisfaction rates, per child region.

A fixed number of grouped queries whatever the number of opinions: one over opinions (status × rating × overdue,
grouped by child region) and one over the timeline (steps done, steps done on time, grouped by child region).

Definitions (also shown on the page):
- handling rate = opinions in a finished state (closed, finally closed, refused, merged, turned into a suggestion)
  / all opinions;
- on-time rate = steps completed by their due date / (steps completed + open steps already past their due date).
  A step is the wait in one state (triage, handling, unit reply, reply); it is completed by the event that leaves
  the state, and its due date is the one set by the event that entered it (an extension moves it);
- satisfaction rate = 满意 + 基本满意 / rated opinions.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.regions.models import Region, RegionKind

from .models import Event, Opinion
from .workflow import DONE_STATES, OPEN_STATES, STEP_BY_STATE, Action, Rating, State

HANDLED = DONE_STATES
# The rating wait is the constituent's, not the staff's: it is not a step the on-time rate judges.
JUDGED_STEPS = [str(state) for state in STEP_BY_STATE if state != State.CLOSED]


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    by_status: dict = field(default_factory=dict)
    total: int = 0
    handled: int = 0
    rated: int = 0
    satisfied: int = 0
    open_overdue: int = 0
    steps_done: int = 0
    steps_on_time: int = 0

    def add_opinions(self, status, rating, n, overdue):
        self.by_status[status] = self.by_status.get(status, 0) + n
        self.total += n
        self.handled += n if status in HANDLED else 0
        self.rated += n if rating else 0
        self.satisfied += n if rating in (Rating.SATISFIED, Rating.BASICALLY) else 0
        self.open_overdue += overdue

    @property
    def handling_rate(self):
        return _rate(self.handled, self.total)

    @property
    def on_time_rate(self):
        return _rate(self.steps_on_time, self.steps_done + self.open_overdue)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied, self.rated)

    @property
    def status_rows(self):
        return [(state.label, self.by_status.get(state.value, 0)) for state in State]


def whole_month_periods(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """The page's ready-made periods, (label, first day, last day): whole months — a current one to its last day, as
    nothing is submitted in the future — which the summary tables answer."""
    month = today.replace(day=1)
    next_month = (month + datetime.timedelta(days=31)).replace(day=1)
    last_month = (month - datetime.timedelta(days=1)).replace(day=1)
    return [
        (_("This month"), month, next_month - datetime.timedelta(days=1)),
        (_("Last month"), last_month, month - datetime.timedelta(days=1)),
        (_("This year"), today.replace(month=1, day=1), datetime.date(today.year, 12, 31)),
        (_("Last year"), datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
    ]


def child_regions(region: Region) -> list[Region]:
    """The rows of the per-region table: legal children, and for a zone the towns it manages."""
    q = Q(parent=region)
    if region.kind == RegionKind.ZONE:
        q |= Q(pk__in=region.zone_members.values("pk"))
    return list(Region.objects.filter(q).order_by("path"))


def region_figures(region: Region, date_from=None, date_to=None) -> tuple[Figures, list[tuple[Region, Figures]]]:
    children = child_regions(region)
    # Children of one region sit one level down (a zone's managed towns too), so one prefix length groups them.
    length = len(children[0].path) if children else len(region.path)
    by_path = {child.path: Figures() for child in children}
    total = Figures()
    now = timezone.now()
    open_states = [str(state) for state in OPEN_STATES]

    opinions = Opinion.objects.filter(region.subtree_q("region__path"))
    if date_from:
        opinions = opinions.filter(created__gte=date_from)
    if date_to:
        opinions = opinions.filter(created__lt=date_to)
    rows = (
        opinions.annotate(child=Substr("region__path", 1, length))
        .values("child", "status", "rating")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now, status__in=open_states)))
        .order_by()
    )
    for row in rows:
        total.add_opinions(row["status"], row["rating"], row["n"], row["overdue"])
        if row["child"] in by_path:
            by_path[row["child"]].add_opinions(row["status"], row["rating"], row["n"], row["overdue"])

    step_due = (
        Event.objects.filter(
            opinion=OuterRef("opinion"), to_state=OuterRef("from_state"), id__lt=OuterRef("id"), due_at__isnull=False
        )
        .order_by("-id")
        .values("due_at")[:1]
    )
    steps = (
        Event.objects.filter(opinion__in=opinions.values("pk"), from_state__in=JUDGED_STEPS)
        .exclude(action__in=[Action.NOTE, Action.SUPPORT])
        .annotate(step_due=Subquery(step_due), child=Substr("opinion__region__path", 1, length))
        .values("child")
        .annotate(done=Count("id"), on_time=Count("id", filter=Q(created__lte=F("step_due"))))
        .order_by()
    )
    add_steps(steps, total, by_path)
    return total, [(child, by_path[child.path]) for child in children]


def add_steps(rows, total: Figures, by_path: dict[str, Figures]) -> None:
    """Add steps counted per child region (rows of "child", "done", "on_time") to the total and to each child."""
    for row in rows:
        for figures in (total, by_path.get(row["child"])):
            if figures is not None:
                figures.steps_done += row["done"]
                figures.steps_on_time += row["on_time"]


# An app above (dashboards) keeps the same figures in summary tables and registers a reader at start-up:
# reader(region, date_from, date_to) -> (total, children, as of), or None when it cannot answer (not yet refreshed,
# or a period it does not hold: only whole months).
_summary_reader = None


def read_summary_with(reader) -> None:
    global _summary_reader
    _summary_reader = reader


# The same app registers a reader of open opinions by status, escalation and due day over a scope's region paths:
# reader(paths, above) -> ([{status, escalated, due, n}], as of) when the paths hold more than `above` open opinions,
# or None (fewer, or it cannot answer): the staff home then counts live.
_open_counts_reader = None


def read_open_counts_with(reader) -> None:
    global _open_counts_reader
    _open_counts_reader = reader


def summary_open_counts(paths: tuple[str, ...], above: int):
    """Open opinions under `paths` from the summary (rows, as of) if more than `above`, or None: no reader, fewer, or
    it cannot answer."""
    return _open_counts_reader(paths, above) if _open_counts_reader is not None else None


def figures(region: Region, date_from=None, date_to=None):
    """(total, children, as of): from the summary tables when a reader is registered and can answer — all time or
    whole months, as of its refresh — else counted live here (as of None)."""
    if _summary_reader is not None:
        answer = _summary_reader(region, date_from, date_to)
        if answer is not None:
            return answer
    total, children = region_figures(region, date_from=date_from, date_to=date_to)
    return total, children, None
