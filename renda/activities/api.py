"""JSON API of activities: the organiser's management (list, one activity, create, invite, publish/cancel/finish,
attendance, problem list, push/link), and the invitee's answers and problems. Mounted by renda/api under
/api/v1/staff/activities with its bearer-token auth (`request.user` is the token's user).

Same rules as the web because the same code runs: reads through access.py (outside scope = 404), writes through
the actions; a refused action answers 409 with its stable code and its (Chinese) message.
"""

from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status

from renda.audit.actions import client_ip
from renda.core.apirouter import ErrorOut, refused
from renda.opinions.models import Category

from .access import get_organised_activity, invitations_of_user, organised_activities
from .actions import answers, planning, problems
from .errors import ActivityError
from .models import Body, Kind, ProblemItem
from .models import Status as ActivityStatus
from .selection import resolve
from .views.office import STATE_ACTIONS, page_of
from .workflow import ProblemAction

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    body: str
    region: str
    status: str
    starts_at: datetime
    ends_at: datetime
    place: str
    is_public: bool
    version: int


class InvitationOut(Schema):
    id: int
    activity_id: int
    person: str
    answer: str
    reason: str
    attendance: str


class ProblemOut(Schema):
    id: int
    number: int
    text: str
    place: str
    raised_by_kind: str
    raised_by: str
    status: str
    category: str | None
    opinion_tracking_code: str | None
    opinion_status: str | None
    suggestion_id: int | None


class ActivityDetail(ActivityOut):
    theme: str
    findings: str
    report: str
    invitations: list[InvitationOut]
    problems: list[ProblemOut]


class ActivityPage(Schema):
    items: list[ActivityOut]
    after: str | None


class CreateIn(Schema):
    region_id: int | None = None
    station_id: int | None = None
    kind: str = Field(max_length=30)
    title: str = Field(min_length=1, max_length=120)
    starts_at: datetime
    ends_at: datetime
    body: Body = Body.CONGRESS
    place: str = Field("", max_length=200)
    theme: str = Field("", max_length=4000)
    is_public: bool = False


class InviteIn(Schema):
    by: str = Field("name", max_length=20)
    value: str = Field("", max_length=200)
    deputy_ids: list[int] = []
    member_ids: list[int] = []


class AnswerIn(Schema):
    answer: str = Field("", max_length=10)
    reason: str = Field("", max_length=200)


class AttendanceIn(Schema):
    marks: dict[int, str] = {}


class ProblemIn(Schema):
    text: str = Field("", max_length=4000)
    raised_by_kind: str = Field("enterprise", max_length=12)
    raised_by: str = Field("", max_length=100)
    place: str = Field("", max_length=200)
    category_id: int | None = None


class ProblemActIn(Schema):
    reason: str = Field("", max_length=200)
    category_id: int | None = None
    suggestion_id: int | None = None


class CountOut(Schema):
    count: int


def _activity(a) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.kind.code,
        "body": a.body,
        "region": a.region.name,
        "status": a.status,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "place": a.place,
        "is_public": a.is_public,
        "version": a.version,
    }


def _invitation(i) -> dict:
    return {
        "id": i.pk,
        "activity_id": i.activity_id,
        "person": i.person.name,
        "answer": i.answer,
        "reason": i.reason,
        "attendance": i.attendance,
    }


def _problem(p) -> dict:
    return {
        "id": p.pk,
        "number": p.number,
        "text": p.text,
        "place": p.place,
        "raised_by_kind": p.raised_by_kind,
        "raised_by": p.raised_by,
        "status": p.status,
        "category": p.category.name if p.category_id else None,
        "opinion_tracking_code": p.opinion.tracking_code if p.opinion_id else None,
        "opinion_status": p.opinion.status if p.opinion_id else None,
        "suggestion_id": p.suggestion_id,
    }


def _detail(activity) -> dict:
    return {
        **_activity(activity),
        "theme": activity.theme,
        "findings": activity.findings,
        "report": activity.report,
        "invitations": [_invitation(i) for i in activity.invitations.select_related("deputy", "member").order_by("id")],
        "problems": [_problem(p) for p in activity.problems.select_related("category", "opinion").order_by("number")],
    }


@router.get("/", response=ActivityPage, summary="The activities I organise, newest first (keyset: `after`)")
def activity_list(request, status: str | None = None, after: str | None = None):
    queryset = organised_activities(request.user).select_related("kind", "region")
    if status:
        queryset = queryset.filter(status=status)
    rows, more = page_of(queryset, after)
    return {"items": [_activity(a) for a in rows], "after": more}


@router.post("/", response={201: ActivityOut, 404: ErrorOut, 409: ErrorOut}, summary="Create a draft activity")
def activity_create(request, data: CreateIn):
    from renda.regions.models import Region
    from renda.stations.models import Station

    kind = Kind.objects.filter(code=data.kind, is_active=True).first()
    region = Region.objects.filter(pk=data.region_id).first() if data.region_id else None
    station = Station.objects.filter(pk=data.station_id).select_related("region").first() if data.station_id else None
    if kind is None or (region is None and station is None):
        raise Http404("no such kind, region or station")
    try:
        activity = planning.create(
            request.user,
            region=region or station.region,
            station=station,
            kind=kind,
            title=data.title,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            body=data.body,
            place=data.place,
            theme=data.theme,
            is_public=data.is_public,
            ip=client_ip(request),
        )
    except ActivityError as error:
        return refused(error)
    return Status(201, _activity(activity))


@router.get("/invitations", response=list[InvitationOut], summary="My invitations (deputy or member), soonest first")
def my_invitations(request, upcoming: bool = True):
    from django.utils import timezone

    queryset = invitations_of_user(request.user).exclude(activity__status=ActivityStatus.DRAFT)
    if upcoming:
        queryset = queryset.filter(activity__ends_at__gte=timezone.now())
    rows = queryset.select_related("deputy", "member").order_by("activity__starts_at", "activity_id")[:200]
    return [_invitation(i) for i in rows]


@router.post(
    "/invitations/{invitation_id}/answer",
    response={200: InvitationOut, 404: ErrorOut, 409: ErrorOut},
    summary="Answer an invitation: attend, or excused with a reason (before the activity starts)",
)
def answer(request, invitation_id: int, data: AnswerIn):
    if not invitations_of_user(request.user).filter(pk=invitation_id).exists():
        raise Http404("no such invitation")
    try:
        invitation = answers.answer(request.user, invitation_id, data.answer, data.reason, ip=client_ip(request))
    except ActivityError as error:
        return refused(error)
    return _invitation(invitation)


@router.get("/{activity_id}", response={200: ActivityDetail, 404: ErrorOut}, summary="One activity I organise")
def activity_detail(request, activity_id: int):
    return _detail(get_organised_activity(request.user, activity_id))


@router.post(
    "/{activity_id}/invite",
    response={200: CountOut, 404: ErrorOut, 409: ErrorOut},
    summary="Invite by name, level, delegation, station or region, or by ids (the organiser's region only)",
)
def invite(request, activity_id: int, data: InviteIn):
    activity = get_organised_activity(request.user, activity_id)
    deputies, members = list(data.deputy_ids), list(data.member_ids)
    if data.value:
        found = resolve(activity, data.by, data.value)
        deputies += found[0]
        members += found[1]
    try:
        n = planning.invite(request.user, activity.pk, deputies=deputies, members=members, ip=client_ip(request))
    except ActivityError as error:
        return refused(error)
    return {"count": n}


@router.post(
    "/{activity_id}/invitations/{invitation_id}/withdraw",
    response={200: ActivityDetail, 404: ErrorOut, 409: ErrorOut},
    summary="Withdraw one invitation before the activity starts (a published activity's invitee is told)",
)
def withdraw(request, activity_id: int, invitation_id: int):
    activity = get_organised_activity(request.user, activity_id)
    if not activity.invitations.filter(pk=invitation_id).exists():
        raise Http404("no such invitation")
    try:
        planning.uninvite(request.user, activity.pk, invitation_id, ip=client_ip(request))
    except ActivityError as error:
        return refused(error)
    return _detail(get_organised_activity(request.user, activity_id))


@router.post(
    "/{activity_id}/act/{action}",
    response={200: ActivityOut, 404: ErrorOut, 409: ErrorOut},
    summary="publish, cancel, finish; confirm or reject (with `reason`) a self-recorded activity",
)
def act(request, activity_id: int, action: str, data: ProblemActIn):
    activity = get_organised_activity(request.user, activity_id)
    if action not in STATE_ACTIONS:
        raise Http404("no such action")
    try:
        activity = planning.change_state(request.user, activity.pk, action, reason=data.reason, ip=client_ip(request))
    except ActivityError as error:
        return refused(error)
    activity.refresh_from_db()
    return _activity(activity)


@router.post(
    "/{activity_id}/attendance",
    response={200: CountOut, 404: ErrorOut, 409: ErrorOut},
    summary="Record attendance {invitation id: present|excused|absent|unknown} (organiser, once it started)",
)
def attendance(request, activity_id: int, data: AttendanceIn):
    activity = get_organised_activity(request.user, activity_id)
    try:
        n = answers.record_attendance(request.user, activity.pk, data.marks, ip=client_ip(request))
    except ActivityError as error:
        return refused(error)
    return {"count": n}


@router.post(
    "/{activity_id}/problems",
    response={201: ProblemOut, 404: ErrorOut, 409: ErrorOut},
    summary="Record a problem (an attending invitee, or the organiser)",
)
def problem_add(request, activity_id: int, data: ProblemIn):
    from .access import activities_for

    activity = activities_for(request.user).filter(pk=activity_id).first()
    if activity is None:
        raise Http404("no such activity")
    category = Category.objects.filter(pk=data.category_id).first() if data.category_id else None
    try:
        item = problems.record_problem(
            request.user,
            activity.pk,
            text=data.text,
            raised_by_kind=data.raised_by_kind,
            raised_by=data.raised_by,
            place=data.place,
            category=category,
            ip=client_ip(request),
        )
    except ActivityError as error:
        return refused(error)
    return Status(201, _problem(item))


@router.post(
    "/{activity_id}/problems/{problem_id}/{action}",
    response={200: ProblemOut, 404: ErrorOut, 409: ErrorOut},
    summary="list, drop (with `reason`), push (to handling as an opinion) or link (to `suggestion_id`) a problem",
)
def problem_act(request, activity_id: int, problem_id: int, action: str, data: ProblemActIn):
    activity = get_organised_activity(request.user, activity_id)
    item = ProblemItem.objects.filter(activity=activity, pk=problem_id).first()
    if item is None or action not in ProblemAction.values:
        raise Http404("no such problem item")
    category = Category.objects.filter(pk=data.category_id).first() if data.category_id else None
    try:
        item = problems.perform(
            request.user,
            item.pk,
            action,
            reason=data.reason,
            category=category,
            suggestion_pk=data.suggestion_id or 0,
            ip=client_ip(request),
        )
    except ActivityError as error:
        return refused(error)
    item = ProblemItem.objects.select_related("category", "opinion").get(pk=item.pk)
    return _problem(item)
