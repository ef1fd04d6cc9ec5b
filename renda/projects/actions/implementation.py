"""Implementation and supervision: milestones with weights, progress reports, deputies' supervision visits."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.scope import scope_for

from ..models import EventKind, Milestone, ProgressReport, Project, ReportPhoto, Result, SupervisionVisit
from ..phases import Do, Role
from .common import ProjectsError, audit, event, lock_round, require


def _locked_project(project: Project, action: str, roles):
    round_ = lock_round(project.round)
    require(round_, action, roles)
    project = Project.objects.select_for_update().select_related("lead_unit").get(pk=project.pk)
    if project.result != Result.ELECTED:
        raise ProjectsError(_("Only elected projects are implemented."), code="not_elected")
    return round_, project


def _check_unit(user, project: Project, roles) -> None:
    """A unit's staff act only on the projects their unit leads; congress staff on any project of their round."""
    if Role.STAFF in roles:
        return
    if project.lead_unit_id not in scope_for(user).unit_ids:
        raise ProjectsError(_("Only the lead unit or congress staff may do this."), code="not_lead_unit")


def add_milestone(user, project: Project, roles, *, title: str, due, weight: int, ip=None) -> Milestone:
    with transaction.atomic():
        round_, project = _locked_project(project, Do.PLAN_MILESTONES, roles)
        _check_unit(user, project, roles)
        if not title.strip() or due is None:
            raise ProjectsError(_("Give the milestone's title and date."), code="empty")
        if not 1 <= int(weight) <= 100:
            raise ProjectsError(_("A milestone's weight is between 1 and 100."), code="weight")
        milestone = Milestone.objects.create(project=project, title=title.strip(), due=due, weight=weight)
        event(
            round_,
            EventKind.MILESTONE,
            gettext_lazy("%(number)d. %(title)s: milestone “%(milestone)s” planned for %(due)s (weight %(weight)d)."),
            {
                "number": project.number,
                "title": project.title,
                "milestone": milestone.title,
                "due": due,
                "weight": weight,
            },
            project=project,
        )
        audit(user, "milestone.add", project, {"milestone": milestone.title, "weight": weight}, ip)
    return milestone


def complete_milestone(user, milestone: Milestone, roles, *, done_on=None, note: str = "", ip=None) -> Milestone:
    with transaction.atomic():
        round_, project = _locked_project(milestone.project, Do.COMPLETE_MILESTONE, roles)
        _check_unit(user, project, roles)
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if milestone.done_on is not None:
            raise ProjectsError(_("This milestone is already done."), code="done")
        milestone.done_on = done_on or timezone.localdate()
        milestone.note = note.strip()
        milestone.save(update_fields=["done_on", "note"])
        event(
            round_,
            EventKind.MILESTONE,
            gettext_lazy("%(number)d. %(title)s: milestone “%(milestone)s” done on %(date)s."),
            {"number": project.number, "title": project.title, "milestone": milestone.title, "date": milestone.done_on},
            project=project,
        )
        audit(user, "milestone.complete", project, {"milestone": milestone.pk}, ip)
    return milestone


MAX_PHOTOS = 6


def report_progress(user, project: Project, roles, *, text: str, photos=(), ip=None) -> ProgressReport:
    """A report in words, with up to MAX_PHOTOS photos already re-encoded (renda.core.images.reencode_image)."""
    with transaction.atomic():
        round_, project = _locked_project(project, Do.REPORT_PROGRESS, roles)
        _check_unit(user, project, roles)
        if not text.strip():
            raise ProjectsError(_("Write what has been done."), code="empty")
        if len(photos) > MAX_PHOTOS:
            raise ProjectsError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS}, code="photos")
        author = project.lead_unit.name if Role.STAFF not in roles else _("People's congress staff")
        report = ProgressReport.objects.create(project=project, text=text.strip(), author=user, public_author=author)
        for photo in photos:
            ReportPhoto.objects.create(report=report, image=photo)
        event(
            round_,
            EventKind.PROGRESS,
            gettext_lazy("%(number)d. %(title)s: progress report by %(author)s."),
            {"number": project.number, "title": project.title, "author": author},
            project=project,
        )
        audit(user, "project.report", project, {"report": report.pk}, ip)
    return report


def record_visit(user, project: Project, roles, *, deputy, visited_on, findings: str, ip=None) -> SupervisionVisit:
    with transaction.atomic():
        round_, project = _locked_project(project, Do.RECORD_VISIT, roles)
        if Role.STAFF not in roles and deputy is None:
            raise ProjectsError(_("Only deputies and congress staff record supervision visits."), code="role")
        if not findings.strip() or visited_on is None:
            raise ProjectsError(_("Give the date and the findings of the visit."), code="empty")
        if visited_on > timezone.localdate():
            raise ProjectsError(_("A visit is recorded after it took place."), code="future")
        visit = SupervisionVisit.objects.create(
            project=project, deputy=deputy, visited_on=visited_on, findings=findings.strip()
        )
        event(
            round_,
            EventKind.VISIT,
            gettext_lazy("%(number)d. %(title)s: supervision visit on %(date)s%(by)s."),
            {
                "number": project.number,
                "title": project.title,
                "date": visited_on,
                "by": f"（{deputy.name}）" if deputy else "",
            },
            project=project,
        )
        audit(user, "project.visit", project, {"visit": visit.pk}, ip)
    return visit
