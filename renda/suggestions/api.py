"""JSON API of suggestions and proposals: the submitter's own items, the unit's inbox, the office's list, one item,
every workflow action, and submitting. Mounted by renda/api under /api/v1/staff/suggestions with its bearer-token
auth (this app sits below the channels, so the channel supplies authentication: `request.user` is the token's user).

Same rules as the web, because the same code runs: reads through access.py (outside scope = 404), writes through
actions.perform / actions.submit. A refused action answers 409 with the action's own (Chinese) message.
"""

from datetime import date, datetime
from typing import Literal

from django.http import Http404
from ninja import Router, Schema, Status

from renda.core.apirouter import ErrorOut, refused
from renda.regions.models import Region

from .access import (
    get_suggestion_for_user,
    office_suggestions,
    roles_on,
    sessions_for,
    suggestions_for,
    unit_tasks_for,
)
from .actions import TransitionError, perform, submit
from .actions import sessions as session_actions
from .models import Category
from .workflow import TRANSITIONS, Action, State, actions_for

router = Router(tags=["suggestions"])
LIMIT = 50


class ItemOut(Schema):
    id: int
    number: str
    kind: str
    year: int
    title: str
    status: str
    category: str
    submitter: str
    lead_unit: str | None
    reply_category: str
    is_key: bool
    due_at: datetime | None
    created: datetime


class ReplyOut(Schema):
    round: int
    unit: str
    category: str
    text: str
    created: datetime


class ItemDetail(ItemOut):
    text: str
    actions: list[str]
    replies: list[ReplyOut]


class TaskOut(Schema):
    role: str
    unit: str
    due_at: datetime | None
    item: ItemOut


class ActionIn(Schema):
    note: str = ""
    reason: str = ""
    text: str = ""
    category: str = ""
    rating: str = ""
    comment: str = ""
    merge_into: str = ""
    disposition: str = ""
    lead_unit: int | None = None
    co_units: list[int] = []
    co_role: str = ""
    method: str = ""
    happened_on: str = ""
    days: int | None = None
    leader: str = ""


class SubmitIn(Schema):
    title: str
    category_id: int
    text: str


def _item(s) -> dict:
    return {
        "id": s.pk,
        "number": s.number,
        "kind": s.kind,
        "year": s.year,
        "title": s.title,
        "status": s.status,
        "category": s.category.name,
        "submitter": s.submitter_name,
        "lead_unit": s.lead_unit.name if s.lead_unit_id else None,
        "reply_category": s.reply_category,
        "is_key": s.is_key,
        "due_at": s.due_at,
        "created": s.created,
    }


def _page(queryset, before):
    if before:
        queryset = queryset.filter(pk__lt=before)
    return [_item(s) for s in queryset.select_related("category", "lead_unit").order_by("-id")[:LIMIT]]


@router.get("/mine", response=list[ItemOut], summary="My suggestions or proposals (as submitter), newest first")
def mine(request, before: int | None = None):
    return _page(suggestions_for(request.user).filter(author=request.user), before)


@router.get("/office", response=list[ItemOut], summary="The office's items in my regions, with filters")
def office(request, status: State | None = None, year: int | None = None, before: int | None = None):
    queryset = office_suggestions(request.user)
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(year=year)
    return _page(queryset, before)


@router.get("/inbox", response=list[TaskOut], summary="My unit's items: lead and co-unit tasks, soonest due first")
def inbox(request):
    tasks = unit_tasks_for(request.user).select_related("unit", "suggestion__category", "suggestion__lead_unit")
    return [
        {"role": t.role, "unit": t.unit.name, "due_at": t.due_at, "item": _item(t.suggestion)}
        for t in tasks.order_by("due_at", "id")[:500]
    ]


class SessionOut(Schema):
    id: int
    region: str
    region_code: str
    kind: str
    name: str
    first_day: date
    last_day: date


class SessionIn(Schema):
    region_code: str
    kind: Literal["congress", "cppcc"]
    name: str
    first_day: date
    last_day: date


def _session(session) -> dict:
    return {
        "id": session.pk,
        "region": session.region.name,
        "region_code": session.region.code,
        "kind": session.kind,
        "name": session.name,
        "first_day": session.first_day,
        "last_day": session.last_day,
    }


@router.get("/sessions", response=list[SessionOut], summary="The plenary sessions (大会) of my regions, newest first")
def sessions(request):
    return [_session(s) for s in sessions_for(request.user).select_related("region")[:200]]


@router.post(
    "/sessions",
    response={201: SessionOut, 409: ErrorOut},
    summary="Record a plenary session of one of my regions; refused → 409 with the reason, nothing stored",
)
def add_session(request, payload: SessionIn):
    region = Region.objects.filter(code=payload.region_code).first()
    data = payload.dict()
    data.pop("region_code")
    try:
        session = session_actions.add(request.user, region=region, **data)
    except TransitionError as error:
        return refused(error)
    return Status(201, _session(session))


@router.post(
    "/sessions/{session_id}/remove",
    response={204: None, 404: ErrorOut},
    summary="Remove a session recorded by mistake",
)
def remove_session(request, session_id: int):
    try:
        session_actions.remove(request.user, session_id)
    except TransitionError:
        return Status(404, {"code": "not_found", "message": "no such session"})
    return Status(204, None)


@router.get("/{suggestion_id}", response={200: ItemDetail, 404: ErrorOut}, summary="One item with its replies")
def detail(request, suggestion_id: int):
    try:
        s = get_suggestion_for_user(request.user, suggestion_id)
    except Http404:
        return Status(404, {"code": "not_found", "message": "no such item"})
    roles = roles_on(request.user, s)
    replies = s.replies.select_related("unit").order_by("id")
    if not roles & {"office", "lead", "co"}:
        replies = replies.filter(accepted_at__isnull=False)
    return Status(
        200,
        {
            **_item(s),
            "text": s.text,
            "actions": [a for a in actions_for(s.status, roles) if a != Action.AUTO_CLOSE],
            "replies": [
                {"round": r.round, "unit": r.unit.name, "category": r.category, "text": r.text, "created": r.created}
                for r in replies
            ],
        },
    )


@router.post(
    "/{suggestion_id}/actions/{action}",
    response={200: ItemOut, 404: ErrorOut, 409: ErrorOut},
    summary="Take a workflow action (see workflow.TRANSITIONS); refused → 409 with the reason, nothing changed",
)
def act(request, suggestion_id: int, action: str, payload: ActionIn):
    try:
        s = get_suggestion_for_user(request.user, suggestion_id)
    except Http404:
        return Status(404, {"code": "not_found", "message": "no such item"})
    if action not in TRANSITIONS:
        return Status(404, {"code": "no_such_action", "message": "no such action"})
    data = payload.dict()
    data["co_units"] = [str(pk) for pk in data["co_units"]]
    data["lead_unit"] = data["lead_unit"] or ""
    try:
        perform(request.user, s.pk, action, data)
    except TransitionError as error:
        return refused(error)
    s.refresh_from_db()
    return Status(200, _item(s))


@router.post("", response={201: ItemOut, 409: ErrorOut}, summary="Submit a suggestion (deputy) or proposal (member)")
def create(request, payload: SubmitIn):
    category = Category.objects.filter(pk=payload.category_id).first()
    try:
        s = submit(request.user, title=payload.title, category=category, text=payload.text)
    except TransitionError as error:
        return refused(error)
    return Status(201, _item(s))
