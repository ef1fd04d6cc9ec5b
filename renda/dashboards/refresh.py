"""Keep the summary tables (models.py) up to date: `manage.py refresh_dashboards`, run every few minutes.

Idempotent and incremental. One transaction, under a row lock on `Freshness` (two runs never interleave):
1. opinions added since the last run, and opinions named by events added since then (every change of state or rating
   writes an event), mark their (region, month) keys dirty; each dirty key is recounted from the opinion table;
2. events added since then are the steps completed (the same definition as the statistics page, opinions/stats.py):
   added to `StepMonth` under their opinion's submission month — events are never changed, so each is counted
   exactly once;
3. open opinions by due day and submission month (`OpenDue`), and by status, escalation and due day for the upper
   regions (`OpenCount`, the staff home's), are rebuilt whole: the open share is small and its due dates move.
`full=True` rebuilds everything (after a region moved); so does a run that finds no earlier one (a new deployment, or
a migration that changed what the tables hold and reset `Freshness`).

Every table is keyed by the opinions' submission month, so a period of whole months reads the same figures as the
statistics page counting that period's opinions live (dashboards/statistics.py).
"""

import datetime

from django.db import connection, transaction
from django.db.models import BooleanField, Count, DateField, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Length, Substr, TruncDate, TruncMonth
from django.utils import timezone

from renda.opinions.models import Event, Opinion
from renda.opinions.stats import JUDGED_STEPS
from renda.opinions.workflow import OPEN_STATES, Action
from renda.regions.models import CODE_LENGTH, Region

from .models import Freshness, OpenCount, OpenDue, OpinionMonth, OpinionRollup, StepMonth

BATCH = 5000
# OpenCount holds the regions of the first three levels of paths (a province, its cities and their districts; a
# city-rooted deployment's towns): the scopes whose open opinions are too many to count per request.
OPEN_COUNT_LEVELS = 3


def _month(field: str):
    return TruncMonth(field, output_field=DateField(), tzinfo=timezone.get_current_timezone())


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _local_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def _count_opinions(opinions) -> list[OpinionMonth]:
    rows = (
        opinions.annotate(m=_month("created"))
        .values("region_id", "region__path", "m", "category_id", "status", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        OpinionMonth(
            region_id=row["region_id"],
            path=row["region__path"],
            month=row["m"],
            category_id=row["category_id"],
            status=row["status"],
            rating=row["rating"],
            n=row["n"],
        )
        for row in rows
    ]


def _recount_keys(keys: set[tuple[int, datetime.date]]) -> int:
    """Replace the rows of each dirty (region, month) by a fresh count of its opinions: one query per month."""
    by_month: dict[datetime.date, set] = {}
    for region_id, month in keys:
        by_month.setdefault(month, set()).add(region_id)
    written = 0
    for month, regions in by_month.items():
        OpinionMonth.objects.filter(month=month, region_id__in=regions).delete()
        opinions = Opinion.objects.filter(
            created__gte=_local_start(month), created__lt=_local_start(_next_month(month)), region_id__in=regions
        )
        rows = _count_opinions(opinions)
        OpinionMonth.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return written


def _roll_up(months=None, paths=None) -> int:
    """Recount `OpinionRollup` from `OpinionMonth`: for every prefix of a path (every region above and itself), the
    sum of the rows under it. Limited to `months` and the prefixes of `paths` when given (an incremental run)."""
    rows = OpinionMonth.objects.all()
    if months is not None:
        rows = rows.filter(month__in=months)
        OpinionRollup.objects.filter(month__in=months, path__in=_prefixes(paths)).delete()
    else:
        OpinionRollup.objects.all().delete()
    depth = max((len(p) for p in (paths or OpinionMonth.objects.values_list("path", flat=True).distinct())), default=0)
    written = 0
    for length in range(CODE_LENGTH, depth + 1, CODE_LENGTH):
        level = rows.annotate(prefix=Substr("path", 1, length), size=Length("path")).filter(size__gte=length)
        if paths is not None:
            level = level.filter(prefix__in={p[:length] for p in paths if len(p) >= length})
        sums = level.values("prefix", "month", "category_id", "status", "rating").annotate(total=Sum("n")).order_by()
        objects = [
            OpinionRollup(
                path=r["prefix"],
                month=r["month"],
                category_id=r["category_id"],
                status=r["status"],
                rating=r["rating"],
                n=r["total"],
            )
            for r in sums
        ]
        OpinionRollup.objects.bulk_create(objects, batch_size=BATCH)
        written += len(objects)
    return written


def _prefixes(paths) -> set[str]:
    return {path[:length] for path in paths for length in range(CODE_LENGTH, len(path) + 1, CODE_LENGTH)}


def _by_prefix(rows, path: str, keys: tuple[str, ...]) -> dict[tuple, int]:
    """Counts grouped by a region path and `keys`, summed for every region on the path (each region's sum covers its
    whole legal subtree): {(prefix, *key values): n}."""
    totals: dict[tuple, int] = {}
    for row in rows:
        values = tuple(row[key] for key in keys)
        for prefix in _prefixes([row[path]]):
            totals[(prefix, *values)] = totals.get((prefix, *values), 0) + row["n"]
    return totals


def _count_steps(events) -> list[dict]:
    step_due = (
        Event.objects.filter(
            opinion=OuterRef("opinion"), to_state=OuterRef("from_state"), id__lt=OuterRef("id"), due_at__isnull=False
        )
        .order_by("-id")
        .values("due_at")[:1]
    )
    return list(
        events.filter(from_state__in=JUDGED_STEPS)
        .exclude(action__in=[Action.NOTE, Action.SUPPORT])
        .annotate(step_due=Subquery(step_due), m=_month("opinion__created"))
        .values("opinion__region_id", "opinion__region__path", "m")
        .annotate(done=Count("id"), on_time=Count("id", filter=Q(created__lte=F("step_due"))))
        .order_by()
    )


def _add_steps(rows: list[dict]) -> None:
    for row in rows:
        key = {"region_id": row["opinion__region_id"], "month": row["m"]}
        added = {"done": F("done") + row["done"], "on_time": F("on_time") + row["on_time"]}
        updated = StepMonth.objects.filter(**key).update(**added)
        if not updated:
            StepMonth.objects.create(**key, path=row["opinion__region__path"], done=row["done"], on_time=row["on_time"])


def _rebuild_open_due() -> int:
    """Open opinions by due day and submission month for every region on their paths (a region's row counts its whole
    legal subtree)."""
    OpenDue.objects.all().delete()
    rows = (
        Opinion.objects.filter(status__in=[str(s) for s in OPEN_STATES], due_at__isnull=False)
        .annotate(day=TruncDate("due_at", tzinfo=timezone.get_current_timezone()), m=_month("created"))
        .values("region__path", "day", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals = _by_prefix(rows, "region__path", ("day", "m"))
    objects = [OpenDue(path=path, due=day, month=month, n=n) for (path, day, month), n in sorted(totals.items())]
    OpenDue.objects.bulk_create(objects, batch_size=BATCH)
    return len(objects)


def _rebuild_open_counts() -> int:
    """Open opinions by status, escalation and due day for every region of the first OPEN_COUNT_LEVELS levels on
    their paths (grouped in the database by the path's first levels, so the rows are few)."""
    OpenCount.objects.all().delete()
    rows = (
        Opinion.objects.filter(status__in=[str(s) for s in OPEN_STATES])
        .annotate(
            top=Substr("region__path", 1, OPEN_COUNT_LEVELS * CODE_LENGTH),
            day=TruncDate("due_at", tzinfo=timezone.get_current_timezone()),
            escalated=ExpressionWrapper(Q(escalated_at__isnull=False), output_field=BooleanField()),
        )
        .values("top", "status", "escalated", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals = _by_prefix(rows, "top", ("status", "escalated", "day"))
    objects = [
        OpenCount(path=path, status=status, escalated=escalated, due=day, n=n)
        for (path, status, escalated, day), n in totals.items()
    ]
    OpenCount.objects.bulk_create(objects, batch_size=BATCH)
    return len(objects)


def _analyze() -> None:
    """Fresh planner statistics for the rebuilt tables (PostgreSQL): with the empty tables' statistics the planner
    joins the 1.7 million rollup rows of 10 M opinions through the category index (120 ms a chart instead of 1)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (OpinionMonth, OpinionRollup, StepMonth, OpenDue, OpenCount):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def refresh(*, full: bool = False) -> dict:
    """Bring the summary tables up to date; returns what it did (for the command's output)."""
    with transaction.atomic():
        Freshness.objects.get_or_create(pk=1)
        state = Freshness.objects.select_for_update().get(pk=1)
        full = full or state.refreshed_at is None
        if full:
            OpinionMonth.objects.all().delete()
            OpinionRollup.objects.all().delete()
            StepMonth.objects.all().delete()
            state.last_opinion = state.last_event = 0
        top_opinion = Opinion.objects.aggregate(top=Max("id"))["top"] or 0
        top_event = Event.objects.aggregate(top=Max("id"))["top"] or 0
        new_events = Event.objects.filter(id__gt=state.last_event, id__lte=top_event)
        if full:
            rows = _count_opinions(Opinion.objects.all())
            OpinionMonth.objects.bulk_create(rows, batch_size=BATCH)
            keys, written = None, len(rows)
            _roll_up()
        else:
            # Two look-ups, not one OR: `id range OR pk IN (events' opinions)` makes PostgreSQL read every opinion
            # (a sequential scan: two minutes at 10 M); each half alone is a primary-key range or list.
            changed = set(new_events.values_list("opinion_id", flat=True).distinct())
            keys = set()
            for touched in (
                Opinion.objects.filter(id__gt=state.last_opinion, id__lte=top_opinion),
                Opinion.objects.filter(pk__in=changed),
            ):
                keys |= set(touched.annotate(m=_month("created")).values_list("region_id", "m").distinct().order_by())
            written = _recount_keys(keys)
            if keys:
                paths = set(Region.objects.filter(pk__in={r for r, _m in keys}).values_list("path", flat=True))
                _roll_up(months={m for _r, m in keys}, paths=paths)
        _add_steps(_count_steps(new_events))
        open_rows = _rebuild_open_due() + _rebuild_open_counts()
        state.last_opinion, state.last_event = top_opinion, top_event
        state.refreshed_at = timezone.now()
        state.save()
    if full:
        _analyze()
    return {"keys": "all" if keys is None else len(keys), "rows": written, "open_rows": open_rows}


def refreshed_at():
    state = Freshness.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    return state
