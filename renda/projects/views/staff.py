"""The back office at /staff/projects/: rounds, screening, the candidate list, sessions, counts and results.

Rounds come only from access.rounds_for (congress staff of the round's region); another region's round, and
anything under it, is missing (404). Deputies and units reach a round's proposal form through `roles_on`.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import congress_staff_required, staff_required
from renda.accounts.region_access import regions_for
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip
from renda.core.paging import paginate
from renda.regions.models import VILLAGE_KINDS

from .. import access
from ..actions import ProjectsError, candidates, proposals, rounds, sessions
from ..counting import ballot_projects, count_record, options_for
from ..forms import PaperCountForm, ProjectForm, ProposalForm, RoundForm, ScreenForm, SessionForm, TieForm
from ..models import OfficerRole, Project, ProposalStatus, Result, SessionStatus
from ..phases import Do, Role, allowed
from ..rules import PaperCount
from .common import refused

REGION_OPTIONS_LIMIT = 1000


def _round(request, round_pk):
    return access.get_round_for_user(request.user, round_pk)


def _roles(request, round_):
    return access.roles_on(request.user, round_)


@congress_staff_required
def home(request):
    rounds_ = (
        access.rounds_for(request.user)
        .select_related("region")
        .annotate(n_proposals=Count("proposals", distinct=True), n_projects=Count("projects", distinct=True))
    )
    return render(request, "projects/staff/home.html", {"page": paginate(request, rounds_.order_by("-year", "-id"))})


@congress_staff_required
def round_create(request):
    regions = list(
        regions_for(request.user)
        .exclude(kind__in=[str(k) for k in VILLAGE_KINDS])
        .only("name", "path", "kind")[:REGION_OPTIONS_LIMIT]
    )
    form = RoundForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = rounds.create_round(
                request.user,
                region=data["region"],
                year=data["year"],
                title=data["title"],
                places=data["places"],
                body=data["body"],
                dates=form.dates(),
                electorate=data["electorate"],
                ip=client_ip(request),
            )
        except ProjectsError as error:
            refused(request, error)
        else:
            return redirect("projects:round", round_pk=round_.pk)
    return render(request, "projects/staff/round_form.html", {"form": form}, status=400 if form.errors else 200)


@congress_staff_required
def round_detail(request, round_pk):
    round_ = _round(request, round_pk)
    roles = _roles(request, round_)
    proposals_ = round_.proposals.select_related("merged_into").order_by("status", "-created")
    context = {
        "round": round_,
        "roles": roles,
        "phases": round_.phases.all(),
        "proposals": proposals_,
        "projects": round_.projects.select_related("lead_unit").annotate(n_sources=Count("proposals")),
        "sessions": round_.sessions.all(),
        "events": round_.events.order_by("-created", "-id")[:20],
        "can": {action: allowed(round_.phase, action, roles) for action in Do.values},
        "screen_form": ScreenForm(round_=round_),
        "accepted": list(round_.proposals.filter(status=ProposalStatus.ACCEPTED)[:1000]),
        "project_form": ProjectForm(round_=round_),
        "session_form": SessionForm(deputies=access.entitled_deputies(round_).order_by("name")),
        "tied": round_.projects.filter(result=Result.TIE),
        "tie_form": TieForm(tied=round_.projects.filter(result=Result.TIE)),
        "pending": proposals_.filter(status=ProposalStatus.SUBMITTED).count(),
        "earlier_follow_up": Project.objects.filter(
            round__region=round_.region, round__year__lt=round_.year, follow_up=True
        ).select_related("round", "lead_unit")[:100],
    }
    return render(request, "projects/staff/round.html", context)


@require_POST
@congress_staff_required
def advance(request, round_pk):
    round_ = _round(request, round_pk)
    try:
        rounds.advance(request.user, round_, _roles(request, round_), ip=client_ip(request))
    except ProjectsError as error:
        refused(request, error)
    return redirect("projects:round", round_pk=round_.pk)


@require_POST
@congress_staff_required
def screen(request, round_pk, proposal_pk):
    round_ = _round(request, round_pk)
    proposal = access.get_proposal_for_user(request.user, round_, proposal_pk)
    form = ScreenForm(request.POST, round_=round_)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("projects:round", round_pk=round_.pk)
    data = form.cleaned_data
    try:
        proposals.screen(
            request.user,
            proposal,
            _roles(request, round_),
            decision=data["decision"],
            reason=data["reason"],
            note=data["note"],
            merged_into=data["merged_into"],
            ip=client_ip(request),
        )
    except ProjectsError as error:
        refused(request, error)
    return redirect(reverse("projects:round", args=[round_.pk]) + f"#proposal-{proposal.pk}")


@require_POST
@congress_staff_required
def promote_opinion(request, round_pk):
    """An opinion in the user's inbox (by its tracking code) becomes a proposal linking back to it."""
    from renda.opinions.access import opinions_for

    round_ = _round(request, round_pk)
    code = (request.POST.get("code") or "").strip().upper()
    opinion = opinions_for(request.user).filter(tracking_code=code).select_related("region", "station").first()
    if opinion is None:
        messages.error(request, _("No opinion with this tracking code in your inbox."))
        return redirect("projects:round", round_pk=round_.pk)
    try:
        proposals.promote_opinion(
            request.user,
            round_,
            opinion,
            _roles(request, round_),
            title=request.POST.get("title", ""),
            ip=client_ip(request),
        )
    except ProjectsError as error:
        refused(request, error)
    else:
        messages.success(request, _("The opinion is now a proposal of this round."))
    return redirect("projects:round", round_pk=round_.pk)


@require_POST
@congress_staff_required
def project_add(request, round_pk):
    round_ = _round(request, round_pk)
    form = ProjectForm(request.POST, round_=round_)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {error}")
        return redirect("projects:round", round_pk=round_.pk)
    try:
        candidates.add_project(
            request.user, round_, _roles(request, round_), ip=client_ip(request), **form.cleaned_data
        )
    except ProjectsError as error:
        refused(request, error)
    return redirect("projects:round", round_pk=round_.pk)


@require_POST
@congress_staff_required
def project_remove(request, round_pk, project_pk):
    round_ = _round(request, round_pk)
    project = access.get_project_for_user(request.user, round_, project_pk)
    try:
        candidates.remove_project(request.user, project, _roles(request, round_), ip=client_ip(request))
    except ProjectsError as error:
        refused(request, error)
    return redirect("projects:round", round_pk=round_.pk)


@require_POST
@congress_staff_required
def publish_candidates(request, round_pk):
    round_ = _round(request, round_pk)
    try:
        candidates.publish_candidates(request.user, round_, _roles(request, round_), ip=client_ip(request))
    except ProjectsError as error:
        refused(request, error)
    return redirect("projects:round", round_pk=round_.pk)


@require_POST
@congress_staff_required
def decide_tie(request, round_pk):
    round_ = _round(request, round_pk)
    form = TieForm(request.POST, tied=round_.projects.filter(result=Result.TIE))
    if not form.is_valid():
        messages.error(request, _("Choose the elected projects and say how the tie was decided."))
        return redirect("projects:round", round_pk=round_.pk)
    try:
        sessions.decide_tie(
            request.user,
            round_,
            _roles(request, round_),
            elected=list(form.cleaned_data["elected"]),
            note=form.cleaned_data["note"],
            ip=client_ip(request),
        )
    except ProjectsError as error:
        refused(request, error)
    return redirect("projects:round", round_pk=round_.pk)


@require_POST
@congress_staff_required
def session_create(request, round_pk):
    from ..forms import kind_for_phase

    round_ = _round(request, round_pk)
    form = SessionForm(request.POST, deputies=access.entitled_deputies(round_))
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {error}")
        return redirect("projects:round", round_pk=round_.pk)
    data = form.cleaned_data
    try:
        session = sessions.prepare_session(
            request.user,
            round_,
            _roles(request, round_),
            kind=kind_for_phase(round_.phase),
            method=data["method"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            scrutineers=list(data["scrutineers"]),
            counters=form.counter_names(),
            ip=client_ip(request),
        )
    except ProjectsError as error:
        refused(request, error)
        return redirect("projects:round", round_pk=round_.pk)
    return redirect("projects:session", round_pk=round_.pk, session_pk=session.pk)


def _session(request, round_pk, session_pk) -> tuple:
    round_ = _round(request, round_pk)
    return round_, access.get_session_for_user(request.user, round_, session_pk)


def _paper_form(session, data=None):
    return PaperCountForm(data, projects=ballot_projects(session), options=options_for(session))


@congress_staff_required
def session_detail(request, round_pk, session_pk):
    round_, session = _session(request, round_pk, session_pk)
    roll = session.roll.select_related("deputy").order_by("deputy__name", "deputy_id")
    context = {
        "round": round_,
        "session": session,
        "roll": roll,
        "record": count_record(session),
        "officers": session.officers.select_related("deputy"),
        "paper_form": _paper_form(session),
        "Status": SessionStatus,
        "OfficerRole": OfficerRole,
    }
    return render(request, "projects/staff/session.html", context)


SESSION_STEPS = {
    "open": sessions.open_session,
    "start": sessions.start_voting,
    "close": sessions.close_voting,
    "publish": sessions.publish_results,
}


@require_POST
@congress_staff_required
def session_step(request, round_pk, session_pk, step):
    round_, session = _session(request, round_pk, session_pk)
    if step not in SESSION_STEPS:
        raise Http404("no such step")
    try:
        SESSION_STEPS[step](request.user, session, _roles(request, round_), ip=client_ip(request))
    except ProjectsError as error:
        refused(request, error)
    return redirect("projects:session", round_pk=round_.pk, session_pk=session.pk)


@require_POST
@congress_staff_required
def presence(request, round_pk, session_pk):
    round_, session = _session(request, round_pk, session_pk)
    try:
        ids = [int(pk) for pk in request.POST.getlist("present")]
        sessions.record_presence(request.user, session, _roles(request, round_), ids, ip=client_ip(request))
    except ValueError:
        messages.error(request, _("Tick the deputies who are present."))
    except ProjectsError as error:
        refused(request, error)
    else:
        messages.success(request, _("Presence recorded."))
    return redirect("projects:session", round_pk=round_.pk, session_pk=session.pk)


@require_POST
@congress_staff_required
def paper_count(request, round_pk, session_pk):
    round_, session = _session(request, round_pk, session_pk)
    form = _paper_form(session, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        count = PaperCount(
            data["issued"], data["returned"], data["valid"], data["invalid"], data["blank"], form.lines()
        )
        try:
            sessions.enter_paper_count(request.user, session, _roles(request, round_), count, ip=client_ip(request))
        except ProjectsError as error:
            refused(request, error)
        else:
            messages.success(request, _("Paper count recorded."))
            return redirect("projects:session", round_pk=round_.pk, session_pk=session.pk)
    else:
        messages.error(request, _("Enter every number (0 or more)."))
    context = {
        "round": round_,
        "session": session,
        "roll": session.roll.select_related("deputy").order_by("deputy__name"),
        "record": count_record(session),
        "officers": session.officers.select_related("deputy"),
        "paper_form": form,
        "Status": SessionStatus,
        "OfficerRole": OfficerRole,
    }
    return render(request, "projects/staff/session.html", context, status=400)


# Deputies and units propose from the back office -------------------------------------------------------------------


def _proposing_round(request, round_pk):
    """A round in which the user proposes as deputy, unit or staff; anything else is missing."""
    round_ = access.get_public_round(round_pk)
    roles = access.roles_on(request.user, round_) - {Role.PUBLIC}
    if not roles:
        raise Http404("not in this round")
    return round_, roles


@staff_required
def propose(request, round_pk):
    round_, roles = _proposing_round(request, round_pk)
    role = next(r for r in (Role.DEPUTY, Role.UNIT, Role.STAFF) if r in roles)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = None
        if role == Role.UNIT:
            from renda.people.models import Unit

            unit = Unit.objects.filter(pk__in=scope_for(request.user).unit_ids).first()
        try:
            proposals.propose(
                round_,
                role=role,
                roles=roles,
                user=request.user,
                deputy=access.user_deputy(request.user) if role == Role.DEPUTY else None,
                unit=unit,
                title=data["title"],
                description=data["description"],
                place=data["place"],
                reason=data["reason"],
                client_token=data["client_token"],
                ip=client_ip(request),
            )
        except ProjectsError as error:
            refused(request, error)
        else:
            messages.success(request, _("Your proposal was recorded."))
            return redirect("projects_public:round", round_pk=round_.pk)
    return render(request, "projects/staff/propose.html", {"round": round_, "form": form, "role": Role(role).label})
