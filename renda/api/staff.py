"""Staff endpoints: a personal token acts with exactly its user's scope.

Reads go through renda.opinions.access (outside scope = 404, like missing), the inbox filters are the web's
OpinionFilterForm, and every action is the web's ActionForm followed by opinions.actions.perform. Attachments are
not accepted by the API (JSON only); a unit that must attach files replies on the web.
"""

import base64
import binascii
from datetime import date, datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from renda.audit.actions import client_ip
from renda.core.crypto import mask_phone
from renda.opinions import actions as opinion_actions
from renda.opinions.access import get_opinion_for_user, opinions_for, roles_on
from renda.opinions.forms import ACTION_FIELDS, ActionForm, OpinionFilterForm
from renda.opinions.rules import forward_units
from renda.opinions.views import _may_use_inbox, inbox_page
from renda.opinions.workflow import OPEN_STATES, Action, actions_for

from .auth import TokenAuth
from .errors import ApiError, Error

router = Router(tags=["staff"], auth=TokenAuth())
MAX_LIMIT = 100


class OpinionRow(Schema):
    id: int
    tracking_code: str
    status: str
    category: str
    station: str | None
    unit: str | None
    excerpt: str
    submitted: datetime
    due_at: datetime | None
    overdue: bool


class OpinionPage(Schema):
    items: list[OpinionRow]
    next_cursor: str | None


class EventOut(Schema):
    id: int
    time: datetime
    action: str
    from_state: str
    to_state: str
    actor: str | None
    actor_role: str
    public_actor: str
    note: str
    internal_note: str
    unit: str | None
    due_at: datetime | None
    days: int | None
    attachments: list[str]


class UnitChoice(Schema):
    id: int
    name: str


class OpinionDetail(Schema):
    id: int
    tracking_code: str
    status: str
    region: str
    category: str
    station: str | None
    deputy: str | None
    unit: str | None
    text: str
    place: str
    submitter_name: str
    submitter_phone: str
    consent: bool
    rating: str
    refusal_reason: str
    submitted: datetime
    due_at: datetime | None
    merged_into: str | None
    supporters: int
    actions: list[str]
    forward_units: list[UnitChoice]
    timeline: list[EventOut]


class ActionIn(Schema):
    state: str | None = None
    note: str = ""
    internal_note: str = ""
    reason: str | None = None
    unit: int | None = None
    merge_into: str | None = None
    days: int | None = None


# The cursor: the keyset (created, id) of the last row, base64url-encoded so clients treat it as opaque.


def _encode_cursor(row) -> str:
    return base64.urlsafe_b64encode(f"{row.created.isoformat()}_{row.pk}".encode()).decode().rstrip("=")


def _decode_cursor(value: str):
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        created, _sep, pk = raw.rpartition("_")
        moment = datetime.fromisoformat(created)
        return (moment if timezone.is_aware(moment) else timezone.make_aware(moment)), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise ApiError(400, "bad_cursor", _("The cursor is not valid; start again from the first page.")) from None


def _inbox_user(request):
    if not _may_use_inbox(request.user):
        raise Http404("no inbox")
    return request.user


@router.get(
    "/opinions",
    response={200: OpinionPage, 400: Error, 401: Error, 404: Error, 422: Error},
    summary="The inbox: opinions in the token user's scope, newest first, with the web's filters",
)
def inbox(
    request,
    status: str | None = Query(None, max_length=30, description='a state, "mine" (needs my action) or "" (all)'),
    category: int | None = Query(None, ge=1, le=2**31 - 1),
    station: str = Query("", max_length=100, description="station public code or part of its name"),
    unit: int | None = Query(None, ge=1, le=2**31 - 1),
    overdue: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str = Query("", max_length=settings.SEARCH_MAX_LENGTH),
    cursor: str = Query("", max_length=200),
    limit: int = Query(settings.PAGE_SIZE, ge=1, le=MAX_LIMIT),
):
    user = _inbox_user(request)
    params = {"station": station, "q": q, "overdue": "on" if overdue else ""}
    if status is not None:
        params["status"] = status
    for key, value in (("category", category), ("unit", unit), ("date_from", date_from), ("date_to", date_to)):
        if value is not None:
            params[key] = str(value)
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update(params)
    form = OpinionFilterForm(data, user=user)
    if not form.is_valid():
        details = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        raise ApiError(422, "validation_error", _("Some filters are invalid."), details)
    # The web inbox's reading: a search looks among the newest rows in scope first, a scope of several parts is
    # merged (renda/opinions/views.py inbox_page).
    page, older = inbox_page(
        form.filter(opinions_for(user), search_text=False),
        query=form.query,
        cursor=_decode_cursor(cursor) if cursor else None,
        parts=form.parts(),
        limit=limit,
    )
    now = timezone.now()
    open_states = {str(state) for state in OPEN_STATES}
    items = [
        {
            "id": row.pk,
            "tracking_code": row.tracking_code,
            "status": row.status,
            "category": row.category.name,
            "station": row.station.public_code if row.station_id else None,
            "unit": row.unit.name if row.unit_id else None,
            "excerpt": row.excerpt,
            "submitted": row.created,
            "due_at": row.due_at,
            "overdue": row.due_at is not None and row.due_at < now and row.status in open_states,
        }
        for row in page
    ]
    return {"items": items, "next_cursor": _encode_cursor(page[-1]) if older else None}


def _detail(user, opinion) -> dict:
    roles = roles_on(user, opinion)
    allowed = [action for action in actions_for(opinion.status, roles) if action in ACTION_FIELDS]
    # The units the "forward" action accepts now: the same rule the web form offers and the action checks.
    units = forward_units(user, opinion).values("id", "name") if Action.FORWARD in allowed else []
    events = opinion.events.select_related("actor", "unit").prefetch_related("attachments").order_by("created", "id")
    return {
        "id": opinion.pk,
        "tracking_code": opinion.tracking_code,
        "status": opinion.status,
        "region": opinion.region.code,
        "category": opinion.category.name,
        "station": opinion.station.public_code if opinion.station_id else None,
        "deputy": opinion.deputy.public_code if opinion.deputy_id else None,
        "unit": opinion.unit.name if opinion.unit_id else None,
        "text": opinion.text,
        "place": opinion.place,
        # As on the web's opinion page: contact details only with consent, and the phone masked.
        "submitter_name": opinion.submitter_name if opinion.consent else "",
        "submitter_phone": mask_phone(opinion.submitter_phone) if opinion.consent else "",
        "consent": opinion.consent,
        "rating": opinion.rating,
        "refusal_reason": opinion.refusal_reason,
        "submitted": opinion.created,
        "due_at": opinion.due_at,
        "merged_into": opinion.merged_into.tracking_code if opinion.merged_into_id else None,
        "supporters": opinion.supporters.count(),
        "actions": allowed,
        "forward_units": list(units),
        "timeline": [
            {
                "id": event.pk,
                "time": event.created,
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "actor": str(event.actor) if event.actor_id else None,
                "actor_role": event.actor_role,
                "public_actor": event.public_actor,
                "note": event.note,
                "internal_note": event.internal_note,
                "unit": event.unit.name if event.unit_id else None,
                "due_at": event.due_at,
                "days": event.days,
                "attachments": [attachment.name for attachment in event.attachments.all()],
            }
            for event in events
        ],
    }


@router.get(
    "/opinions/{int:opinion_id}",
    response={200: OpinionDetail, 401: Error, 404: Error},
    summary="One opinion with its full timeline (internal notes included)",
)
def opinion_detail(request, opinion_id: int):
    return _detail(request.user, get_opinion_for_user(request.user, opinion_id))


@router.post(
    "/opinions/{int:opinion_id}/actions/{action}",
    response={200: OpinionDetail, 401: Error, 404: Error, 409: Error, 422: Error},
    summary="Take a workflow action (the same rules as the web; attachments only on the web)",
)
def opinion_action(request, opinion_id: int, action: str, payload: ActionIn):
    user = request.user
    opinion = get_opinion_for_user(user, opinion_id)
    if action not in ACTION_FIELDS:
        raise ApiError(404, "unknown_action", _("There is no such action."))
    data = {key: value for key, value in payload.dict().items() if value not in (None, "")}
    data.setdefault("state", opinion.status)
    form = ActionForm(data, {}, action=action, opinion=opinion, user=user, prefix=None)
    if not form.is_valid():
        details = form.errors.get_json_data()
        if any(error["code"] == "stale" for error in details.get("__all__", ())):
            raise ApiError(409, "stale", " ".join(form.non_field_errors()), details)
        messages = {field: [error["message"] for error in errors] for field, errors in details.items()}
        raise ApiError(422, "validation_error", _("Some fields are missing or invalid."), messages)
    try:
        opinion_actions.perform(user, opinion.pk, action, **form.perform_kwargs(), ip=client_ip(request))
    except opinion_actions.TransitionError as error:
        raise ApiError(409, "transition_not_allowed", " ".join(error.messages)) from None
    return _detail(user, get_opinion_for_user(user, opinion_id))
