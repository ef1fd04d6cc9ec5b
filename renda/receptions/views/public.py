"""The public reception schedule (/receptions/): what anyone may search, read through access.public_schedule."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.geo import BadLocation, format_distance, km_from_sq, parse_location
from renda.core.paging import paginate, query_without_page
from renda.regions.models import Region

from ..access import public_schedule, schedule_regions

PAGE_SIZE = 20


def _region(code: str):
    if not code:
        return None, False
    region = Region.objects.filter(code=code[:12]).prefetch_related("zone_members").first()
    return region, region is None


def _date(text: str):
    if not text:
        return None, False
    try:
        return date.fromisoformat(text[:10]), False
    except ValueError:
        return None, True


def schedule(request):
    errors = []
    q = request.GET.get("q", "").strip()[:50]
    region, bad_region = _region(request.GET.get("region", "").strip())
    day, bad_date = _date(request.GET.get("date", "").strip())
    try:
        point = parse_location(request.GET)
    except BadLocation:
        point = None
        errors.append(_("Your location could not be read; the schedule is shown by date."))
    if bad_region:
        errors.append(_("There is no region with this code."))
    if bad_date:
        errors.append(_("Give the date as YYYY-MM-DD."))
    receptions = public_schedule(start=timezone.localdate(), region=region, q=q, day=day, point=point)
    if bad_region:
        receptions = receptions.none()
    page = paginate(request, receptions, PAGE_SIZE)
    page.object_list = list(page.object_list)
    for reception in page.object_list:
        reception.distance_label = format_distance(km_from_sq(getattr(reception, "distance_sq", None)))
    params = request.GET.copy()
    for key in ("lat", "lng", "page"):
        params.pop(key, None)
    context = {
        "page": page,
        "query": query_without_page(request),
        "q": q,
        "region": region,
        "region_code": request.GET.get("region", "").strip()[:12],
        "regions": schedule_regions(),
        "day": day,
        "point": point,
        "errors": errors,
        "near_href": f"?{params.urlencode()}",
    }
    return render(request, "receptions/public_schedule.html", context)
