"""Public activities as Popolo events (/opendata/activities.json): published or finished, marked public.

- event/activity/<id>: name, kind (classification), start and end, place (location), status (planned / completed),
  the organising region's congress or CPPCC (organization_id: organization/activities-organiser/<region code>);
- attendees: deputies and members by their public names and open-data ids (person/deputy/<public code>) — those
  recorded present, or, before attendance is recorded, those who said they attend. Nothing else about a person.

A fixed number of queries: the activities, then their attendees.
"""

from collections import defaultdict

from django.urls import reverse

from renda.workdays.calendar import CHINA

from .access import public_activities
from .models import Invitation, Status
from .workflow import TAKING_PART_Q

LIMIT = 5000  # the newest public activities; older ones stay on their public pages


def _iso(value) -> str:
    return value.astimezone(CHINA).replace(microsecond=0).isoformat()


def build(request) -> dict:
    activities = list(public_activities().select_related("region", "kind").order_by("-starts_at", "-id")[:LIMIT])
    attendees = defaultdict(list)
    present = TAKING_PART_Q
    for invitation in (
        Invitation.objects.filter(activity__in=[a.pk for a in activities])
        .filter(present)
        .select_related("deputy", "member")
        .order_by("activity_id", "id")
    ):
        person = invitation.deputy or invitation.member
        if not person.is_active:
            continue
        kind = "deputy" if invitation.deputy_id else "member"
        attendees[invitation.activity_id].append({"id": f"person/{kind}/{person.public_code}", "name": person.name})
    organizations, events = {}, []
    for activity in activities:
        org_id = f"organization/activities-organiser/{activity.body}/{activity.region.code}"
        organizations[org_id] = {
            "id": org_id,
            "name": f"{activity.region.name}{'人大常委会' if activity.body == 'congress' else '政协'}",
            "classification": activity.body,
            "area_id": f"area/{activity.region.code}",
        }
        events.append(
            {
                "id": f"event/activity/{activity.pk}",
                "name": activity.title,
                "description": activity.theme,
                "classification": activity.kind.name,
                "start_date": _iso(activity.starts_at),
                "end_date": _iso(activity.ends_at),
                "location": activity.place,
                "status": "completed" if activity.status == Status.FINISHED else "planned",
                "organization_id": org_id,
                "attendees": attendees[activity.pk],
                "sources": [
                    {"url": request.build_absolute_uri(reverse("activities_public:activity", args=[activity.pk]))}
                ],
            }
        )
    return {"organizations": sorted(organizations.values(), key=lambda o: o["id"]), "events": events}
