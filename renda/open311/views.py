"""GeoReport v2 endpoints. Reads are public and show only public data; submissions need an API key.

A request's id is the opinion's public id (`Opinion.public_id`), not its tracking code, so listing can be open
(settings.OPEN311_PUBLIC_LIST, on by default). Ids handed out before public ids existed were tracking codes: those
still find their request, counted against the per-IP tracking limit like every look-up by code.

Every failure answers in the GeoReport error format (`[{"code": 400, "description": "…"}]`, or `<errors>` in XML),
never a 5xx: input is parsed defensively and each problem has its own 400/403/404.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from renda.audit.actions import client_ip
from renda.core.geo import Point, in_station_system
from renda.core.ratelimit import Limit
from renda.opinions import submission
from renda.opinions.limits import TRACK_PER_IP
from renda.opinions.models import PUBLIC_ID_LENGTH, Category, Event, Opinion
from renda.stations.public import nearest_stations

from . import georeport as gr
from .actions import find_key

DEFAULT_WINDOW = timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_IDS = 50
# A key belongs to an app that forwards many constituents' opinions: its own, higher limit, on top of the per-IP one.
SUBMIT_PER_KEY = Limit("open311-submit-key", "LIMIT_OPEN311_KEY_HOUR", 3600)


class ApiError(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def _endpoint(methods=("GET",)):
    """Wrap a view: method check, jurisdiction check, and ApiError → a GeoReport error document."""

    def decorate(view):
        @csrf_exempt
        @never_cache
        def wrapper(request, fmt, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise ApiError(405, _("Method not allowed."))
                _check_jurisdiction(request)
                return view(request, fmt, *args, **kwargs)
            except ApiError as exc:
                response = gr.error(fmt, exc.status, exc.description)
                if exc.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def _params(request):
    return request.POST if request.method == "POST" else request.GET


def _check_jurisdiction(request) -> None:
    given = _params(request).get("jurisdiction_id", "").strip()
    if given and given != gr.jurisdiction_id():
        raise ApiError(404, _("Unknown jurisdiction_id: this endpoint serves %(id)s.") % {"id": gr.jurisdiction_id()})


def _base_url(request) -> str:
    return settings.PUBLIC_BASE_URL + request.path.rsplit("/", 1)[0] + "/" if request else ""


def _category(code: str) -> Category:
    category = Category.objects.filter(is_active=True, pk=int(code)).first() if code.isdigit() else None
    if category is None:
        raise ApiError(404, _("Unknown service_code: %(code)s") % {"code": code[:40]})
    return category


# Discovery and services --------------------------------------------------------------------------------------------


@_endpoint()
def discovery(request, fmt):
    return gr.respond(fmt, "discovery", gr.discovery(_base_url(request)))


@_endpoint()
def services(request, fmt):
    return gr.respond(fmt, "services", [gr.service(c) for c in Category.objects.filter(is_active=True)])


@_endpoint()
def service_definition(request, fmt, code):
    return gr.respond(fmt, "service_definition", gr.service_definition(_category(code)))


# Requests ----------------------------------------------------------------------------------------------------------


@_endpoint(methods=("GET", "POST"))
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


def _requests_queryset():
    notes = (
        Event.objects.exclude(note="")
        .exclude(action__in=gr.NOTE_EXCLUDED_ACTIONS)
        .only("id", "opinion_id", "note", "created")
        .order_by("-created", "-id")
    )
    return (
        Opinion.objects.select_related("category", "unit", "station")
        .only(
            *(
                "id public_id status text place latitude longitude created updated due_at closed_at category_id "
                "unit_id station_id category__name unit__name station__address station__latitude station__longitude"
            ).split()
        )
        .prefetch_related(Prefetch("events", queryset=notes, to_attr="public_events"))
    )


def _ids(raw: str) -> list[str]:
    ids = [value.strip() for value in raw.split(",") if value.strip()]
    if len(ids) > MAX_IDS:
        raise ApiError(400, _("At most %(max)d service_request_id values at once.") % {"max": MAX_IDS})
    return ids


def _is_public_id(value: str) -> bool:
    return len(value) == PUBLIC_ID_LENGTH and value.isdigit()


def _by_ids(request, ids: list[str]):
    """Requests by public id; an older id (a tracking code, the constituent's secret) counts against the per-IP
    tracking limit, so codes cannot be guessed through here."""
    public = [value for value in ids if _is_public_id(value)]
    codes = [value.upper() for value in ids if not _is_public_id(value)]
    ip = client_ip(request) or "-"
    for _code in codes:
        if not TRACK_PER_IP.hit(ip):
            raise ApiError(429, _("Too many look-ups; wait a minute."))
    queryset = _requests_queryset()
    if public and codes:
        queryset = queryset.filter(Q(public_id__in=public) | Q(tracking_code__in=codes))
    elif codes:
        queryset = queryset.filter(tracking_code__in=codes)
    else:
        queryset = queryset.filter(public_id__in=public)
    return list(queryset.order_by("-created", "-id"))


def _date(params, name: str):
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))  # a "+" in a query string arrives as a space
    except ValueError:
        value = None
    if value is None:
        raise ApiError(400, _("%(name)s is not a W3C date-time, e.g. 2026-01-01T00:00:00Z.") % {"name": name})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _positive_int(params, name: str, default: int, maximum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ApiError(400, _("%(name)s must be a whole number from 1 to %(max)d.") % {"name": name, "max": maximum})
    return int(raw)


def _list(request, fmt):
    params = request.GET
    ids = _ids(params.get("service_request_id", ""))
    if ids:  # the spec: service_request_id overrides every other parameter
        opinions = _by_ids(request, ids)
        return gr.respond(fmt, "service_requests", [gr.request_doc(o) for o in opinions])
    if not settings.OPEN311_PUBLIC_LIST and find_key(params.get("api_key", "")) is None:
        # A deployment that keeps its list closed (OPEN311_PUBLIC_LIST=false) lists only for the key holders staff
        # registered; the documents show the same public fields either way.
        raise ApiError(403, _("Listing requests needs a valid api_key; look up your own by service_request_id."))
    start, end = _date(params, "start_date"), _date(params, "end_date")
    end = end or (start + DEFAULT_WINDOW if start else timezone.now())
    start = start or end - DEFAULT_WINDOW
    if start > end:
        raise ApiError(400, _("start_date is after end_date."))
    if end - start > DEFAULT_WINDOW:
        raise ApiError(400, _("start_date and end_date may not span more than 90 days."))
    queryset = _requests_queryset().filter(created__gte=start, created__lte=end)
    service_codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if service_codes:
        if not all(c.isdigit() for c in service_codes):
            raise ApiError(400, _("service_code must be a comma-separated list of service codes."))
        queryset = queryset.filter(category_id__in=[int(c) for c in service_codes])
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise ApiError(400, _("status must be open, closed, or both."))
    if len(statuses) == 1:
        queryset = queryset.filter(status__in=gr.states_for(statuses.pop()))
    page_size = _positive_int(params, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    page = _positive_int(params, "page", 1, 10**6)
    offset = (page - 1) * page_size
    opinions = list(queryset.order_by("-created", "-id")[offset : offset + page_size])
    return gr.respond(fmt, "service_requests", [gr.request_doc(o) for o in opinions])


@_endpoint()
def request_detail(request, fmt, code):
    opinions = _by_ids(request, [code])
    if not opinions:
        raise ApiError(404, _("Unknown service_request_id."))
    return gr.respond(fmt, "service_requests", [gr.request_doc(opinions[0])])


@_endpoint()
def token(request, fmt, token):
    """Requests are created synchronously (POST answers the service_request_id at once), so a token is a request
    id: the public id, or an older id (a tracking code)."""
    opinions = _by_ids(request, [token])
    if not opinions:
        raise ApiError(404, _("Unknown token."))
    return gr.respond(fmt, "service_requests", [{"service_request_id": opinions[0].public_id, "token": token}])


# Creating a request ------------------------------------------------------------------------------------------------


def _coordinate(params, name: str, bound: float):
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not -bound <= value <= bound:
        raise ApiError(400, _("%(name)s is not a valid WGS84 coordinate.") % {"name": name})
    return round(value, 6)


def _target(params, lat, lng) -> submission.SubmissionInput:
    """attribute[station] names the station (checked by the shared path); without it, the nearest to lat/long."""
    code = params.get(f"attribute[{gr.STATION_ATTRIBUTE}]", "").strip().upper()
    if code:
        return submission.SubmissionInput(station=code)
    if lat is None:
        raise ApiError(400, _("Without attribute[station], give lat and long so the nearest station can be chosen."))
    found = nearest_stations(in_station_system(Point(lat, lng)), limit=1)  # Open311 positions are WGS-84
    if not found:
        raise ApiError(400, _("No contact station with a known location; give attribute[station]."))
    return submission.SubmissionInput(target=submission.Target(station=found[0]))


def _form_errors(fields: dict) -> str:
    messages = []
    for field, errors in fields.items():
        name = {"text": "description", "category": "service_code"}.get(field, field)
        messages.extend(f"{name}: {message}" if field != "__all__" else str(message) for message in errors)
    return " ".join(messages)


def _full_name(first: str, last: str) -> str:
    """张 + 三 → 张三 (family name first, no space); Anna + Li → Anna Li."""
    if any(ord(char) > 0x2E7F for char in first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def _create(request, fmt):
    """Translate a GeoReport POST into the shared submission path (renda/opinions/submission.py) and back."""
    params = request.POST
    key = find_key(params.get("api_key", ""))
    if key is None:
        raise ApiError(403, _("A valid api_key is required to submit requests."))
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > submission.KEY_MAX:
        raise ApiError(400, _("Idempotency-Key may be at most %(max)d characters.") % {"max": submission.KEY_MAX})
    category = _category(params.get("service_code", "").strip())
    lat, lng = _coordinate(params, "lat", 90), _coordinate(params, "long", 180)
    address = params.get("address_string", "").strip()
    if (lat is None) != (lng is None):
        raise ApiError(400, _("Give both lat and long, or neither."))
    if lat is None and not address and not params.get("address_id", "").strip():
        raise ApiError(400, _("A location is required: lat and long, or address_string."))
    consent = params.get(f"attribute[{gr.CONSENT_ATTRIBUTE}]", "").strip().lower()
    if consent not in ("", "yes", "no"):
        raise ApiError(400, _("attribute[consent] must be yes or no."))
    name = _full_name(params.get("first_name", "").strip(), params.get("last_name", "").strip())
    data = _target(params, lat, lng)
    # The web form's rules (text length, phone format, consent needed for contact details) apply unchanged.
    data.category = category.pk
    data.text = params.get("description", "")
    data.place = address[:200]
    data.latitude, data.longitude = lat, lng
    data.name = name[:40] if consent == "yes" else ""
    data.phone = params.get("phone", "") if consent == "yes" else ""
    data.consent = consent == "yes"
    # A retry with the same Idempotency-Key answers the first request's opinion; keys are kept apart per API key.
    data.idempotency_key, data.key_scope = idempotency_key, f"open311:{key.pk}"
    data.ip = client_ip(request) or "-"
    data.limits = [(SUBMIT_PER_KEY, str(key.pk))]
    try:
        result = submission.submit(data)
    except submission.SubmissionError as exc:
        raise _submission_error(exc, params) from None
    opinion = result.opinion
    notice = _("Your opinion was sent to %(station)s. Keep the tracking code %(code)s.") % {
        "station": opinion.station.name,
        "code": opinion.tracking_code,
    }
    # The id is public; the tracking code (the constituent's key to follow and rate it) is told in the notice only.
    body = [{"service_request_id": opinion.public_id, "service_notice": notice, "account_id": None}]
    return gr.respond(fmt, "service_requests", body)


def _submission_error(exc: submission.SubmissionError, params) -> ApiError:
    if exc.code == "rate_limited":
        return ApiError(429, _("Too many submissions; try again later."))
    if exc.code == "not_found":
        code = params.get(f"attribute[{gr.STATION_ATTRIBUTE}]", "").strip().upper()
        return ApiError(
            400, _("attribute[station]: no active contact station has the code %(code)s.") % {"code": code[:20]}
        )
    if exc.code == "conflict":
        return ApiError(
            409, _("This Idempotency-Key was already used for a different request; use a new key for a new request.")
        )
    return ApiError(400, _form_errors(exc.fields))


def not_found(request, path=""):
    """Anything else under /open311/v2/ (a wrong format suffix too): a GeoReport 404, in JSON unless XML was asked."""
    fmt = "xml" if path.endswith(".xml") else "json"
    return gr.error(fmt, 404, _("Not found. Endpoints end in .json or .xml."))
