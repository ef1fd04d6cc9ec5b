"""What is on a calendar: one `Entry` per activity invitation, reception duty and voting session of a person, or per
activity and reception day of a region — each read through its own app's access function, nothing written.

Entries are plain data so that the phone page, the staff page and the iCalendar feed show the same things.
"""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.activities import access as activity_access
from renda.activities.models import Answer, Status
from renda.projects import access as project_access
from renda.receptions import access as reception_access
from renda.receptions.workflow import ReceptionStatus

ACTIVITY, RECEPTION, SESSION, RECEPTION_DAY = "activity", "reception", "session", "reception_day"


@dataclass(frozen=True)
class Entry:
    uid: str  # stable across reads: a subscribed calendar updates the event instead of adding another
    kind: str
    title: str
    starts: dt.datetime
    ends: dt.datetime
    place: str = ""
    url: str = ""
    note: str = ""
    cancelled: bool = False
    updated: dt.datetime | None = None

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.starts).date()


def activity_url(activity, *, office: bool = False) -> str:
    """The activity's own page: the office's back-office page, or the invitee's phone page."""
    return reverse("activities:detail" if office else "activities_my:detail", args=[activity.pk])


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return _aware(start, dt.time.min), _aware(end, dt.time.min)


def person_entries(user, start: dt.date, end: dt.date) -> list[Entry]:
    """The person's own calendar from `start` (inclusive) to `end` (exclusive): activities they are invited to
    (published or finished; cancelled ones kept and marked, so a subscribed calendar drops them), their reception
    duties, and the voting sessions they are on the roll of."""
    since, until = _window(start, end)
    entries = []
    invitations = (
        activity_access.invitations_of_user(user)
        .filter(activity__starts_at__lt=until, activity__ends_at__gte=since)
        .exclude(activity__status__in=[Status.DRAFT, Status.REJECTED])
        .select_related("activity__kind")
        .order_by("activity__starts_at", "id")
    )
    for invitation in invitations:
        activity = invitation.activity
        note = invitation.get_answer_display() if invitation.answer != Answer.PENDING else _("not answered yet")
        entries.append(
            Entry(
                uid=f"activity-{activity.pk}",
                kind=ACTIVITY,
                title=f"{activity.kind.name} · {activity.title}",
                starts=activity.starts_at,
                ends=activity.ends_at,
                place=activity.place,
                url=activity_url(activity),
                note=note,
                cancelled=activity.status == Status.CANCELLED,
                updated=activity.updated,
            )
        )
    duties = (
        reception_access.own_duties(user)
        .filter(reception__date__gte=start, reception__date__lt=end)
        .select_related("reception__station")
        .order_by("reception__date", "reception__starts", "id")
    )
    for duty in duties:
        reception = duty.reception
        entries.append(
            Entry(
                uid=f"duty-{duty.pk}",
                kind=RECEPTION,
                title=_("Reception at %(station)s") % {"station": reception.station.name},
                starts=_aware(reception.date, reception.starts),
                ends=_aware(reception.date, reception.ends),
                place=reception.station.address or reception.station.name,
                url=reverse("receptions:my_duty", args=[duty.pk]),
                note=duty.get_attendance_display(),
                cancelled=reception.status == ReceptionStatus.CANCELLED,
                updated=max(duty.updated, reception.updated),
            )
        )
    sessions = project_access.deputy_sessions(user).filter(starts_at__lt=until, ends_at__gte=since)
    for session in sessions:
        entries.append(
            Entry(
                uid=f"session-{session.pk}",
                kind=SESSION,
                title=session.title,
                starts=session.starts_at,
                ends=session.ends_at,
                url=reverse("projects:ballot", args=[session.pk]),
                note=session.get_status_display(),
                updated=session.created,
            )
        )
    entries.sort(key=lambda entry: (entry.starts, entry.uid))
    return entries


def region_entries(user, start: dt.date, end: dt.date, region=None) -> list[Entry]:
    """The region's calendar for congress staff: the activities of their regions (drafts included: the office plans
    them) and the unified reception days, limited to `region`'s subtree when given."""
    since, until = _window(start, end)
    activities = (
        activity_access.office_activities(user)
        .filter(starts_at__lt=until, ends_at__gte=since)
        .select_related("kind", "region")
        .order_by("starts_at", "id")
    )
    days = (
        reception_access.campaigns_for(user)
        .filter(date__gte=start, date__lt=end)
        .select_related("region")
        .order_by("date", "id")
    )
    if region is not None:
        # The region rule (a zone's managed towns count), not a path prefix of our own.
        activities = activities.filter(region.subtree_q("region__path"))
        days = days.filter(region.subtree_q("region__path"))
    entries = [
        Entry(
            uid=f"activity-{activity.pk}",
            kind=ACTIVITY,
            title=f"{activity.kind.name} · {activity.title}",
            starts=activity.starts_at,
            ends=activity.ends_at,
            place=activity.place,
            url=activity_url(activity, office=True),
            note=f"{activity.region.name} · {activity.get_status_display()}",
            cancelled=activity.status == Status.CANCELLED,
            updated=activity.updated,
        )
        for activity in activities[:500]
    ]
    entries += [
        Entry(
            uid=f"reception-day-{day.pk}",
            kind=RECEPTION_DAY,
            title=day.title,
            starts=_aware(day.date, day.starts),
            ends=_aware(day.date, day.ends),
            url=reverse("receptions:campaign_detail", args=[day.pk]),
            note=f"{day.region.name} · {day.get_status_display()}",
            cancelled=False,
            updated=day.updated,
        )
        for day in days[:200]
    ]
    entries.sort(key=lambda entry: (entry.starts, entry.uid))
    return entries


def by_day(entries: list[Entry]) -> list[tuple[dt.date, list[Entry]]]:
    days: dict[dt.date, list[Entry]] = {}
    for entry in entries:
        days.setdefault(entry.day, []).append(entry)
    return list(days.items())
