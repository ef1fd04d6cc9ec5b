"""The public deputy page's performance section (public/deputy.html loads this library: a name resolved at render
time, so the public channel imports nothing of records)."""

from django import template
from django.db.models import Q
from django.utils import timezone

from ..compute import public_figures
from ..models import Report
from ..workflow import PUBLIC_REPORT_STATES

register = template.Library()


@register.inclusion_tag("records/_public_record.html")
def public_record(person):
    year = timezone.localdate().year
    where = Q(deputy=person) if hasattr(person, "electoral_region") else Q(member=person)
    reports = Report.objects.filter(where, status__in=PUBLIC_REPORT_STATES).order_by("-year", "kind", "id")
    figures = public_figures(person, year)
    if not figures:
        year -= 1
        figures = public_figures(person, year)
    return {"year": year, "figures": figures, "reports": list(reports)}
