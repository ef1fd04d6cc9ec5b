"""Overdue milestones remind and escalate, like opinion deadlines: the lead unit's staff hear of a milestone past its
date; after PROJECTS_MILESTONE_ESCALATE_DAYS more days the congress staff of the round's region are told (督办).

`manage.py projects_milestones` runs this daily. Each message has a dedupe key naming the milestone, the step and the
recipient, so a second run the same day (or any later day) queues nothing twice.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.opinions import recipients
from renda.workdays.calendar import CHINA

from .phases import Phase
from .progress import overdue_milestones

LIVE = (Phase.IMPLEMENTATION, Phase.EVALUATION)


@dataclass
class Summary:
    reminded: int = 0
    escalated: int = 0


def milestone_reminders(now=None) -> Summary:
    now = now or timezone.now()
    today = now.astimezone(CHINA).date()
    summary = Summary()
    milestones = overdue_milestones(today).filter(project__round__phase__in=LIVE).select_related("project__lead_unit")
    for milestone in milestones:
        project = milestone.project
        context = {
            "round": project.round.title,
            "number": project.number,
            "project": project.title,
            "milestone": milestone.title,
            "due": milestone.due.isoformat(),
            "unit": project.lead_unit.name,
            "url": f"{settings.PUBLIC_BASE_URL}/staff/projects/{project.round_id}/projects/{project.pk}/",
        }
        for user in recipients.unit_staff(project.lead_unit_id):
            if enqueue(
                channel=Channel.SITE,
                template="milestone_overdue",
                context=context,
                dedupe_key=f"milestone:{milestone.pk}:overdue:u{user.pk}",
                user=user,
            ):
                summary.reminded += 1
        if (today - milestone.due).days >= settings.PROJECTS_MILESTONE_ESCALATE_DAYS:
            _region, staff = recipients.supervisors(project.round.region, include_self=True)
            for user in staff:
                if enqueue(
                    channel=Channel.SITE,
                    template="milestone_escalated",
                    context=context,
                    dedupe_key=f"milestone:{milestone.pk}:escalated:u{user.pk}",
                    user=user,
                ):
                    summary.escalated += 1
    return summary
