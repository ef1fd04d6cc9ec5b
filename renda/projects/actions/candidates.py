"""The candidate list (差额): projects with budget, lead unit, timeline and source proposals, then approved and
published with more candidates than places."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import lead_units
from ..models import EventKind, Project, Proposal, ProposalStatus, Round
from ..phases import Do
from ..rules import min_candidates
from .common import ProjectsError, audit, event, lock_round, require


def _check(round_: Round, *, title, description, budget, lead_unit, timeline, proposals) -> None:
    if not (title or "").strip() or not (description or "").strip() or not (timeline or "").strip():
        raise ProjectsError(_("Give the project's title, description and timeline."), code="empty")
    if budget is None or Decimal(budget) <= 0:
        raise ProjectsError(_("Give the project's budget."), code="budget")
    if lead_unit is None or not lead_units(round_).filter(pk=lead_unit.pk).exists():
        raise ProjectsError(_("Choose a lead unit of the round's region."), code="unit")
    ids = {proposal.pk for proposal in proposals}
    if Proposal.objects.filter(pk__in=ids, round=round_, status=ProposalStatus.ACCEPTED).count() != len(ids):
        raise ProjectsError(_("Source proposals must be accepted proposals of this round."), code="proposals")


def _locked_editable(round_: Round, roles) -> Round:
    round_ = lock_round(round_)
    require(round_, Do.EDIT_CANDIDATES, roles)
    if round_.candidates_published_at is not None:
        raise ProjectsError(_("The candidate list is published and can no longer change."), code="published")
    return round_


def add_project(
    user, round_: Round, roles, *, title, description, budget, lead_unit, timeline, proposals=(), ip=None
) -> Project:
    with transaction.atomic():
        round_ = _locked_editable(round_, roles)
        proposals = list(proposals)
        _check(
            round_,
            title=title,
            description=description,
            budget=budget,
            lead_unit=lead_unit,
            timeline=timeline,
            proposals=proposals,
        )
        number = (round_.projects.aggregate(n=Max("number"))["n"] or 0) + 1
        project = Project.objects.create(
            round=round_,
            number=number,
            title=title.strip(),
            description=description.strip(),
            budget=budget,
            lead_unit=lead_unit,
            timeline=timeline.strip(),
        )
        project.proposals.set(proposals)
        event(
            round_,
            EventKind.CANDIDATE,
            gettext_lazy("Candidate %(number)d added: %(title)s (%(budget)s × 10,000 yuan, %(unit)s)."),
            {"number": number, "title": project.title, "budget": budget, "unit": lead_unit.name},
            project=project,
        )
        audit(user, "project.add", project, {"title": project.title, "budget": str(budget)}, ip)
    return project


def update_project(user, project: Project, roles, *, ip=None, **data) -> Project:
    with transaction.atomic():
        round_ = _locked_editable(project.round, roles)
        project = Project.objects.select_for_update().get(pk=project.pk)
        proposals = list(data.pop("proposals", project.proposals.all()))
        merged = {
            field: data.get(field, getattr(project, field))
            for field in ("title", "description", "budget", "lead_unit", "timeline")
        }
        _check(round_, proposals=proposals, **merged)
        changes = {}
        for field, value in merged.items():
            if getattr(project, field) != value:
                changes[field] = [str(getattr(project, field)), str(value)]
                setattr(project, field, value)
        project.save()
        project.proposals.set(proposals)
        if changes:
            event(
                round_,
                EventKind.CANDIDATE,
                gettext_lazy("Candidate %(number)d changed: %(fields)s."),
                {
                    "number": project.number,
                    "fields": ", ".join(str(Project._meta.get_field(f).verbose_name) for f in changes),
                },
                project=project,
            )
        audit(user, "project.update", project, changes, ip)
    return project


def remove_project(user, project: Project, roles, *, ip=None) -> None:
    with transaction.atomic():
        round_ = _locked_editable(project.round, roles)
        event(
            round_,
            EventKind.CANDIDATE,
            gettext_lazy("Candidate %(number)d removed: %(title)s."),
            {"number": project.number, "title": project.title},
        )
        audit(user, "project.remove", project, {"title": project.title}, ip)
        project.delete()


def publish_candidates(user, round_: Round, roles, *, ip=None, now=None) -> Round:
    """Approve and publish the list: refused without the surplus the round requires (差额)."""
    with transaction.atomic():
        round_ = lock_round(round_)
        require(round_, Do.PUBLISH_CANDIDATES, roles)
        if round_.candidates_published_at is not None:
            raise ProjectsError(_("The candidate list is already published."), code="published")
        count = round_.projects.count()
        needed = min_candidates(round_.places, round_.min_extra, round_.min_ratio)
        if count < needed:
            raise ProjectsError(
                _("%(places)d places need at least %(needed)d candidates; the list has %(count)d.")
                % {"places": round_.places, "needed": needed, "count": count},
                code="surplus",
            )
        round_.candidates_published_at = now or timezone.now()
        round_.save(update_fields=["candidates_published_at"])
        event(
            round_,
            EventKind.CANDIDATES_PUBLISHED,
            gettext_lazy("Candidate list approved and published: %(count)d candidates for %(places)d places."),
            {"count": count, "places": round_.places},
        )
        audit(user, "round.publish_candidates", round_, {"candidates": count}, ip)
    return round_
