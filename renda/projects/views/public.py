"""The constituents' pages at /projects/: rounds, their history, candidates, results, the published ballot list,
a page per project, and proposing from the phone with similar proposals suggested while typing."""

from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renda.audit.actions import client_ip
from renda.core.paging import paginate

from .. import access
from ..actions import ProjectsError, proposals
from ..counting import count_record
from ..forms import ProposalForm, new_client_token
from ..models import Ballot, Option, ProposalStatus, Result, SessionStatus
from ..phases import Do, Phase, Role, allowed
from ..progress import board, project_progress
from ..search import similar_proposals
from ..submission import propose_public
from .common import refused

SUPPORT_SALT = "projects.mine-too"
BOARD_PHASES = (Phase.IMPLEMENTATION, Phase.EVALUATION, Phase.CLOSED)
COUNTED = (SessionStatus.CLOSED, SessionStatus.SIGNED, SessionStatus.PUBLISHED)


def rounds_list(request):
    page = paginate(request, access.public_rounds().order_by("-year", "-id"))
    return render(request, "projects/public/rounds.html", {"page": page})


def round_page(request, round_pk):
    """The round's public page. The projects part (board and candidate list, up to hundreds of cards) is cached as a
    fragment under the round's latest event: every change to a project writes an event, so a new event is a new key
    and nothing stale is ever shown (templates/projects/public/round.html, `{% cache %}`)."""
    round_ = access.get_public_round(round_pk)
    published = round_.candidates_published_at is not None
    last_event = round_.events.order_by("-id").values_list("id", flat=True).first() or 0
    context = {
        "round": round_,
        "phases": round_.phases.all(),
        "projects": round_.projects.select_related("lead_unit") if published else [],
        "proposals": round_.proposals.select_related("merged_into").order_by("-supporters_count", "-created")[:200],
        "sessions": round_.sessions.filter(status__in=COUNTED),
        "may_propose": allowed(round_.phase, Do.PROPOSE, {Role.PUBLIC}),
        "Result": Result,
        "follow_up": round_.projects.filter(follow_up=True),
        "board": SimpleLazyObject(lambda: board(round_)) if round_.phase in BOARD_PHASES else [],
        "fragment_version": f"{round_.pk}.{round_.created.timestamp()}.{last_event}",
    }
    return render(request, "projects/public/round.html", context)


def history(request, round_pk):
    round_ = access.get_public_round(round_pk)
    events = round_.events.select_related("project").order_by("created", "id")
    return render(request, "projects/public/history.html", {"round": round_, "page": paginate(request, events)})


def project_page(request, round_pk, project_pk):
    round_ = access.get_public_round(round_pk)
    if round_.candidates_published_at is None:
        raise Http404("list not published")
    project = access.get_project_for_user(None, round_, project_pk)
    context = {
        "round": round_,
        "project": project,
        "sources": project.proposals.all(),
        "events": project.events.order_by("created", "id"),
        "progress": project_progress(project),
        "milestones": project.milestones.all(),
        "reports": project.reports.prefetch_related("photos")[:50],
        "visits": project.visits.select_related("deputy")[:50],
    }
    return render(request, "projects/public/project.html", context)


def ballots_page(request, round_pk, session_pk):
    """Every receipt with its commitment; separately, every ballot's choices in their (shuffled) stored order."""
    round_ = access.get_public_round(round_pk)
    session = round_.sessions.filter(pk=session_pk, status__in=COUNTED).first()
    if session is None:
        raise Http404("no published ballots")
    projects = list(session.tallies.values_list("project_id", flat=True).distinct())
    numbers = dict(round_.projects.filter(pk__in=projects).values_list("pk", "number"))
    labels = dict(Option.choices)
    ballots = [
        sorted(((numbers.get(int(pk), pk), labels.get(choice, choice)) for pk, choice in b.choices.items()))
        for b in Ballot.objects.filter(session=session).order_by("id")
    ]
    context = {
        "round": round_,
        "session": session,
        "receipts": session.receipts.order_by("code").values_list("code", "commitment"),
        "ballots": ballots,
        "record": count_record(session),
        "find": (request.GET.get("receipt") or "").strip().upper()[:16],
    }
    return render(request, "projects/public/ballots.html", context)


def _sign(pk: int) -> str:
    return signing.dumps(pk, salt=SUPPORT_SALT, compress=False)


def station_propose(request, code):
    """From a station's QR code: the open round of the station's region (the nearest one up the tree)."""
    from renda.stations.models import Station

    station = Station.objects.filter(public_code=code.upper(), is_active=True).select_related("region").first()
    if station is None:
        raise Http404("no such station")
    open_rounds = access.public_rounds().filter(phase=Phase.SOLICITATION).order_by("-year", "-id")
    for round_ in open_rounds[:50]:
        if round_.region.contains_path(station.region.path):
            return redirect(f"{reverse('projects_public:propose', args=[round_.pk])}?station={station.public_code}")
    messages.info(request, _("No round near this station is taking proposals now."))
    return redirect("projects_public:rounds")


def _station(request, round_):
    from renda.stations.models import Station

    code = (request.GET.get("station") or request.POST.get("station") or "").upper()[:12]
    station = (
        Station.objects.filter(public_code=code, is_active=True).select_related("region").first() if code else None
    )
    return station if station is not None and round_.region.contains_path(station.region.path) else None


@require_http_methods(["GET", "POST"])
def propose(request, round_pk):
    round_ = access.get_public_round(round_pk)
    station = _station(request, round_)
    if round_.phase != Phase.SOLICITATION:
        messages.error(request, _("This round no longer takes proposals."))
        return redirect("projects_public:round", round_pk=round_.pk)
    form = ProposalForm(request.POST or None, initial={"client_token": new_client_token()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = propose_public(round_, form.cleaned_data, ip=client_ip(request) or "-", station=station)
            except ProjectsError as error:
                refused(request, error)
                status = 429 if error.code == "rate_limited" else 400
            else:
                return redirect("projects_public:proposal", round_pk=round_.pk, code=proposal.tracking_code)
        else:
            status = 400
    context = {"round": round_, "form": form, "station": station}
    return render(request, "projects/public/propose.html", context, status=status)


def similar(request, round_pk):
    round_ = access.get_public_round(round_pk)
    text = " ".join(request.GET.get(key, "") for key in ("title", "description"))[:500]
    found = [(p, _sign(p.pk)) for p in similar_proposals(round_, text)]
    return render(request, "projects/public/_similar.html", {"round": round_, "similar": found})


@require_POST
def mine_too(request, round_pk):
    round_ = access.get_public_round(round_pk)
    try:
        pk = int(signing.loads(request.POST.get("ref", ""), salt=SUPPORT_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        raise Http404("no such proposal") from None
    proposal = round_.proposals.filter(pk=pk).first()
    if proposal is None:
        raise Http404("no such proposal")
    try:
        proposals.support(proposal, client_token=request.POST.get("client_token") or None)
    except ProjectsError as error:
        refused(request, error)
        return redirect("projects_public:round", round_pk=round_.pk)
    messages.success(request, _("Thank you: your support was added to this proposal."))
    return redirect("projects_public:proposal", round_pk=round_.pk, code=proposal.tracking_code)


def proposal_page(request, round_pk, code):
    round_ = access.get_public_round(round_pk)
    proposal = round_.proposals.filter(tracking_code=code.upper()).select_related("merged_into").first()
    if proposal is None:
        raise Http404("no such proposal")
    context = {
        "round": round_,
        "proposal": proposal,
        "projects": proposal.projects.all(),
        "events": proposal.events.order_by("created", "id"),
        "ProposalStatus": ProposalStatus,
    }
    return render(request, "projects/public/proposal.html", context)


def popolo(request):
    """Published votes as Popolo open data (motions, vote events with counts); see projects/popolo.py."""
    from django.http import JsonResponse
    from django.utils.cache import patch_cache_control

    from ..popolo import build

    response = JsonResponse(build(request), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=600)
    return response


def results_download(request, round_pk, session_pk, fmt):
    """The count record and results of a published session, as .xlsx or .pdf."""
    from django.http import HttpResponse

    from ..exports import results_pdf, results_xlsx

    round_ = access.get_public_round(round_pk)
    session = round_.sessions.filter(pk=session_pk, status=SessionStatus.PUBLISHED).first()
    if session is None or fmt not in ("xlsx", "pdf"):
        raise Http404("no published results")
    session.round = round_
    if fmt == "xlsx":
        return results_xlsx(session)
    response = HttpResponse(results_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="results-{session.pk}.pdf"'
    return response
