"""Staff endpoints for receptions: a deputy's duties and everything they do on the day (check in, visitors, an
opinion on a visitor's behalf), and for congress staff the reception days with their live board, report, planning,
publishing and finishing.

Same rules as the web, because the same code runs: reads through renda.receptions.access (outside scope = 404),
input through the web's forms, writes through the web's actions. A refused action answers 409 with a stable code.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from renda.audit.actions import client_ip
from renda.receptions import actions as campaign_actions
from renda.receptions import rules
from renda.receptions.access import (
    campaigns_for,
    get_campaign_for_user,
    get_managed_campaign,
    get_own_duty,
    own_duties,
)
from renda.receptions.actions import onsite
from renda.receptions.board import board_for
from renda.receptions.forms.onsite import BehalfOpinionForm, CannotComeForm, CheckInForm, VisitForm
from renda.receptions.reports import campaign_report, report_region

from .auth import TokenAuth
from .errors import ApiError, Error

router = Router(tags=["receptions"], auth=TokenAuth())
DUTY_LIMIT = 100


class StationRef(Schema):
    code: str
    name: str
    address: str
    latitude: float | None
    longitude: float | None


class DutyOut(Schema):
    id: int
    date: date
    starts: str
    ends: str
    kind: str
    campaign: str | None
    reception_status: str
    station: StationRef
    attendance: str
    absence_reason: str
    checked_in_at: datetime | None
    checkin_distance: int | None


class CheckInIn(Schema):
    latitude: float | None = None
    longitude: float | None = None


class VisitIn(Schema):
    count: int
    topics: str = ""


class VisitOut(Schema):
    id: int
    count: int
    topics: str
    created: datetime


class BehalfIn(Schema):
    category_id: int
    text: str
    phone: str = ""
    consent: bool = False
    client_token: str = ""


class TakenOut(Schema):
    opinion_id: int
    tracking_code: str
    status: str


class CampaignOut(Schema):
    id: int
    title: str
    theme: str
    region_code: str
    region: str
    date: date
    starts: str
    ends: str
    status: str
    version: int
    published_at: datetime | None


class BoardRow(Schema):
    code: str
    name: str
    expected: int
    attended: int


class BoardDistrict(BoardRow):
    towns: list[BoardRow]


class CategoryCount(Schema):
    category: str
    opinions: int


class BoardOut(Schema):
    expected: int
    attended: int
    visitors: int
    opinions: int
    districts: list[BoardDistrict]
    by_category: list[CategoryCount]


class ReportFigures(Schema):
    receptions: int
    cancelled: int
    expected: int
    attended: int
    absent: int
    participation_rate: float | None = Field(None, description="attended / expected, in percent")
    visitors: int
    opinions: int
    opinions_handled: int
    opinions_rated: int
    opinions_satisfied: int


class ReportRow(ReportFigures):
    code: str
    name: str


class ReportOut(Schema):
    region_code: str
    region: str
    total: ReportFigures
    regions: list[ReportRow]
    stations: list[ReportRow]


def _duty(duty) -> dict:
    reception, station = duty.reception, duty.reception.station
    return {
        "id": duty.pk,
        "date": reception.date,
        "starts": f"{reception.starts:%H:%M}",
        "ends": f"{reception.ends:%H:%M}",
        "kind": reception.kind,
        "campaign": reception.campaign.title if reception.campaign_id else None,
        "reception_status": reception.status,
        "station": {
            "code": station.public_code,
            "name": station.name,
            "address": station.address,
            "latitude": float(station.latitude) if station.latitude is not None else None,
            "longitude": float(station.longitude) if station.longitude is not None else None,
        },
        "attendance": duty.attendance,
        "absence_reason": duty.absence_reason,
        "checked_in_at": duty.checked_in_at,
        "checkin_distance": duty.checkin_distance,
    }


def _form_errors(form) -> ApiError:
    details = {field: [error["message"] for error in errors] for field, errors in form.errors.get_json_data().items()}
    return ApiError(422, "validation_error", _("Some fields are missing or invalid."), details)


def _refused(error: ValidationError) -> ApiError:
    code = getattr(error, "code", None) or "not_allowed"
    return ApiError(409, f"reception_{code}", " ".join(error.messages))


def _own_duty(request, duty_id: int):
    return get_own_duty(request.user, duty_id)


@router.get("/duties", response={200: list[DutyOut], 401: Error}, summary="My duties: today's and coming ones first")
def my_duties(request):
    today = rules.china_today()
    duties = (
        own_duties(request.user)
        .filter(reception__date__gte=today)
        .select_related("reception__station", "reception__campaign")
        .order_by("reception__date", "reception__starts", "pk")[:DUTY_LIMIT]
    )
    return [_duty(duty) for duty in duties]


@router.post(
    "/duties/{int:duty_id}/check-in",
    response={200: DutyOut, 401: Error, 404: Error, 409: Error, 422: Error},
    summary="Check in at the station (on the day; a position must be within the tolerance of the station)",
)
def check_in(request, duty_id: int, payload: CheckInIn):
    duty = _own_duty(request, duty_id)
    form = CheckInForm({k: v for k, v in payload.dict().items() if v is not None})
    if not form.is_valid():
        raise _form_errors(form)
    try:
        duty = onsite.check_in(
            duty, request.user, form.cleaned_data["latitude"], form.cleaned_data["longitude"], ip=client_ip(request)
        )
    except ValidationError as error:
        raise _refused(error) from None
    return _duty(_own_duty(request, duty.pk))


@router.post(
    "/duties/{int:duty_id}/visits",
    response={201: VisitOut, 401: Error, 404: Error, 409: Error, 422: Error},
    summary="Record visitors received at this reception (after checking in)",
)
def record_visit(request, duty_id: int, payload: VisitIn):
    duty = _own_duty(request, duty_id)
    form = VisitForm(payload.dict())
    if not form.is_valid():
        raise _form_errors(form)
    try:
        visit = onsite.record_visit(
            duty, request.user, form.cleaned_data["count"], form.cleaned_data["topics"], ip=client_ip(request)
        )
    except ValidationError as error:
        raise _refused(error) from None
    return Status(201, {"id": visit.pk, "count": visit.count, "topics": visit.topics, "created": visit.created})


@router.post(
    "/duties/{int:duty_id}/opinions",
    response={201: TakenOut, 401: Error, 404: Error, 409: Error, 422: Error},
    summary="Record an opinion on a visitor's behalf (their consent required); it enters the opinion workflow",
)
def record_opinion(request, duty_id: int, payload: BehalfIn):
    duty = _own_duty(request, duty_id)
    data = payload.dict()
    data["category"] = data.pop("category_id")
    if not data["consent"]:
        data.pop("consent")
    form = BehalfOpinionForm(data)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        tag = onsite.record_opinion_on_behalf(
            duty,
            request.user,
            category=form.cleaned_data["category"],
            text=form.cleaned_data["text"],
            phone=form.cleaned_data["phone"],
            consent=form.cleaned_data["consent"],
            client_token=form.cleaned_data["client_token"],
            ip=client_ip(request),
        )
    except ValidationError as error:
        raise _refused(error) from None
    opinion = tag.opinion
    return Status(201, {"opinion_id": opinion.pk, "tracking_code": opinion.tracking_code, "status": opinion.status})


class CannotComeIn(Schema):
    reason: str


@router.post(
    "/duties/{int:duty_id}/cannot-come",
    response={200: DutyOut, 401: Error, 404: Error, 409: Error, 422: Error},
    summary="Decline a published reception day's duty ahead of the day; the office is told and finds a replacement",
)
def cannot_come(request, duty_id: int, payload: CannotComeIn):
    duty = _own_duty(request, duty_id)
    form = CannotComeForm(payload.dict())
    if not form.is_valid():
        raise _form_errors(form)
    try:
        campaign_actions.deputy_cannot_come(request.user, duty, form.cleaned_data["reason"], ip=client_ip(request))
    except ValidationError as error:
        raise _refused(error) from None
    return _duty(_own_duty(request, duty_id))


def _campaign(campaign) -> dict:
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "theme": campaign.theme,
        "region_code": campaign.region.code,
        "region": campaign.region.name,
        "date": campaign.date,
        "starts": f"{campaign.starts:%H:%M}",
        "ends": f"{campaign.ends:%H:%M}",
        "status": campaign.status,
        "version": campaign.version,
        "published_at": campaign.published_at,
    }


@router.get("/campaigns", response={200: list[CampaignOut], 401: Error}, summary="Reception days I may see")
def campaigns(request):
    rows = campaigns_for(request.user).select_related("region").order_by("-date", "-pk")[:DUTY_LIMIT]
    return [_campaign(c) for c in rows]


@router.get(
    "/campaigns/{int:campaign_id}/board",
    response={200: BoardOut, 401: Error, 404: Error},
    summary="The live board: expected and checked in by district and town, visitors, opinions by category",
)
def board(request, campaign_id: int):
    figures = board_for(request.user, get_campaign_for_user(request.user, campaign_id))

    def row(item) -> dict:
        return {"code": item.path[-12:], "name": item.name, "expected": item.expected, "attended": item.attended}

    return {
        "expected": figures.total.expected,
        "attended": figures.total.attended,
        "visitors": figures.visitors,
        "opinions": figures.opinions,
        "districts": [row(d) | {"towns": [row(t) for t in d.towns]} for d in figures.districts],
        "by_category": [{"category": name, "opinions": n} for name, n in figures.by_category],
    }


def _figures(figures) -> dict:
    return {
        "receptions": figures.receptions,
        "cancelled": figures.cancelled,
        "expected": figures.expected,
        "attended": figures.attended,
        "absent": figures.absent,
        "participation_rate": figures.participation_rate,
        "visitors": figures.visitors,
        "opinions": figures.opinions.total,
        "opinions_handled": figures.opinions.handled,
        "opinions_rated": figures.opinions.rated,
        "opinions_satisfied": figures.opinions.satisfied,
    }


@router.get(
    "/campaigns/{int:campaign_id}/report",
    response={200: ReportOut, 401: Error, 404: Error},
    summary="A reception day's report for its region or one below it (?region=<code>), per region and station",
)
def report(request, campaign_id: int, region: str = ""):
    campaign = get_campaign_for_user(request.user, campaign_id)
    where = report_region(request.user, campaign, region or None)
    figures = campaign_report(request.user, campaign, where)
    return {
        "region_code": where.code,
        "region": where.name,
        "total": _figures(figures.total),
        "regions": [_figures(f) | {"code": r.code, "name": r.name} for r, f in figures.children],
        "stations": [_figures(f) | {"code": s.public_code, "name": s.name} for s, f, _r in figures.stations],
    }


def _campaign_step(request, campaign_id: int, step) -> dict:
    campaign = get_managed_campaign(request.user, campaign_id)
    try:
        step(campaign)
    except ValidationError as error:
        raise _refused(error) from None
    return _campaign(get_managed_campaign(request.user, campaign_id))


@router.post(
    "/campaigns/{int:campaign_id}/plan",
    response={200: CampaignOut, 401: Error, 404: Error, 409: Error},
    summary="Propose every assignment of a draft day (replaces the previous proposal)",
)
def plan(request, campaign_id: int):
    return _campaign_step(
        request, campaign_id, lambda c: campaign_actions.plan_campaign(c, request.user, ip=client_ip(request))
    )


@router.post(
    "/campaigns/{int:campaign_id}/publish",
    response={200: CampaignOut, 401: Error, 404: Error, 409: Error},
    summary="Publish a draft day (at least RECEPTION_PUBLISH_DAYS ahead) and notify the deputies on duty",
)
def publish(request, campaign_id: int):
    return _campaign_step(
        request, campaign_id, lambda c: campaign_actions.publish_campaign(request.user, c, ip=client_ip(request))
    )


@router.post(
    "/campaigns/{int:campaign_id}/finish",
    response={200: CampaignOut, 401: Error, 404: Error, 409: Error},
    summary="Finish a published day on or after its date: unchecked duties become absences; nothing changes after",
)
def finish(request, campaign_id: int):
    return _campaign_step(
        request, campaign_id, lambda c: campaign_actions.finish_campaign(request.user, c, ip=client_ip(request))
    )
