"""A project's implementation page in the back office: milestones, progress reports and supervision visits.

Open to congress staff of the round's region, the lead unit's staff and the round's deputies (access.
get_project_for_actor); what each may do follows phases.GRID and the actions' own checks."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.audit.actions import client_ip
from renda.core.images import reencode_image

from .. import access
from ..actions import ProjectsError, implementation
from ..phases import Do, allowed
from ..progress import project_progress
from .common import refused


def _back(round_, project):
    return redirect("projects:project", round_pk=round_.pk, project_pk=project.pk)


@staff_required
def project_detail(request, round_pk, project_pk):
    round_, project, roles = access.get_project_for_actor(request.user, round_pk, project_pk)
    context = {
        "round": round_,
        "project": project,
        "progress": project_progress(project),
        "milestones": project.milestones.all(),
        "reports": project.reports.prefetch_related("photos")[:50],
        "visits": project.visits.select_related("deputy")[:50],
        "can": {action: allowed(round_.phase, action, roles) for action in Do.values},
        "today": timezone.localdate().isoformat(),
        "today_date": timezone.localdate(),
    }
    return render(request, "projects/staff/project.html", context)


def _date(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


@require_POST
@staff_required
def milestone_add(request, round_pk, project_pk):
    round_, project, roles = access.get_project_for_actor(request.user, round_pk, project_pk)
    try:
        weight = int(request.POST.get("weight") or 0)
        implementation.add_milestone(
            request.user,
            project,
            roles,
            title=request.POST.get("title", ""),
            due=_date(request.POST.get("due")),
            weight=weight,
            ip=client_ip(request),
        )
    except ValueError:
        messages.error(request, _("A milestone's weight is between 1 and 100."))
    except ProjectsError as error:
        refused(request, error)
    return _back(round_, project)


@require_POST
@staff_required
def milestone_done(request, round_pk, project_pk, milestone_pk):
    round_, project, roles = access.get_project_for_actor(request.user, round_pk, project_pk)
    milestone = project.milestones.filter(pk=milestone_pk).first()
    if milestone is None:
        from django.http import Http404

        raise Http404("no such milestone")
    try:
        implementation.complete_milestone(
            request.user, milestone, roles, note=request.POST.get("note", ""), ip=client_ip(request)
        )
    except ProjectsError as error:
        refused(request, error)
    return _back(round_, project)


@require_POST
@staff_required
def report(request, round_pk, project_pk):
    round_, project, roles = access.get_project_for_actor(request.user, round_pk, project_pk)
    photos = []
    for upload in request.FILES.getlist("photos")[: implementation.MAX_PHOTOS + 1]:
        try:
            photos.append(reencode_image(upload))
        except ValidationError as error:
            messages.error(request, f"{upload.name}: {' '.join(error.messages)}")
            return _back(round_, project)
    try:
        implementation.report_progress(
            request.user, project, roles, text=request.POST.get("text", ""), photos=photos, ip=client_ip(request)
        )
    except ProjectsError as error:
        refused(request, error)
    return _back(round_, project)


@require_POST
@staff_required
def visit(request, round_pk, project_pk):
    round_, project, roles = access.get_project_for_actor(request.user, round_pk, project_pk)
    try:
        implementation.record_visit(
            request.user,
            project,
            roles,
            deputy=access.user_deputy(request.user),
            visited_on=_date(request.POST.get("visited_on")),
            findings=request.POST.get("findings", ""),
            ip=client_ip(request),
        )
    except ProjectsError as error:
        refused(request, error)
    return _back(round_, project)
