"""The deputy's phone pages: the sessions they are on the roll of, the ballot (one step, a visible confirmation and
the receipt), and for scrutineers the count record to sign."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renda.accounts.decorators import staff_required
from renda.audit.actions import client_ip

from .. import access
from ..actions import ProjectsError, sessions, voting
from ..ballots import canonical, new_secret, valid_secret
from ..counting import ballot_projects, count_record, options_for
from ..models import OfficerRole, Option, SessionKind
from .common import refused


@staff_required
def my_sessions(request):
    """A deputy's sessions, and the elected projects a deputy supervises or a unit leads."""
    context = {
        "sessions": access.deputy_sessions(request.user)[:50],
        "projects": access.projects_to_follow(request.user)[:200],
        "open_rounds": access.rounds_to_propose_in(request.user),
    }
    return render(request, "projects/deputy/sessions.html", context)


def _ballot_context(request, session, entry, **extra):
    return {
        "session": session,
        "round": session.round,
        "entry": entry,
        "projects": list(ballot_projects(session).select_related("lead_unit")),
        "options": options_for(session),
        "is_vote": session.kind == SessionKind.VOTE,
        "scrutineer": session.officers.filter(role=OfficerRole.SCRUTINEER, deputy=entry.deputy).first(),
        "record": count_record(session),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@staff_required
def ballot(request, session_pk):
    session, entry = access.get_deputy_session(request.user, session_pk)
    if request.method != "POST":
        return render(request, "projects/deputy/ballot.html", _ballot_context(request, session, entry))
    projects = ballot_projects(session)
    choices = {str(p.pk): request.POST.get(f"p{p.pk}", Option.ABSTAIN) for p in projects}
    secret = request.POST.get("secret", "")
    server_made_secret = not secret
    if server_made_secret:
        secret = new_secret()
    elif not valid_secret(secret):
        secret = ""
    try:
        receipt = voting.cast(
            request.user,
            session,
            entry.deputy,
            access.roles_on(request.user, session.round),
            choices,
            secret,
            ip=client_ip(request),
        )
    except ProjectsError as error:
        refused(request, error)
        context = _ballot_context(request, session, entry, chosen=choices)
        return render(request, "projects/deputy/ballot.html", context, status=400)
    labels = dict(Option.choices)
    chosen = [(project, labels[receipt.choices[str(project.pk)]]) for project in projects]
    context = {
        "session": session,
        "round": session.round,
        "receipt": receipt,
        "secret": secret,
        "server_made_secret": server_made_secret,
        "chosen": chosen,
        "canonical": canonical(receipt.choices),
    }
    return render(request, "projects/deputy/receipt.html", context)


@require_POST
@staff_required
def sign(request, session_pk):
    session, entry = access.get_deputy_session(request.user, session_pk)
    try:
        sessions.sign_off(
            request.user, session, access.roles_on(request.user, session.round), entry.deputy, ip=client_ip(request)
        )
    except ProjectsError as error:
        refused(request, error)
    else:
        messages.success(request, _("You signed the count record."))
    return redirect("projects:ballot", session_pk=session.pk)
