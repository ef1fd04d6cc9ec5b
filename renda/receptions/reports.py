"""Figures of a reception day (统一接待日) per region and per station, and the two roster reports.

The campaign report reads a fixed number of grouped queries whatever the size of the day: the receptions (one row
per station), duties by station × attendance, visitors by station, opinions by station × category × status × rating.
Region rows are sums of the station rows, grouped by the prefix of the station's region path (as in
renda/opinions/stats.py), so drilling down from the city to a district to a town costs the same.

Definitions (also shown on the page):
- expected = deputies planned at the region's held (not cancelled) receptions; attended = recorded as attended, or
  checked in and not (yet) recorded otherwise; absent = recorded absent; participation rate = attended / expected;
- visitors = the sum of the visitor counts recorded at the receptions;
- opinions = opinions taken on a visitor's behalf at the receptions, with the handling and satisfaction rates of
  renda/opinions/stats.py as they progress through the opinion workflow.

Everything is limited to the receptions the user may see (access.campaign_receptions): a 姑苏区 user reading a city
day sees 姑苏区's stations only, and region rows only where they see a reception.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from renda.core.excel import percent
from renda.opinions.models import Category
from renda.opinions.stats import Figures as OpinionFigures
from renda.opinions.stats import _rate, child_regions
from renda.people.access import deputies_for
from renda.regions.models import Region, RegionKind
from renda.stations.access import stations_for
from renda.stations.models import Assignment

from . import access
from .models import Campaign, Duty, Reception, ReceptionOpinion, Visit
from .workflow import Attendance, ReceptionStatus

# A check-in counts as attendance until staff record otherwise (attendance.record_attendance).
ATTENDED_Q = Q(attendance=Attendance.ATTENDED) | Q(attendance=Attendance.EXPECTED, checked_in_at__isnull=False)


@dataclass
class Figures:
    receptions: int = 0
    cancelled: int = 0
    expected: int = 0
    attended: int = 0
    absent: int = 0
    visitors: int = 0
    opinions: OpinionFigures = field(default_factory=OpinionFigures)
    # category id → OpinionFigures of the opinions in that category
    by_category: dict = field(default_factory=dict)

    @property
    def not_recorded(self) -> int:
        return self.expected - self.attended - self.absent

    @property
    def participation_rate(self):
        return _rate(self.attended, self.expected)

    @property
    def open_opinions(self) -> int:
        return self.opinions.total - self.opinions.handled

    def add(self, other: "Figures") -> None:
        for name in ("receptions", "cancelled", "expected", "attended", "absent", "visitors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        _merge(self.opinions, other.opinions)
        for category, figures in other.by_category.items():
            _merge(self.by_category.setdefault(category, OpinionFigures()), figures)


def _merge(mine: OpinionFigures, theirs: OpinionFigures) -> None:
    for status, n in theirs.by_status.items():
        mine.by_status[status] = mine.by_status.get(status, 0) + n
    mine.total += theirs.total
    mine.handled += theirs.handled
    mine.rated += theirs.rated
    mine.satisfied += theirs.satisfied


@dataclass
class CategoryRow:
    name: str
    figures: OpinionFigures

    @property
    def open(self) -> int:
        return self.figures.total - self.figures.handled


@dataclass
class CampaignReport:
    campaign: Campaign
    region: Region
    total: Figures
    children: list  # [(Region, Figures)], only regions where the user sees a reception
    direct: Figures | None  # stations registered at the region itself (not in a child region)
    stations: list  # [(Station, Figures, Reception)]: a day has one reception per station
    categories: list  # [CategoryRow] with at least one opinion
    category_names: list  # every category with an opinion anywhere in the report, in category order


def report_region(user, campaign: Campaign, code: str | None) -> Region:
    """The region the report is drawn for: the day's own, or one below it where the user sees a reception (else 404)."""
    if not code or code == campaign.region.code:
        return campaign.region
    region = Region.objects.filter(code=code).first()
    if region is None or not campaign.region.contains_path(region.path):
        raise Http404("no such region in this reception day")
    visible = access.campaign_receptions(user, campaign).filter(region.subtree_q("station__region__path"))
    if not visible.exists():
        raise Http404("no reception visible in this region")
    return region


def campaign_report(user, campaign: Campaign, region: Region) -> CampaignReport:
    visible = access.campaign_receptions(user, campaign).filter(region.subtree_q("station__region__path"))
    receptions = list(
        visible.select_related("station__region").order_by("station__region__path", "station__name", "station_id")
    )
    # The figures' queries take the receptions as a subquery, not a list of ids: a province's day has 20,000.
    ids = visible.values("pk")
    by_station = {}
    stations = {}
    station_receptions = {}
    for reception in receptions:
        figures = by_station.setdefault(reception.station_id, Figures())
        stations[reception.station_id] = reception.station
        station_receptions[reception.station_id] = reception
        if reception.status == ReceptionStatus.CANCELLED:
            figures.cancelled += 1
        else:
            figures.receptions += 1

    if receptions:
        _add_duties(by_station, ids)
        _add_visitors(by_station, ids)
        _add_opinions(by_station, ids)

    children = child_regions(region)
    length = len(children[0].path) if children else len(region.path)
    by_child = {child.path: Figures() for child in children}
    # A development zone's row counts the towns it manages too, as its scope does (Region.subtree_prefixes); those
    # towns count under their legal district as well, so the rows may add up to more than the total.
    zones = [
        (by_child[child.path], child.subtree_prefixes()[1:]) for child in children if child.kind == RegionKind.ZONE
    ]
    direct = Figures()
    has_direct = False
    total = Figures()
    for station_id, figures in by_station.items():
        path = stations[station_id].region.path
        total.add(figures)
        targets = []
        target = by_child.get(path[:length]) if len(path) >= length else None
        if target is None:
            # A zone's managed town sits under its legal parent: find the member whose subtree holds the station.
            target = next((by_child[p] for p in by_child if path.startswith(p)), None)
        if target is not None:
            targets.append(target)
        for zone_figures, managed in zones:
            if zone_figures is not target and any(path.startswith(prefix) for prefix in managed):
                targets.append(zone_figures)
        if not targets:
            direct.add(figures)
            has_direct = True
        for target in targets:
            target.add(figures)
    seen_children = {path for path in by_child if by_child[path].receptions or by_child[path].cancelled}

    names = {category.pk: category.name for category in Category.objects.order_by("position", "id")}
    used = [pk for pk in names if pk in total.by_category]
    category_rows = [CategoryRow(names[pk], total.by_category[pk]) for pk in used]
    return CampaignReport(
        campaign=campaign,
        region=region,
        total=total,
        children=[(child, by_child[child.path]) for child in children if child.path in seen_children],
        direct=direct if has_direct else None,
        stations=[
            (stations[station_id], by_station[station_id], station_receptions[station_id]) for station_id in by_station
        ],
        categories=category_rows,
        category_names=[(pk, names[pk]) for pk in used],
    )


def _add_duties(by_station, ids):
    rows = (
        Duty.objects.filter(reception__in=ids, reception__status=ReceptionStatus.SCHEDULED)
        .values("reception__station_id")
        .annotate(
            n=Count("id"),
            attended=Count("id", filter=ATTENDED_Q),
            absent=Count("id", filter=Q(attendance=Attendance.ABSENT)),
        )
        .order_by()
    )
    for row in rows:
        figures = by_station[row["reception__station_id"]]
        figures.expected += row["n"]
        figures.attended += row["attended"]
        figures.absent += row["absent"]


def _add_visitors(by_station, ids):
    rows = Visit.objects.filter(reception__in=ids).values("reception__station_id").annotate(n=Sum("count")).order_by()
    for row in rows:
        by_station[row["reception__station_id"]].visitors += row["n"] or 0


def _add_opinions(by_station, ids):
    rows = (
        ReceptionOpinion.objects.filter(reception__in=ids)
        .values("reception__station_id", "opinion__category_id", "opinion__status", "opinion__rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        figures = by_station[row["reception__station_id"]]
        figures.opinions.add_opinions(row["opinion__status"], row["opinion__rating"], row["n"], 0)
        category = figures.by_category.setdefault(row["opinion__category_id"], OpinionFigures())
        category.add_opinions(row["opinion__status"], row["opinion__rating"], row["n"], 0)


# Roster reports --------------------------------------------------------------------------------------------------


def idle_stations(user, weeks: int, today: date):
    """Active stations in the user's scope with no held (scheduled, not cancelled) reception in the last `weeks`.

    NOT EXISTS over the (station, date) index; the last held and the next scheduled reception come as subqueries, so
    the page's count query stays a plain count.
    """
    since = today - timedelta(weeks=weeks)
    held = Reception.objects.filter(station=OuterRef("pk"), status=ReceptionStatus.SCHEDULED)
    recent = held.filter(date__gte=since, date__lt=today)
    last = held.filter(date__lt=today).order_by("-date").values("date")[:1]
    upcoming = held.filter(date__gte=today).order_by("date").values("date")[:1]
    return (
        stations_for(user)
        .filter(is_active=True)
        .filter(~Exists(recent))
        .annotate(last_held=Subquery(last), next_scheduled=Subquery(upcoming))
        .select_related("region")
        .order_by("region__path", "name", "id")
    )


def deputies_not_on_duty(user, today: date):
    """Active deputies in the user's scope with no attended duty this calendar year (the norm: at least once a year).

    `upcoming` counts their scheduled duties from today on; `last_attended` is their last attended duty in any year.
    """
    year_start = date(today.year, 1, 1)
    attended = Duty.objects.filter(deputy=OuterRef("pk")).filter(ATTENDED_Q)
    this_year = attended.filter(reception__date__gte=year_start, reception__date__lte=today)
    last = (
        attended.filter(reception__date__lte=today)
        .order_by()
        .values("deputy")
        .annotate(last=Max("reception__date"))
        .values("last")
    )
    upcoming = (
        Duty.objects.filter(
            deputy=OuterRef("pk"),
            attendance=Attendance.EXPECTED,
            reception__date__gte=today,
            reception__status=ReceptionStatus.SCHEDULED,
        )
        .order_by()
        .values("deputy")
        .annotate(n=Count("id"), first=Min("reception__date"))
    )
    return (
        deputies_for(user)
        .filter(is_active=True)
        .filter(~Exists(this_year))
        .annotate(
            last_attended=Subquery(last),
            upcoming=Subquery(upcoming.values("n")),
            next_duty=Subquery(upcoming.values("first")),
        )
        .select_related("electoral_region")
        .order_by("electoral_region__path", "name", "id")
    )


def served_stations(user, deputies) -> dict[int, list[str]]:
    """Names of the stations each deputy serves, among the stations the user may see: one query.

    `deputies` is a page of deputies (a list) or a queryset of their ids (an export).
    """
    rows = (
        Assignment.objects.filter(deputy__in=deputies, station__in=stations_for(user))
        .order_by("station__name")
        .values_list("deputy_id", "station__name")
    )
    served: dict[int, list[str]] = {}
    for deputy_id, name in rows:
        served.setdefault(deputy_id, []).append(name)
    return served


def idle_weeks(value) -> tuple[int, bool]:
    """?weeks= as a number of weeks (1–104); (default, False) when missing or not a usable number."""
    default = settings.RECEPTION_IDLE_WEEKS
    if value in (None, ""):
        return default, True
    try:
        weeks = int(value)
    except (TypeError, ValueError):
        return default, False
    if not 1 <= weeks <= 104:
        return default, False
    return weeks, True


# Exports: the same columns in the Excel file and the PDF --------------------------------------------------------


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate}%"


def report_headers(report: CampaignReport, *, rates_as_percent: bool = False) -> list:
    """The column titles; with `rates_as_percent` (Excel) the two rate columns are declared as percentages."""
    rate = percent if rates_as_percent else str
    return [
        _("Level"),
        _("Name"),
        _("Region"),
        _("Receptions held"),
        _("Deputies expected"),
        _("Attended"),
        _("Absent"),
        _("Not recorded"),
        rate(_("Participation rate")),
        _("Visitors"),
        _("Opinions"),
        _("Handled"),
        _("Open"),
        _("Rated"),
        _("Satisfied"),
        rate(_("Satisfaction rate")),
        *[name for _pk, name in report.category_names],
    ]


def _fraction(rate) -> float | None:
    return None if rate is None else round(rate / 100, 4)


def _figure_cells(report: CampaignReport, figures: Figures, *, rates_as_text: bool) -> list:
    participation, satisfaction = figures.participation_rate, figures.opinions.satisfaction_rate
    if rates_as_text:
        participation, satisfaction = _percent(participation), _percent(satisfaction)
    else:  # Excel: the fraction, in a column declared as a percentage (report_headers)
        participation, satisfaction = _fraction(participation), _fraction(satisfaction)
    return [
        figures.receptions,
        figures.expected,
        figures.attended,
        figures.absent,
        figures.not_recorded,
        participation,
        figures.visitors,
        figures.opinions.total,
        figures.opinions.handled,
        figures.open_opinions,
        figures.opinions.rated,
        figures.opinions.satisfied,
        satisfaction,
        *[figures.by_category[pk].total if pk in figures.by_category else 0 for pk, _name in report.category_names],
    ]


def report_rows(report: CampaignReport, *, rates_as_text: bool = False):
    """Total, then one row per child region, then one per station (rates as fractions for Excel, text for PDF)."""
    yield [_("Total"), report.region.name, "", *_figure_cells(report, report.total, rates_as_text=rates_as_text)]
    for child, figures in report.children:
        cells = _figure_cells(report, figures, rates_as_text=rates_as_text)
        yield [_("Region"), child.name, report.region.name, *cells]
    if report.direct is not None:
        cells = _figure_cells(report, report.direct, rates_as_text=rates_as_text)
        yield [_("Region"), _("%(region)s itself") % {"region": report.region.name}, report.region.name, *cells]
    for station, figures, _reception in report.stations:
        cells = _figure_cells(report, figures, rates_as_text=rates_as_text)
        yield [_("Station"), station.name, station.region.name, *cells]


PDF_STATION_ROWS = 2000


def report_pdf(report: CampaignReport) -> bytes:
    """An A4 landscape PDF of the report, in the CJK font of the station posters."""
    from renda.core.pdf import document, issuing_office

    # Office, date and "page N of M" in every page's footer (renda/core/pdf.py).
    pdf = document(office=issuing_office(report.region.name), orientation="L")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    campaign = report.campaign
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 9, f"{campaign.title} · {report.region.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    when = f"{campaign.date:%Y-%m-%d} {campaign.starts:%H:%M}–{campaign.ends:%H:%M}"
    lines = [when]
    if campaign.theme:
        lines.append(_("Theme: %(theme)s") % {"theme": campaign.theme})
    total = report.total
    lines.append(
        _(
            "Deputies expected %(expected)d, attended %(attended)d, absent %(absent)d, participation rate %(rate)s; "
            "visitors %(visitors)d; opinions %(opinions)d, handled %(handled)d, satisfaction rate %(satisfaction)s."
        )
        % {
            "expected": total.expected,
            "attended": total.attended,
            "absent": total.absent,
            "rate": _percent(total.participation_rate),
            "visitors": total.visitors,
            "opinions": total.opinions.total,
            "handled": total.opinions.handled,
            "satisfaction": _percent(total.opinions.satisfaction_rate),
        }
    )
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    # The category columns would not fit a page across: the PDF keeps the fixed columns, the Excel file has all.
    fixed = 16
    pdf.set_font("cjk", size=7)
    # A province's day has 20,000 stations: the PDF (for reading and printing) stops after PDF_STATION_ROWS of them
    # and says so; the Excel file lists every one.
    summary_rows = 1 + len(report.children) + (report.direct is not None)
    shown = itertools.islice(report_rows(report, rates_as_text=True), summary_rows + PDF_STATION_ROWS)
    _grid(
        pdf,
        (34, 20, *([14] * (fixed - 3))),
        [str(header) for header in report_headers(report)[1:fixed]],
        ([str(cell) for cell in row[1:fixed]] for row in shown),
        text_columns=2,
    )
    if len(report.stations) > PDF_STATION_ROWS:
        pdf.set_font("cjk", size=9)
        pdf.multi_cell(
            0,
            6,
            _("%(shown)d of %(total)d stations are listed here; the Excel file lists all of them.")
            % {"shown": PDF_STATION_ROWS, "total": len(report.stations)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if report.categories:
        pdf.ln(4)
        pdf.set_font("cjk", size=10)
        pdf.cell(0, 7, _("Opinions by category"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=8)
        rows = (
            [
                row.name,
                str(row.figures.total),
                str(row.figures.handled),
                str(row.open),
                _percent(row.figures.satisfaction_rate),
            ]
            for row in report.categories
        )
        headers = [_("Category"), _("Opinions"), _("Handled"), _("Open"), _("Satisfaction rate")]
        _grid(pdf, (40, 20, 20, 20, 25), headers, rows, text_columns=1)
    return bytes(pdf.output())


def _grid(pdf, widths, headers, rows, *, text_columns: int, line: float = 5) -> None:
    """A bordered table drawn cell by cell, the header repeated on every page.

    fpdf2's table() lays out every cell as a paragraph: for a city's 1,249 stations that took seconds. Here a body cell
    is one line; only the first `text_columns` (names) are measured and shortened to fit, figures always fit.
    """
    bottom = pdf.h - pdf.b_margin
    pad = 2 * pdf.c_margin

    def header():
        heights = [
            len(pdf.multi_cell(w, line, text, dry_run=True, output="LINES"))
            for w, text in zip(widths, headers, strict=True)
        ]
        height = max(heights) * line
        if pdf.get_y() + height + line > bottom:
            pdf.add_page()
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_fill_color(240, 240, 240)
        for width, text in zip(widths, headers, strict=True):
            pdf.rect(x, y, width, height, style="DF")
            pdf.set_xy(x, y)
            pdf.multi_cell(width, line, text)
            x += width
        pdf.set_xy(pdf.l_margin, y + height)

    def fit(text, width):
        if pdf.get_string_width(text) <= width - pad:
            return text
        while text and pdf.get_string_width(text + "…") > width - pad:
            text = text[:-1]
        return text + "…"

    header()
    for row in rows:
        if pdf.get_y() + line > bottom:
            pdf.add_page()
            header()
        for index, (width, text) in enumerate(zip(widths, row, strict=True)):
            pdf.cell(width, line, fit(text, width) if index < text_columns else text, border=1)
        pdf.ln(line)
