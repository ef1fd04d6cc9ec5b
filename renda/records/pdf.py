"""The annual (or term) performance report as a PDF: A4, the project's CJK font (renda/core/fonts.py), the
introduction, the figures with their points, and a bar chart of the year's items by month drawn with fpdf2's own
rectangles (no chart library: the project makes its PDFs with fpdf2, see renda/qrcodes/posters.py)."""

from collections import Counter

from django.utils.translation import gettext as _

from renda.core.fonts import font_path

from .compute import breakdown, person_filter
from .models import Line

BAR_AREA = (20, 60)  # left margin mm, chart height mm


def month_counts(person, first_year: int, year: int) -> list[tuple[str, int]]:
    rows = Line.objects.filter(year__gte=first_year, year__lte=year, **person_filter(person)).values_list(
        "date", flat=True
    )
    if first_year == year:
        counts = Counter(day.month for day in rows)
        return [(str(month), counts.get(month, 0)) for month in range(1, 13)]
    counts = Counter(day.year for day in rows)
    return [(str(y), counts.get(y, 0)) for y in range(first_year, year + 1)]


def _bar_chart(pdf, bars: list[tuple[str, int]], title: str) -> None:
    left, height = BAR_AREA
    width = pdf.w - 2 * left
    top = pdf.get_y() + 8
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    peak = max((value for _label, value in bars), default=0) or 1
    slot = width / max(len(bars), 1)
    pdf.set_draw_color(120, 120, 120)
    pdf.line(left, top + height, left + width, top + height)
    pdf.set_font("cjk", size=7)
    pdf.set_fill_color(178, 34, 34)
    for i, (label, value) in enumerate(bars):
        bar = height * value / peak
        x = left + i * slot + slot * 0.2
        if bar:
            pdf.rect(x, top + height - bar, slot * 0.6, bar, style="F")
        pdf.set_xy(x - 1, top + height - bar - 4)
        pdf.cell(slot * 0.6 + 2, 4, str(value), align="C")
        pdf.set_xy(x - 1, top + height + 1)
        pdf.cell(slot * 0.6 + 2, 4, label, align="C")
    pdf.set_xy(pdf.l_margin, top + height + 8)


def report_pdf(report) -> bytes:
    from fpdf import FPDF

    person = report.person
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("cjk", "", font_path())
    pdf.set_creator("renda")
    pdf.set_lang("zh-CN")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    years = str(report.year) if report.first_year == report.year else f"{report.first_year}–{report.year}"
    pdf.multi_cell(0, 9, f"{person.name} · {years} · {report.get_kind_display()}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    region = person.electoral_region if report.deputy_id else person.region
    pdf.multi_cell(0, 6, f"{region.name} · {_('Term')} {person.term}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if report.introduction:
        pdf.set_font("cjk", size=12)
        pdf.cell(0, 7, _("Introduction"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(0, 6, report.introduction, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 7, _("The year's figures"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    total = 0
    for year in range(report.first_year, report.year + 1):
        score, kinds, _disputes = breakdown(person, year)
        if report.first_year != report.year:
            pdf.cell(0, 6, str(year), new_x="LMARGIN", new_y="NEXT")
        for kind in kinds:
            pdf.cell(120, 6, kind.label, border="B")
            pdf.cell(25, 6, str(kind.count), border="B", align="R")
            pdf.cell(25, 6, f"{kind.points:g}", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
        if score is not None:
            total += score.total
            grade = score.get_grade_display() if score.grade else ""
            pdf.cell(120, 7, f"{_('Points')} {grade}")
            pdf.cell(50, 7, f"{score.total:g}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    title = _("Items by month") if report.first_year == report.year else _("Items by year")
    _bar_chart(pdf, month_counts(person, report.first_year, report.year), title)
    return bytes(pdf.output())
