"""The public deputy page's performance section (public/deputy.html loads this library: a name resolved at render
time, so the public channel imports nothing of records)."""

from django import template
from django.db.models import Q
from django.utils import timezone

from ..kinds import ORDER, PUBLIC, label
from ..models import Figure, Report
from ..workflow import PUBLIC_REPORT_STATES

register = template.Library()


@register.inclusion_tag("records/_public_record.html")
def public_record(person):
    year = timezone.localdate().year
    where = Q(deputy=person) if hasattr(person, "electoral_region") else Q(member=person)
    reports = Report.objects.filter(where, status__in=PUBLIC_REPORT_STATES).order_by("-year", "kind", "id")
    # This year's public figures, or last year's early in a year with none yet: one query for both.
    rows = Figure.objects.filter(where, year__in=(year, year - 1), kind__in=PUBLIC, count__gt=0)
    by_year = {}
    for figure in rows:
        by_year.setdefault(figure.year, []).append(figure)
    if year not in by_year and year - 1 in by_year:
        year -= 1
    figures = sorted(by_year.get(year, []), key=lambda f: ORDER.get(f.kind, 999))
    return {"year": year, "figures": [(label(f.kind), f.count) for f in figures], "reports": list(reports)}
