"""JSON endpoints for livelihood projects, mounted by renda/api (a channel above this app) at /api/v1/projects
(public reads and proposals) and /api/v1/staff/projects (deputies' voting, staff's phase changes; bearer token).

Same rules as the web because the same code runs: reads through access.py (outside scope = 404), writes through the
actions; a refused action answers 409 with the rule's stable code (e.g. "twice", "too_many", "window", "phase").
Errors have the API's one shape {"code", "message", "details"}.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from renda.audit.actions import client_ip
from renda.core.apirouter import ErrorOut, refused

from . import access
from .actions import ProjectsError, rounds, voting
from .counting import ballot_projects, count_record, options_for
from .models import Ballot, SessionStatus
from .progress import board
from .submission import propose_public

public_router = Router(tags=["projects"])
staff_router = Router(tags=["projects"])
COUNTED = (SessionStatus.CLOSED, SessionStatus.SIGNED, SessionStatus.PUBLISHED)
ROUND_LIMIT = 200


class PhaseOut(Schema):
    phase: str
    starts: date
    ends: date


class RoundOut(Schema):
    id: int
    title: str
    year: int
    region: str
    phase: str
    places: int


class ProjectOut(Schema):
    id: int
    number: int
    title: str
    description: str
    budget: Decimal
    lead_unit: str
    timeline: str
    result: str
    votes_for: int | None
    verdict: str
    progress: int | None = None


class RoundDetailOut(RoundOut):
    phases: list[PhaseOut]
    candidates_published_at: datetime | None
    projects: list[ProjectOut]
    sessions: list[int]


def _round_out(round_) -> dict:
    return {
        "id": round_.pk,
        "title": round_.title,
        "year": round_.year,
        "region": round_.region.name,
        "phase": round_.phase,
        "places": round_.places,
    }


def _project_out(project, progress=None) -> dict:
    return {
        "id": project.pk,
        "number": project.number,
        "title": project.title,
        "description": project.description,
        "budget": project.budget,
        "lead_unit": project.lead_unit.name,
        "timeline": project.timeline,
        "result": project.result,
        "votes_for": project.votes_for,
        "verdict": project.verdict,
        "progress": progress,
    }


@public_router.get("/rounds", response=list[RoundOut], summary="Livelihood project rounds, newest first")
def list_rounds(request):
    return [_round_out(r) for r in access.public_rounds().order_by("-year", "-id")[:ROUND_LIMIT]]


@public_router.get("/rounds/{round_id}", response={200: RoundDetailOut, 404: ErrorOut}, summary="A round")
def get_round(request, round_id: int):
    round_ = access.get_public_round(round_id)
    projects = []
    if round_.candidates_published_at is not None:
        progress = {p.pk: p.progress for p in board(round_)}
        projects = [_project_out(p, progress.get(p.pk)) for p in round_.projects.select_related("lead_unit")]
    return {
        **_round_out(round_),
        "phases": [{"phase": p.phase, "starts": p.starts, "ends": p.ends} for p in round_.phases.all()],
        "candidates_published_at": round_.candidates_published_at,
        "projects": projects,
        "sessions": list(round_.sessions.filter(status__in=COUNTED).values_list("pk", flat=True)),
    }


class CountOut(Schema):
    entitled: int
    present: int
    issued: int
    returned: int
    valid: int
    invalid: int
    blank: int
    votes: dict[int, dict[str, int]]


class ReceiptOut(Schema):
    code: str
    commitment: str


class BallotListOut(Schema):
    session: int
    status: str
    count: CountOut
    receipts: list[ReceiptOut]
    ballots: list[dict[str, str]] = Field(description="Every electronic ballot's choices, random order, no receipt")


@public_router.get(
    "/rounds/{round_id}/sessions/{session_id}/ballots",
    response={200: BallotListOut, 404: ErrorOut},
    summary="The published ballot list: receipts with commitments, and separately every ballot's choices",
)
def ballot_list(request, round_id: int, session_id: int):
    round_ = access.get_public_round(round_id)
    session = round_.sessions.filter(pk=session_id, status__in=COUNTED).first()
    if session is None:
        raise Http404("no published ballots")
    record = count_record(session)
    return {
        "session": session.pk,
        "status": session.status,
        "count": {
            "entitled": record.entitled,
            "present": record.present,
            "issued": record.issued,
            "returned": record.returned,
            "valid": record.valid,
            "invalid": record.invalid,
            "blank": record.blank,
            "votes": {project.pk: dict(votes) for project, votes in record.lines},
        },
        "receipts": [
            {"code": c, "commitment": h} for c, h in session.receipts.order_by("code").values_list("code", "commitment")
        ],
        "ballots": list(Ballot.objects.filter(session=session).order_by("id").values_list("choices", flat=True)),
    }


class ProposalIn(Schema):
    title: str = Field(max_length=100)
    description: str = Field(max_length=5000)
    place: str = Field("", max_length=200)
    reason: str = Field("", max_length=5000)
    name: str = Field("", max_length=40)
    phone: str = Field("", max_length=20)
    consent: bool = False
    client_token: str | None = Field(None, max_length=64)


class ProposalOut(Schema):
    id: int
    tracking_code: str
    status: str


@public_router.post(
    "/rounds/{round_id}/proposals",
    response={201: ProposalOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Propose a project (solicitation phase)",
)
def propose(request, round_id: int, data: ProposalIn):
    from .forms import ProposalForm

    round_ = access.get_public_round(round_id)
    form = ProposalForm(data.dict())
    if not form.is_valid():
        details = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        return Status(
            422,
            {
                "code": "validation_error",
                "message": _("Some fields are missing or invalid."),
                "details": details,
            },
        )
    try:
        proposal = propose_public(round_, form.cleaned_data, ip=client_ip(request) or "-")
    except ProjectsError as error:
        if error.code == "rate_limited":
            return Status(429, {"code": error.code, "message": " ".join(error.messages), "details": None})
        return refused(error)
    return Status(201, {"id": proposal.pk, "tracking_code": proposal.tracking_code, "status": proposal.status})


# Deputies and staff (bearer token) --------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    round: int
    title: str
    kind: str
    method: str
    status: str
    starts_at: datetime
    ends_at: datetime
    present: bool
    voted: bool


class BallotItemOut(Schema):
    project: int
    number: int
    title: str


class BallotOut(SessionOut):
    places: int
    options: list[str]
    items: list[BallotItemOut]


def _session_out(session, entry) -> dict:
    return {
        "id": session.pk,
        "round": session.round_id,
        "title": session.title,
        "kind": session.kind,
        "method": session.method,
        "status": session.status,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "present": bool(entry and entry.present),
        "voted": bool(entry and entry.voted),
    }


@staff_router.get("/sessions", response={200: list[SessionOut], 401: ErrorOut}, summary="My votes (deputies)")
def my_sessions(request):
    entries = {}
    sessions = list(access.deputy_sessions(request.user)[:50])
    deputy = access.user_deputy(request.user)
    if deputy is not None:
        entries = {e.session_id: e for e in deputy.rollentry_set.filter(session__in=sessions)}
    return [_session_out(s, entries.get(s.pk)) for s in sessions]


@staff_router.get(
    "/sessions/{session_id}", response={200: BallotOut, 401: ErrorOut, 404: ErrorOut}, summary="A session's ballot"
)
def get_ballot(request, session_id: int):
    session, entry = access.get_deputy_session(request.user, session_id)
    return {
        **_session_out(session, entry),
        "places": session.round.places,
        "options": [str(o) for o in options_for(session)],
        "items": [{"project": p.pk, "number": p.number, "title": p.title} for p in ballot_projects(session)],
    }


class CastIn(Schema):
    choices: dict[str, str] = Field(description='{"<project id>": "for" | "against" | "abstain" | …} for every item')
    secret: str = Field(min_length=16, max_length=128, description="made by the voter's device, kept by the voter")


class CastOut(Schema):
    receipt_code: str
    commitment: str


@staff_router.post(
    "/sessions/{session_id}/cast",
    response={201: CastOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Cast an electronic ballot (once; the answer is the receipt)",
)
def cast(request, session_id: int, data: CastIn):
    session, entry = access.get_deputy_session(request.user, session_id)
    try:
        receipt = voting.cast(
            request.user,
            session,
            entry.deputy,
            access.roles_on(request.user, session.round),
            data.choices,
            data.secret,
            ip=client_ip(request),
        )
    except ProjectsError as error:
        return refused(error)
    return Status(201, {"receipt_code": receipt.code, "commitment": receipt.commitment})


@staff_router.get("/rounds", response={200: list[RoundOut], 401: ErrorOut}, summary="Rounds I manage (staff)")
def staff_rounds(request):
    return [
        _round_out(r)
        for r in access.rounds_for(request.user).select_related("region").order_by("-year", "-id")[:ROUND_LIMIT]
    ]


@staff_router.post(
    "/rounds/{round_id}/advance",
    response={200: RoundOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Move a round to its next phase (staff)",
)
def advance(request, round_id: int):
    round_ = access.get_round_for_user(request.user, round_id)
    try:
        round_ = rounds.advance(request.user, round_, access.roles_on(request.user, round_), ip=client_ip(request))
    except ProjectsError as error:
        return refused(error)
    return _round_out(round_)
