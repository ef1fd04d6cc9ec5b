"""QR code images (public) and station posters (staff). Thin: access function → builder → response."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from renda.accounts.decorators import congress_staff_required, staff_required
from renda.accounts.region_access import get_region_for_user
from renda.exports.jobs import start_export
from renda.stations.access import get_station_for_user, stations_for
from renda.stations.models import Station
from renda.stations.public import public_deputies, public_stations

from . import batches, codes, posters

# A day: the image of a code never changes, but a deactivated station's code should stop being served soon.
QR_CACHE = cache_control(public=True, max_age=86400)
MAX_POSTERS = 500  # pages in one region's PDF: a few MB and a few seconds; larger regions print town by town

PNG, SVG = "image/png", "image/svg+xml"


def _public_url(kind: str, code: str) -> str:
    """The code's URL if the station or deputy is public (active); otherwise 404 like the page itself, so an unknown
    code and an inactive one look alike."""
    found = public_stations() if kind == "station" else public_deputies()
    if not found.filter(public_code=code).exists():
        raise Http404(f"no such {kind}")
    return codes.public_url(kind, code)


def _image(kind: str, code: str, fmt: str) -> HttpResponse:
    url = _public_url(kind, code)
    if fmt == "png":
        return HttpResponse(codes.png(url), content_type=PNG)
    return HttpResponse(codes.svg(url), content_type=SVG)


@require_safe
@QR_CACHE
def station_qr(request, code, fmt):
    return _image("station", code, fmt)


@require_safe
@QR_CACHE
def deputy_qr(request, code, fmt):
    return _image("deputy", code, fmt)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
@staff_required
def station_poster(request, pk):
    station = get_station_for_user(request.user, pk)
    if not station.is_active:
        return _back(request, "stations:detail", pk, _("An inactive station has no poster: its code leads nowhere."))
    station = posters.with_serving(Station.objects.filter(pk=station.pk)).get()
    return _pdf(posters.poster_pdf([station]), f"{station.name}.pdf")


@require_safe
@congress_staff_required
def region_posters(request, code):
    region = get_region_for_user(request.user, code)
    stations = stations_for(request.user).filter(region.subtree_q("region__path"), is_active=True)
    count = stations.count()
    if not count:
        return _back(request, "regions:detail", code, _("There is no active station in this region."))
    if count > MAX_POSTERS:
        message = _(
            "This region has %(count)d stations, more than %(max)d posters in one file. "
            "Download the posters of each district or town below it."
        ) % {"count": count, "max": MAX_POSTERS}
        return _back(request, "regions:detail", code, message)
    if count > settings.EXPORT_SYNC_MAX_PAGES:
        # A long batch is made in the background with a progress bar (renda/exports, builder in batches.py).
        title = _("Station posters of %(region)s") % {"region": region.name}
        job = start_export(request.user, batches.POSTERS, title, {"region": region.code}, f"{region.name}.pdf")
        return redirect("exports:detail", pk=job.pk)
    return _pdf(posters.poster_pdf(batches.region_stations(stations)), f"{region.name}.pdf")


def _back(request, view, key, message):
    messages.error(request, message)
    return redirect(view, key)
