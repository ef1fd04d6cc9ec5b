"""The dashboards' figures: each function returns plain data for one chart (and the table under it).

Opinion figures read the summary tables (models.py), a few grouped queries over at most a few thousand rows each
whatever the number of opinions (docs/performance.md); receptions, stations and projects are small tables read
directly. Every function takes a region the caller has already checked (access.py).
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils.translation import gettext as _

from renda.core.geo import Point, convert
from renda.opinions.models import Category
from renda.opinions.stats import child_regions
from renda.opinions.workflow import DONE_STATES, Rating, State
from renda.projects.progress import board as project_board
from renda.receptions.models import Reception
from renda.receptions.workflow import ReceptionStatus
from renda.regions.models import Region
from renda.stations.models import Station

from . import shapes
from .models import OpenDue, OpinionRollup, StepMonth

# Days past due → bucket label, oldest last.
STATION_POINTS_SECONDS = 300
AGEING = [(1, 3), (4, 7), (8, 15), (16, 30), (31, None)]
TOP = 10


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the `count` months ending with today's, oldest first."""
    year, month = today.year, today.month
    out = []
    for _i in range(count):
        out.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _in(region: Region):
    """The summary rows of the region's subtree: its own roll-up row set (and a zone's managed towns')."""
    return OpinionRollup.objects.filter(path__in=region.subtree_prefixes())


def opinions_over_time(region: Region, today: datetime.date) -> dict:
    """Opinions submitted per month, one series per category and one per state (as they stand now)."""
    months = months_back(today, settings.DASHBOARD_MONTHS)
    rows = _in(region).filter(month__gte=months[0], month__lte=months[-1])
    by_category: dict[str, dict] = {}
    for row in rows.values("month", "category__name").annotate(n=Sum("n")).order_by():
        by_category.setdefault(row["category__name"], {})[row["month"]] = row["n"]
    by_state: dict[str, dict] = {}
    for row in rows.values("month", "status").annotate(n=Sum("n")).order_by():
        by_state.setdefault(row["status"], {})[row["month"]] = row["n"]
    categories = list(Category.objects.order_by("position", "name").values_list("name", flat=True))
    labels = [m.strftime("%Y-%m") for m in months]
    return {
        "months": labels,
        "categories": [
            {"name": name, "data": [by_category[name].get(m, 0) for m in months]}
            for name in categories
            if name in by_category
        ],
        "states": [
            {"name": str(state.label), "data": [by_state[state.value].get(m, 0) for m in months]}
            for state in State
            if state.value in by_state
        ],
    }


def rates_by_child(region: Region, today: datetime.date) -> dict:
    """Handling, on-time and satisfaction rates per child region, with the targets (settings) the parent sets."""
    children = child_regions(region)
    length = len(children[0].path) if children else len(region.path)
    figures = {
        child.path: {"total": 0, "handled": 0, "rated": 0, "satisfied": 0, "done": 0, "on_time": 0, "overdue": 0}
        for child in children
    }
    done_states = [str(s) for s in DONE_STATES]
    happy = [Rating.SATISFIED, Rating.BASICALLY]
    rows = (
        OpinionRollup.objects.filter(path__in=list(figures))
        .values("path")
        .annotate(
            total=Sum("n"),
            handled=Sum("n", filter=Q(status__in=done_states)),
            rated=Sum("n", filter=~Q(rating="")),
            satisfied=Sum("n", filter=Q(rating__in=happy)),
        )
        .order_by()
    )
    for row in rows:
        for key in ("total", "handled", "rated", "satisfied"):
            figures[row["path"]][key] += row[key] or 0
    for row in steps_by_child(region, length):
        if row["child"] in figures:
            figures[row["child"]]["done"] += row["done"]
            figures[row["child"]]["on_time"] += row["on_time"]
    overdue = (
        OpenDue.objects.filter(path__in=list(figures), due__lt=today).values("path").annotate(n=Sum("n")).order_by()
    )
    for row in overdue:
        figures[row["path"]]["overdue"] += row["n"]
    out = []
    for child in children:
        f = figures[child.path]
        out.append(
            {
                "code": child.code,
                "name": child.name,
                "total": f["total"],
                "handling": _rate(f["handled"], f["total"]),
                "on_time": _rate(f["on_time"], f["done"] + f["overdue"]),
                "satisfaction": _rate(f["satisfied"], f["rated"]),
            }
        )
    return {
        "rows": out,
        "targets": {
            "handling": settings.DASHBOARD_TARGET_HANDLING,
            "on_time": settings.DASHBOARD_TARGET_ON_TIME,
            "satisfaction": settings.DASHBOARD_TARGET_SATISFACTION,
        },
    }


def steps_by_child(region: Region, length: int, **months):
    """Steps completed and on time in the region's subtree, per child region (its path's first `length` characters);
    `months`: filters on the opinions' submission month (month__gte, month__lt)."""
    return (
        StepMonth.objects.filter(region.subtree_q("path"), **months)
        .annotate(child=Substr("path", 1, length))
        .values("child")
        .annotate(done=Sum("done"), on_time=Sum("on_time"))
        .order_by()
    )


def ageing_label(low: int, high: int | None) -> str:
    return _("%(low)s days and more") % {"low": low} if high is None else f"{low}–{high}"


def overdue_ageing(region: Region, today: datetime.date) -> list[dict]:
    """Open opinions past their due date, by how many days late (their current step's due day)."""
    counts = [0] * len(AGEING)
    rows = OpenDue.objects.filter(path__in=region.subtree_prefixes(), due__lt=today).values("due").annotate(n=Sum("n"))
    for row in rows.order_by():
        late = (today - row["due"]).days
        for i, (low, high) in enumerate(AGEING):
            if late >= low and (high is None or late <= high):
                counts[i] += row["n"]
                break
    return [{"name": ageing_label(low, high), "value": n} for (low, high), n in zip(AGEING, counts, strict=True)]


def top_topics(region: Region, today: datetime.date) -> list[dict]:
    """The categories with the most opinions over the dashboard's months, most first."""
    start = months_back(today, settings.DASHBOARD_MONTHS)[0]
    rows = (
        _in(region)
        .filter(month__gte=start)
        .values("category__name")
        .annotate(n=Sum("n"))
        .order_by("-n", "category__name")[:TOP]
    )
    return [{"name": row["category__name"], "value": row["n"]} for row in rows]


def region_map(region: Region, rates: dict) -> dict:
    """The children's shapes coloured by their opinions, stations as points (in the shapes' coordinate system)."""
    children = child_regions(region)
    collection, missing = shapes.child_shapes(children)
    totals = {row["code"]: row["total"] for row in rates["rows"]}
    values = [{"name": child.code, "label": child.name, "value": totals.get(child.code, 0)} for child in children]
    if not collection["features"]:
        # No child has a shape (a district's towns): the region's own outline, with its stations on it.
        collection, _none = shapes.child_shapes([region])
        values = [{"name": region.code, "label": region.name, "value": sum(totals.values())}]
    drill = bool(children) and any(f["properties"]["name"] != region.code for f in collection["features"])
    stations = station_points(region)
    return {
        "name": f"region-{region.code}",
        "geojson": collection,
        "values": values,
        "drill": drill,
        "missing": [child.name for child in missing],
        "stations": stations,
    }


def station_points(region: Region) -> list[dict]:
    """The region's active stations with a position, in the shapes' coordinate system. The conversion runs in Python
    for every station, so the list is cached for STATION_POINTS_SECONDS (a moved station shows within minutes)."""

    def build():
        points = []
        for station in (
            Station.objects.filter(region.subtree_q("region__path"), is_active=True, latitude__isnull=False)
            .exclude(longitude__isnull=True)
            .order_by("region__path", "name", "id")
            .values("name", "latitude", "longitude")
        ):
            point = convert(
                Point(float(station["latitude"]), float(station["longitude"])),
                settings.STATION_COORDINATES,
                shapes.COORDINATES,
            )
            points.append({"name": station["name"], "value": [round(point.lng, 6), round(point.lat, 6)]})
        return points

    key = f"dashboards:stations:{region.path}:{settings.STATION_COORDINATES}"
    return cache.get_or_set(key, build, STATION_POINTS_SECONDS)


def reception_progress(region: Region, today: datetime.date) -> dict:
    """This year's receptions at the region's stations per month: held, to come and cancelled."""
    start = datetime.date(today.year, 1, 1)
    rows = (
        Reception.objects.filter(
            region.subtree_q("station__region__path"), date__gte=start, date__lte=today.replace(month=12, day=31)
        )
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(
            held=Count("id", filter=Q(status=ReceptionStatus.SCHEDULED, date__lt=today)),
            coming=Count("id", filter=Q(status=ReceptionStatus.SCHEDULED, date__gte=today)),
            cancelled=Count("id", filter=Q(status=ReceptionStatus.CANCELLED)),
        )
        .order_by()
    )
    by_month = {row["m"].month: row for row in rows}
    months = list(range(1, 13))
    return {
        "months": [f"{today.year}-{m:02d}" for m in months],
        "series": [
            {"key": key, "name": name, "data": [by_month[m][key] if m in by_month else 0 for m in months]}
            for key, name in (("held", _("held")), ("coming", _("to come")), ("cancelled", _("cancelled")))
        ],
    }


def project_progress(round_) -> list[dict]:
    """The elected projects of a round with their weighted milestone progress (projects/progress.py)."""
    return [
        {"name": f"{project.number} {project.title}", "value": project.progress} for project in project_board(round_)
    ]


def board_figures(board) -> dict:
    """A reception day's live board (receptions/board.py) as chart data: districts on the map, bars per district."""
    rows = [
        {"code": d.path[-12:], "name": d.name, "expected": d.expected, "attended": d.attended, "rate": d.rate}
        for d in board.districts
    ]
    return {"rows": rows, "by_category": [{"name": n, "value": v} for n, v in board.by_category]}


def region_totals(region: Region, today: datetime.date) -> dict:
    """The big screen's figures: opinions, handled, handling and satisfaction rates, open and overdue now."""
    done_states = [str(s) for s in DONE_STATES]
    sums = _in(region).aggregate(
        total=Sum("n"),
        handled=Sum("n", filter=Q(status__in=done_states)),
        rated=Sum("n", filter=~Q(rating="")),
        satisfied=Sum("n", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
        this_month=Sum("n", filter=Q(month=today.replace(day=1))),
    )
    sums = {key: value or 0 for key, value in sums.items()}
    open_now = OpenDue.objects.filter(path__in=region.subtree_prefixes()).aggregate(
        open=Sum("n"), overdue=Sum("n", filter=Q(due__lt=today))
    )
    return {
        **sums,
        "handling": _rate(sums["handled"], sums["total"]),
        "satisfaction": _rate(sums["satisfied"], sums["rated"]),
        "open": open_now["open"] or 0,
        "overdue": open_now["overdue"] or 0,
    }
