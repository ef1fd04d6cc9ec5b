"""Dashboards for congress staff: charts of a region, a reception day's live board, a round's projects, the big screen.

Thin: access → charts.py → one template; every chart's data goes in a json_script block (CSP: no inline script) that
static/dashboards/charts.js draws, with a plain table of the same numbers under it.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from renda.accounts.decorators import congress_staff_required
from renda.accounts.region_access import visible_ancestors
from renda.opinions.models import Event
from renda.opinions.stats import child_regions
from renda.opinions.workflow import DONE_STATES
from renda.receptions.board import board_for
from renda.receptions.models import Reception
from renda.receptions.workflow import ReceptionStatus
from renda.stations.models import Station

from . import charts
from .access import get_campaign_for_user, get_region_for_user, get_round_for_user, home_region, links_for
from .refresh import refreshed_at

RECENT = 10


@congress_staff_required
def home(request):
    """The dashboard of the highest region the user is staff of."""
    return _region_page(request, home_region(request.user))


def _region_context(user, region):
    today = timezone.localdate()
    rates = charts.rates_by_child(region, today)
    return {
        "region": region,
        "today": today,
        "refreshed_at": refreshed_at(),
        "series": charts.opinions_over_time(region, today),
        "rates": rates,
        "ageing": charts.overdue_ageing(region, today),
        "topics": charts.top_topics(region, today),
        "map": charts.region_map(region, rates),
    }


@congress_staff_required
def region(request, code):
    return _region_page(request, get_region_for_user(request.user, code))


def _region_page(request, region):
    context = _region_context(request.user, region)
    context.update(
        ancestors=visible_ancestors(request.user, region),
        receptions=charts.reception_progress(region, context["today"]),
        links=links_for(request.user, region),
        has_children=context["map"]["drill"],
    )
    return render(request, "dashboards/region.html", context)


@congress_staff_required
def board(request, campaign_pk):
    campaign = get_campaign_for_user(request.user, campaign_pk)
    live = board_for(request.user, campaign)
    figures = charts.board_figures(live)
    children = child_regions(campaign.region)
    collection, _missing = charts.shapes.child_shapes(children)
    by_code = {row["code"]: row for row in figures["rows"]}
    board_map = {
        "name": f"board-{campaign.pk}",
        "geojson": collection,
        "values": [
            {"name": child.code, "label": child.name, "value": (by_code.get(child.code) or {}).get("rate")}
            for child in children
        ],
        "stations": [],
    }
    context = {"campaign": campaign, "board": live, "figures": figures, "map": board_map}
    return render(request, "dashboards/board.html", context)


@congress_staff_required
def round_progress(request, round_pk):
    round_ = get_round_for_user(request.user, round_pk)
    return render(request, "dashboards/round.html", {"round": round_, "projects": charts.project_progress(round_)})


@congress_staff_required
def screen(request, code):
    """The big screen (驾驶舱): figures, the map, today's receptions, recently handled items — no personal data."""
    region = get_region_for_user(request.user, code)
    context = _region_context(request.user, region)
    today = context["today"]
    context.update(
        totals=charts.region_totals(region, today),
        stations=Station.objects.filter(region.subtree_q("region__path"), is_active=True).count(),
        receptions_today=list(
            Reception.objects.filter(
                region.subtree_q("station__region__path"), date=today, status=ReceptionStatus.SCHEDULED
            )
            .select_related("station__region")
            .order_by("starts", "station__name", "id")[:20]
        ),
        recently_handled=list(
            Event.objects.filter(region.subtree_q("opinion__region__path"), to_state__in=[str(s) for s in DONE_STATES])
            .select_related("opinion__category", "opinion__region")
            .order_by("-id")[:RECENT]
        ),
        refresh_seconds=settings.DASHBOARD_SCREEN_REFRESH_SECONDS,
    )
    return render(request, "dashboards/screen.html", context)
