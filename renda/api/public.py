"""Public endpoints: no account, the same reads and the same submission rules as the public web pages.

Reads go through renda.stations.public only; a submission goes through the web form's own path
(renda.opinions.submission: idempotency, the per-IP limit, target, the OpinionForm's rules, the action). Photos are
not accepted by the API (JSON only): a constituent who wants to add photos uses the web form.
"""

from datetime import date as date_type
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from renda.audit.actions import client_ip
from renda.core.geo import Point, in_station_system, km_from_sq
from renda.opinions import submission
from renda.opinions.limits import TRACK_PER_IP
from renda.opinions.models import Category, Opinion
from renda.opinions.public_views import PUBLIC_STATUS, timeline
from renda.opinions.workflow import Action
from renda.receptions.access import public_schedule
from renda.stations import public as access

from .errors import ApiError, Error

router = Router(tags=["public"])


# Schemas ---------------------------------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = None

    @staticmethod
    def from_region(region) -> dict:
        return {
            "code": region.code,
            "name": region.name,
            "kind": region.kind,
            "parent": region.parent.code if region.parent_id else None,
        }


class StationOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    region_name: str
    address: str
    phone: str = Field("", description="the station's public desk phone (never a person's own number)")
    latitude: float | None
    longitude: float | None
    distance_km: float | None = None


class DeputyBrief(Schema):
    code: str
    name: str
    level: str
    is_head: bool = False


class StationDetail(StationOut):
    opening_hours: str
    reception_hours: str
    theme: str
    description: str
    deputies: list[DeputyBrief]


class StationPage(Schema):
    items: list[StationOut]
    next_offset: int | None


class ServedStation(Schema):
    code: str
    name: str
    is_head: bool


class DeputyOut(Schema):
    code: str
    name: str
    level: str
    term: int
    occupation: str
    work_unit: str
    delegation: str
    biography: str
    electoral_region: str
    stations: list[ServedStation]


class ReceptionOut(Schema):
    date: date_type
    starts: str = Field(description="HH:MM, Beijing time")
    ends: str = Field(description="HH:MM, Beijing time")
    kind: str = Field(description="roster (regular duty), one_off, or campaign (unified reception day)")
    campaign: str | None = Field(None, description="title of the unified reception day")
    status: str = Field(description="scheduled or cancelled")
    cancel_reason: str
    changed: bool = Field(description="changed after it was published")
    station: StationOut
    deputies: list[DeputyBrief]


class ReceptionPage(Schema):
    items: list[ReceptionOut]
    next_offset: int | None


class CategoryOut(Schema):
    id: int
    name: str


class OpinionIn(Schema):
    station: str | None = Field(None, description="public code of the station (give a station or a deputy)")
    deputy: str | None = Field(None, description="public code of the deputy")
    category: int
    text: str
    place: str = ""
    name: str = ""
    phone: str = ""
    consent: bool = False
    client_token: str | None = Field(None, description="idempotency key; the Idempotency-Key header wins")


class SubmissionOut(Schema):
    tracking_code: str
    status: str
    created: bool
    tracking_url: str


class PublicStep(Schema):
    time: datetime
    action: str
    sentence: str
    actor: str
    note: str


class PublicOpinion(Schema):
    tracking_code: str
    status: str
    status_text: str
    category: str
    station: str | None
    deputy: str | None
    submitted: datetime
    rating: str
    supporters: int
    timeline: list[PublicStep]


# Helpers -----------------------------------------------------------------------------------------------------------


def _ip(request) -> str:
    return client_ip(request) or "-"


def _float(value):
    return float(value) if value is not None else None


def _station(station) -> dict:
    return {
        "code": station.public_code,
        "name": station.name,
        "kind": station.kind,
        "region": station.region.code,
        "region_name": station.region.name,
        "address": station.address,
        "phone": station.phone,
        "latitude": _float(station.latitude),
        "longitude": _float(station.longitude),
        "distance_km": getattr(station, "distance_km", None),
    }


# Regions, stations, deputies, categories ------------------------------------------------------------------------


@router.get("/regions", response={200: list[RegionOut], 404: Error}, summary="Top regions, or the children of one")
def regions(request, parent: str = Query("", max_length=12, description="code of the parent region")):
    if parent:
        children = access.child_regions(access.get_public_region(parent))
    else:
        children = access.top_regions()
    # child_regions lists a zone's managed towns; their legal parent is named by code, fetched with the rows.
    return [RegionOut.from_region(region) for region in _with_parents(children)]


def _with_parents(regions):
    from renda.regions.models import Region

    parent_ids = {region.parent_id for region in regions if region.parent_id}
    parents = {region.pk: region for region in Region.objects.filter(pk__in=parent_ids)}
    for region in regions:
        if region.parent_id:
            region.parent = parents[region.parent_id]
    return regions


@router.get("/regions/{code}", response={200: RegionOut, 404: Error}, summary="One region")
def region(request, code: str):
    found = access.get_public_region(code)
    return RegionOut.from_region(_with_parents([found])[0])


@router.get("/stations", response={200: StationPage, 400: Error, 404: Error}, summary="Stations")
def stations(
    request,
    region: str = Query("", max_length=12, description="only stations in this region's subtree"),
    q: str = Query("", max_length=settings.SEARCH_MAX_LENGTH, description="text in the name or address"),
    lat: float | None = Query(None, ge=-90, le=90),
    lng: float | None = Query(None, ge=-180, le=180),
    offset: int = Query(0, ge=0, le=100000),
    limit: int = Query(20, ge=1, le=100),
):
    if (lat is None) != (lng is None):
        raise ApiError(400, "bad_location", _("Give both lat and lng, or neither."))
    rows = access.stations_in(access.get_public_region(region)) if region else access.public_stations()
    rows = rows.select_related("region")
    if q.strip():
        rows = rows.filter(Q(name__icontains=q.strip()) | Q(address__icontains=q.strip()))
    if lat is not None:
        rows = access.order_by_distance(rows, in_station_system(Point(lat, lng)))
    elif not region:
        rows = rows.order_by("region__path", "name", "id")
    page = list(rows[offset : offset + limit + 1])
    more = len(page) > limit
    page = access.with_distances(page[:limit]) if lat is not None else page[:limit]
    return {"items": [_station(s) for s in page], "next_offset": offset + limit if more else None}


@router.get("/stations/{code}", response={200: StationDetail, 404: Error}, summary="One station and its deputies")
def station(request, code: str):
    found = access.get_public_station(code)
    data = _station(found)
    data.update(
        opening_hours=found.opening_hours,
        reception_hours=found.reception_hours,
        theme=found.theme,
        description=found.description,
        deputies=[
            {"code": a.deputy.public_code, "name": a.deputy.name, "level": a.deputy.level, "is_head": a.is_head}
            for a in found.serving
        ],
    )
    return data


@router.get("/deputies/{code}", response={200: DeputyOut, 404: Error}, summary="A deputy's public profile")
def deputy(request, code: str):
    found = access.get_public_deputy(code)
    return {
        "code": found.public_code,
        "name": found.name,
        "level": found.level,
        "term": found.term,
        "occupation": found.occupation,
        "work_unit": found.work_unit,
        "delegation": found.delegation,
        "biography": found.biography,
        "electoral_region": found.electoral_region.code,
        "stations": [
            {"code": a.station.public_code, "name": a.station.name, "is_head": a.is_head} for a in found.served
        ],
    }


@router.get(
    "/receptions",
    response={200: ReceptionPage, 400: Error, 404: Error},
    summary="Published reception schedule: regular duty and unified reception days, from today on",
)
def receptions(
    request,
    region: str = Query("", max_length=12, description="only receptions at stations in this region's subtree"),
    q: str = Query("", max_length=settings.SEARCH_MAX_LENGTH, description="text in the station's or a deputy's name"),
    date: date_type | None = Query(None, description="only this date (YYYY-MM-DD)"),  # noqa: B008 (ninja)
    lat: float | None = Query(None, ge=-90, le=90),
    lng: float | None = Query(None, ge=-180, le=180),
    offset: int = Query(0, ge=0, le=100000),
    limit: int = Query(20, ge=1, le=100),
):
    if (lat is None) != (lng is None):
        raise ApiError(400, "bad_location", _("Give both lat and lng, or neither."))
    where = access.get_public_region(region) if region else None
    point = in_station_system(Point(lat, lng)) if lat is not None else None
    rows = public_schedule(start=timezone.localdate(), region=where, q=q.replace("\x00", ""), day=date, point=point)
    page = list(rows[offset : offset + limit + 1])
    more = len(page) > limit
    return {"items": [_reception(r) for r in page[:limit]], "next_offset": offset + limit if more else None}


def _reception(reception) -> dict:
    station = reception.station
    station.distance_km = km_from_sq(getattr(reception, "distance_sq", None))
    return {
        "date": reception.date,
        "starts": f"{reception.starts:%H:%M}",
        "ends": f"{reception.ends:%H:%M}",
        "kind": reception.kind,
        "campaign": reception.campaign.title if reception.campaign_id else None,
        "status": reception.status,
        "cancel_reason": reception.cancel_reason,
        "changed": reception.changed_at is not None,
        "station": _station(station),
        "deputies": [
            {"code": d.deputy.public_code, "name": d.deputy.name, "level": d.deputy.level} for d in reception.on_duty
        ],
    }


@router.get("/categories", response=list[CategoryOut], summary="Opinion categories")
def categories(request):
    return list(Category.objects.filter(is_active=True).order_by("position", "id").values("id", "name"))


# Opinions --------------------------------------------------------------------------------------------------------


def _submission(opinion: Opinion, created: bool) -> dict:
    return {
        "tracking_code": opinion.tracking_code,
        "status": opinion.status,
        "created": created,
        "tracking_url": reverse("api:opinion", args=[opinion.tracking_code]),
    }


@router.post(
    "/opinions",
    response={200: SubmissionOut, 201: SubmissionOut, 404: Error, 409: Error, 422: Error, 429: Error},
    summary="Submit an opinion (idempotent by Idempotency-Key or client_token)",
)
def submit_opinion(
    request, payload: OpinionIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200)
):
    data = submission.SubmissionInput(
        station=payload.station or "",
        deputy=payload.deputy or "",
        category=payload.category,
        text=payload.text,
        place=payload.place,
        name=payload.name,
        phone=payload.phone,
        consent=payload.consent,
        idempotency_key=idempotency_key or payload.client_token or "",
        ip=_ip(request),
    )
    try:
        result = submission.submit(data)
    except submission.SubmissionError as exc:
        raise _api_error(exc) from None
    return Status(201 if result.created else 200, _submission(result.opinion, result.created))


def _api_error(exc: submission.SubmissionError) -> ApiError:
    if exc.code == "rate_limited":
        return ApiError(429, "rate_limited", _("Too many submissions from this address; please try again later."))
    if exc.code == "not_found":
        return ApiError(404, "not_found", _("No such station.") if exc.field == "station" else _("No such deputy."))
    if exc.code == "conflict":
        return ApiError(
            409,
            "idempotency_conflict",
            _("This Idempotency-Key was already used for a different opinion; use a new key for a new opinion."),
        )
    if exc.form is None:  # neither or both of station and deputy
        return ApiError(422, "validation_error", _("Give either a station or a deputy."), exc.fields)
    return ApiError(422, "validation_error", _("Some fields are missing or invalid."), exc.fields)


@router.get(
    "/opinions/{tracking_code}",
    response={200: PublicOpinion, 404: Error, 429: Error},
    url_name="opinion",
    summary="Track an opinion: its status and public timeline",
)
def track_opinion(request, tracking_code: str):
    if not TRACK_PER_IP.hit(_ip(request)):
        raise ApiError(429, "rate_limited", _("Too many lookups from this address; please try again in a minute."))
    try:
        from renda.opinions.access import get_opinion_by_code

        opinion = get_opinion_by_code(tracking_code[:30])
    except Http404:
        raise ApiError(404, "not_found", _("No opinion has this tracking code.")) from None
    steps = timeline(opinion)
    return {
        "tracking_code": opinion.tracking_code,
        "status": opinion.status,
        "status_text": str(PUBLIC_STATUS.get(opinion.status, "")),
        "category": opinion.category.name,
        "station": opinion.station.public_code if opinion.station_id else None,
        "deputy": opinion.deputy.public_code if opinion.deputy_id else None,
        "submitted": opinion.created,
        "rating": opinion.rating,
        "supporters": sum(1 for step in steps if step["event"].action == Action.SUPPORT),
        "timeline": [
            {
                "time": step["event"].created,
                "action": step["event"].action,
                "sentence": step["sentence"],
                "actor": step["actor"],
                "note": step["note"],
            }
            for step in steps
        ],
    }
