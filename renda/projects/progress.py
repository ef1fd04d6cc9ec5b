"""A project's progress: the weighted share of its completed milestones (Decidim's roll-up, never a typed number)."""

from django.db.models import Q, Sum
from django.utils import timezone

from .models import Milestone, Project, Result


def percent(done: int | None, total: int | None) -> int | None:
    """Completed weight as a whole percentage (rounded down: 99.6% is not done); None without milestones."""
    if not total:
        return None
    return (done or 0) * 100 // total


def with_progress(projects):
    """Annotate `weight_total` and `weight_done` in the same query (the board lists all projects at once)."""
    return projects.annotate(
        weight_total=Sum("milestones__weight"),
        weight_done=Sum("milestones__weight", filter=Q(milestones__done_on__isnull=False)),
    )


def project_progress(project: Project) -> int | None:
    milestones = list(project.milestones.values_list("weight", "done_on"))
    return percent(sum(w for w, done in milestones if done), sum(w for w, _done in milestones))


def board(round_):
    """The round's elected projects with their progress, most advanced first; no milestones last."""
    rows = list(with_progress(round_.projects.filter(result=Result.ELECTED).select_related("lead_unit")))
    for project in rows:
        project.progress = percent(project.weight_done, project.weight_total)
    rows.sort(key=lambda p: (p.progress is None, -(p.progress or 0), p.number))
    return rows


def overdue_milestones(today=None):
    """Milestones past their date and not done, oldest first (for reminders and the staff pages)."""
    today = today or timezone.localdate()
    return Milestone.objects.filter(done_on__isnull=True, due__lt=today).select_related("project__round__region")
