"""Who hears of an activity, through the outbox (renda.notifications): the invitees of a published activity are
invited, and told when a published activity is cancelled. Runs in the task worker after the action's commit
(actions/common.notify queues it). Each message's dedupe key names the activity, the event and the person, so
routing again (after more people were invited) queues only what is new. An invitee withdrawn from a published
activity is told by `withdrawn`, inside the withdrawing action (the invitation row, which routing reads, is gone
after it)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.workdays.calendar import CHINA

from .models import Activity, Status

ROUTER = "activities.activity"  # registered with the outbox in apps.py


def _person(invitation):
    """(key, user or None, phone) of one invitee."""
    if invitation.deputy_id:
        person, user = invitation.deputy, invitation.deputy.user
    else:
        person = invitation.member
        account = getattr(person, "account", None)
        user = account.user if account is not None else None
    return f"i{invitation.pk}", user, person.phone or ""


def _people(activity):
    """(key, user or None, phone) of every invitee; a person with neither a login nor a phone is left out."""
    invitations = activity.invitations.select_related("deputy__user", "member__account__user").order_by("id")
    return [_person(invitation) for invitation in invitations]


def _context(activity) -> dict:
    return {
        "title": activity.title[:40],
        "when": activity.starts_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
        "place": activity.place[:40],
        "url": settings.PUBLIC_BASE_URL + reverse("activities_my:list"),
    }


def _tell(activity, event: str, template: str, context: dict, key: str, user, phone: str) -> int:
    """A site message to the person's login (if active) and an SMS to their phone (if any): how many were queued."""
    channels = []
    if user is not None and user.is_active:
        channels.append((Channel.SITE, {}))
    if phone:
        channels.append((Channel.SMS, {"phone": phone}))
    queued = 0
    for channel, to in channels:
        message = enqueue(
            channel=channel,
            template=template,
            context=context,
            dedupe_key=f"act{activity.pk}:{event}:{channel}:{key}",
            user=user,
            **to,
        )
        queued += int(message is not None)
    return queued


def route_activity(activity_pk: int) -> int:
    activity = Activity.objects.select_related("region").filter(pk=activity_pk).first()
    if activity is None or activity.status not in (Status.PUBLISHED, Status.CANCELLED):
        return 0
    event = "inv" if activity.status == Status.PUBLISHED else "cancel"
    template = "activity_invited" if event == "inv" else "activity_cancelled"
    queued = 0
    with translation.override("zh-hans"), transaction.atomic():
        context = _context(activity)
        for key, user, phone in _people(activity):
            queued += _tell(activity, event, template, context, key, user, phone)
    return queued


def withdrawn(activity, invitation) -> int:
    """Tell an invitee of a published activity that their invitation is withdrawn (inside the action's transaction:
    the message is stored with the change or not at all)."""
    if activity.status != Status.PUBLISHED:
        return 0  # a draft's invitees were never told
    with translation.override("zh-hans"):
        key, user, phone = _person(invitation)
        return _tell(activity, "withdrawn", "activity_withdrawn", _context(activity), key, user, phone)
