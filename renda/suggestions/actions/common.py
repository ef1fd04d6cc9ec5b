"""Helpers shared by the actions: the event row, its attachments and the notification it queues."""

from renda.audit.actions import record

from ..models import Attachment, Event
from ..tasks import route_suggestion_event_task

MAX_ATTACHMENTS = 10


def write_event(suggestion, action, *, before, user, role, note="", unit=None, days=None, attachments=(), ip=None):
    event = Event.objects.create(
        suggestion=suggestion,
        action=action,
        from_state=before,
        to_state=suggestion.status,
        actor=user,
        actor_role=role,
        actor_name=actor_name(user, role, unit),
        note=note,
        unit=unit,
        days=days,
    )
    for upload in attachments:
        Attachment.objects.create(suggestion=suggestion, event=event, file=upload, name=upload.name[:200])
    record(user, f"suggestion.{action}", suggestion, changes={"from": before, "to": suggestion.status}, ip=ip)
    # Queued inside the transaction: it commits with the event or not at all, and the worker sees it after commit.
    route_suggestion_event_task.enqueue(event.pk)
    return event


def actor_name(user, role, unit=None) -> str:
    if unit is not None:
        return unit.name
    if user is None:
        return ""
    deputy = getattr(user, "deputy", None)
    if deputy is not None:
        return deputy.name
    account = getattr(user, "member_account", None)
    if account is not None:
        return account.member.name
    return user.display_name or user.username
