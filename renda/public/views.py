"""Public phone pages: no account, reads only through renda/stations/public.py, same answer for missing and hidden."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from renda.core.geo import BadLocation, format_distance, parse_location
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate, query_without_page
from renda.projects.access import soliciting_round_for
from renda.public.navigation import navigation_links
from renda.receptions.access import public_upcoming, public_upcoming_for_deputy
from renda.regions.models import RegionKind
from renda.stations import public as access

PAGE_SIZE = 20
UPCOMING_DAYS = 14
LARGE_TEXT_COOKIE = "large_text"
LARGE_TEXT_MAX_AGE = 365 * 24 * 3600


def _location(request):
    """(point or None, whether the query string held an unusable location)."""
    try:
        return parse_location(request.GET), False
    except BadLocation:
        return None, True


def _label_distances(stations):
    for station in access.with_distances(stations):
        station.distance_label = format_distance(station.distance_km)
    return stations


def home(request):
    region = access.home_region()
    regions = access.child_regions(region) if region else access.top_regions()
    access.annotate_station_counts(regions + ([region] if region else []))
    context = {
        "region": region,
        "counties": [r for r in regions if r.kind != RegionKind.ZONE],
        "zones": [r for r in regions if r.kind == RegionKind.ZONE],
    }
    return render(request, "public/home.html", context)


def search(request):
    query = request.GET.get("q", "").strip()[:50]
    context = {"query": query, "results": access.search_stations(query) if query else []}
    return render_page_or_fragment(request, "public/search.html", context, "public/_search_results.html")


def region(request, code):
    region = access.get_public_region(code)
    point, bad_location = _location(request)
    stations = access.stations_in(region)
    if point:
        stations = access.order_by_distance(stations, point)
    page = paginate(request, stations, PAGE_SIZE)
    page.object_list = _label_distances(list(page.object_list))
    context = {
        "region": region,
        "crumbs": access.breadcrumbs(region),
        "children": access.annotate_station_counts(access.child_regions(region)),
        "page": page,
        "query": query_without_page(request),
        "point": point,
        "bad_location": bad_location,
    }
    return render(request, "public/region.html", context)


def nearest(request):
    point, bad_location = _location(request)
    stations = _label_distances(access.nearest_stations(point)) if point else []
    context = {"point": point, "bad_location": bad_location, "stations": stations}
    return render(request, "public/nearest.html", context)


def station(request, code):
    station = access.get_public_station(code)
    today = timezone.localdate()
    context = {
        "station": station,
        "crumbs": access.breadcrumbs(station.region) + [station.region],
        # Who receives here on which day: the station's published receptions of the next 14 days.
        "upcoming_receptions": public_upcoming(station, today, today + timedelta(days=UPCOMING_DAYS)),
        "navigation": navigation_links(station),
        # The buttons come first; a long list of deputies stays folded (open when it is short).
        "deputies_open": len(station.serving) <= settings.PUBLIC_DEPUTIES_OPEN_MAX,
        # 民生实事 solicitation: while a round above the station takes proposals, the page says so.
        "proposal_round": soliciting_round_for(station.region),
        # A members' studio (委员工作室) lists its CPPCC members on duty.
        "studio_members": access.studio_members(station),
    }
    return render(request, "public/station.html", context)


def deputy(request, code):
    deputy = access.get_public_deputy(code)
    today = timezone.localdate()
    context = {
        "deputy": deputy,
        # Where to meet this deputy: the published receptions they are on duty at in the next 14 days.
        "upcoming_receptions": public_upcoming_for_deputy(deputy, today, today + timedelta(days=UPCOMING_DAYS)),
    }
    return render(request, "public/deputy.html", context)


def member(request, code):
    return render(request, "public/member.html", {"member": access.get_public_member(code)})


def large_text(request):
    """适老化: larger type on every public page. A preference, not data: a cookie read by the base template (no script,
    so it works under the CSP and without JavaScript). `on=1` turns it on, anything else off; back to `next`."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(
            LARGE_TEXT_COOKIE,
            "1",
            max_age=LARGE_TEXT_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response
