"""Open data files: public, read-only, cacheable. Thin views over popolo.build."""

import hashlib
import json

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from .popolo import build

KINDS = ("persons", "organizations", "memberships", "posts", "areas")
MAX_AGE = 600  # Rosters change a few times a year; ten minutes of staleness costs nobody anything.
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def _json_response(request, data) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="application/json; charset=utf-8"
    )
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"  # Open data: any site may read it.
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def index(request):
    files = {"popolo": request.build_absolute_uri(reverse("opendata:popolo"))}
    for kind in KINDS:
        files[kind] = request.build_absolute_uri(reverse("opendata:part", args=[kind]))
    response = JsonResponse({"format": "Popolo", "license": LICENSE, "files": files})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def popolo(request):
    return _json_response(request, build(request))


@require_safe
def part(request, kind):
    if kind not in KINDS:
        raise Http404("no such file")
    return _json_response(request, build(request)[kind])
