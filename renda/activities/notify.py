"""Who hears of an activity, through the outbox (renda.notifications): the invitees of a published activity are
invited, and told when a published activity is cancelled. Runs in the task worker after the action's commit
(actions/common.notify queues it). Each message's dedupe key names the activity, the event and the person, so
routing again (after more people were invited) queues only what is new."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.workdays.calendar import CHINA

from .models import Activity, Status

ROUTER = "activities.activity"  # registered with the outbox in apps.py


def _people(activity):
    """(key, user or None, phone) of every invitee; a person with neither a login nor a phone is left out."""
    rows = []
    for invitation in activity.invitations.select_related("deputy__user", "member__account__user").order_by("id"):
        if invitation.deputy_id:
            person, user = invitation.deputy, invitation.deputy.user
        else:
            person = invitation.member
            account = getattr(person, "account", None)
            user = account.user if account is not None else None
        rows.append((f"i{invitation.pk}", user, person.phone or ""))
    return rows


def route_activity(activity_pk: int) -> int:
    activity = Activity.objects.select_related("region").filter(pk=activity_pk).first()
    if activity is None or activity.status not in (Status.PUBLISHED, Status.CANCELLED):
        return 0
    event = "inv" if activity.status == Status.PUBLISHED else "cancel"
    template = "activity_invited" if event == "inv" else "activity_cancelled"
    queued = 0
    with translation.override("zh-hans"), transaction.atomic():
        context = {
            "title": activity.title[:40],
            "when": activity.starts_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
            "place": activity.place[:40],
            "url": settings.PUBLIC_BASE_URL + reverse("activities_my:list"),
        }
        for key, user, phone in _people(activity):
            if user is not None and user.is_active:
                message = enqueue(
                    channel=Channel.SITE,
                    template=template,
                    context=context,
                    dedupe_key=f"act{activity.pk}:{event}:site:{key}",
                    user=user,
                )
                queued += int(message is not None)
            if phone:
                message = enqueue(
                    channel=Channel.SMS,
                    template=template,
                    context=context,
                    dedupe_key=f"act{activity.pk}:{event}:sms:{key}",
                    user=user,
                    phone=phone,
                )
                queued += int(message is not None)
    return queued
