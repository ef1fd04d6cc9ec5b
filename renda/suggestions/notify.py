"""Who hears of which suggestion event, through the outbox (renda.notifications): one table, like the workflow.

Runs in the task worker once the event's transaction has committed (actions/common.py queues it). Each message's
dedupe key names the event and the recipient, so routing an event twice queues nothing new.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from renda.accounts.models import Role, User
from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.opinions import recipients
from renda.workdays.calendar import CHINA

from .access import parties
from .models import Event
from .workflow import Action, Kind, State

OFFICE, PARTIES, INVITEES, LEAD, UNITS = "office", "parties", "invitees", "lead", "units"

# Units also get an SMS when their account has a phone: an assignment or a returned reply starts their deadline.
SMS_TOO = {LEAD, UNITS}
# Deputies and members (submitters, signers, invitees) get one for what waits on them with a date: an invitation to
# sign before the deadline, a contact to confirm, a reply to rate. The other steps reach them as site messages.
SMS_TO_SUBMITTERS = {Action.SUBMIT, Action.RECORD_CONTACT, Action.ACCEPT_REPLY}

PLAN = {
    Action.SUBMIT: [INVITEES],
    Action.REGISTER: [PARTIES],
    Action.MERGE: [PARTIES],
    Action.NOT_REGISTER: [PARTIES],
    Action.ASSIGN: [UNITS, PARTIES],
    Action.RETURN: [OFFICE],
    Action.CO_VIEWS: [LEAD],
    Action.RECORD_CONTACT: [PARTIES],
    Action.REQUEST_EXTENSION: [OFFICE],
    Action.GRANT_EXTENSION: [LEAD],
    Action.REFUSE_EXTENSION: [LEAD],
    Action.REPLY: [OFFICE],
    Action.SEND_BACK: [LEAD],
    Action.ACCEPT_REPLY: [PARTIES],
    Action.SET_KEY: [LEAD],
}


def what_happened(event) -> str:
    """One short Chinese sentence for the message (called with zh-hans active)."""
    s = event.suggestion
    if event.action == Action.SUBMIT and s.status == State.SIGNING:
        return _("you are invited to sign it jointly before %(date)s") % {
            "date": s.sign_deadline.astimezone(CHINA).strftime("%Y-%m-%d")
        }
    if event.action == Action.ACCEPT_REPLY:
        return _("the reply has arrived; please rate it")
    if event.action == Action.RECORD_CONTACT:
        return _("the unit recorded a contact with you; please confirm it")
    if event.action == Action.RATE and event.to_state == State.REHANDLING:
        return _("a submitter is dissatisfied; the item is to be handled again")
    return str(State(event.to_state).label) if event.to_state else str(Action(event.action).label)


def _plan(event):
    if event.action == Action.RATE and event.to_state == State.REHANDLING:
        return [LEAD, OFFICE]
    if event.to_state == State.SUBMITTED and event.from_state in ("", State.SIGNING):
        return [OFFICE]  # submitted without signers, or the signing is over: the office has a new item
    return PLAN.get(event.action, [])


def _users(audience, event):
    s = event.suggestion
    if audience == OFFICE:
        users = recipients.supervisors(s.region, include_self=True)[1]
        if s.kind == Kind.CPPCC:  # a proposal's office is also the CPPCC's (政协机关)
            users += recipients.supervisors(s.region, include_self=True, role=Role.CPPCC_STAFF)[1]
        return list({user.pk: user for user in users}.values())
    if audience == PARTIES:
        return list(User.objects.filter(pk__in=parties(s), is_active=True).order_by("pk"))
    if audience == INVITEES:
        return list(User.objects.filter(suggestion_signatures__suggestion=s, is_active=True).order_by("pk"))
    if audience == LEAD:
        return recipients.unit_staff(s.lead_unit_id)
    if audience == UNITS:
        users = []
        for task in s.tasks.filter(is_active=True).order_by("pk"):
            users += recipients.unit_staff(task.unit_id)
        return list({user.pk: user for user in users}.values())
    return []


def route_event(event_pk: int) -> int:
    event = Event.objects.select_related("suggestion__region").filter(pk=event_pk).first()
    if event is None:
        return 0
    s = event.suggestion
    queued = 0
    with translation.override("zh-hans"), transaction.atomic():
        context = {
            "suggestion_id": s.pk,
            "kind": str(Kind(s.kind).label),
            "number": s.number,
            "title": s.title[:40],
            "what": what_happened(event),
            "url": f"{settings.PUBLIC_BASE_URL}/suggestions/{s.pk}/",
        }
        for audience in _plan(event):
            for user in _users(audience, event):
                if user.pk == event.actor_id:
                    continue  # nobody is told of their own step
                message = enqueue(
                    channel=Channel.SITE,
                    template="suggestion_update",
                    context=context,
                    dedupe_key=f"sg{event.pk}:site:u{user.pk}",
                    user=user,
                )
                queued += int(message is not None)
                if user.phone and (
                    audience in SMS_TOO or (audience in (PARTIES, INVITEES) and event.action in SMS_TO_SUBMITTERS)
                ):
                    message = enqueue(
                        channel=Channel.SMS,
                        template="suggestion_update",
                        context=context,
                        dedupe_key=f"sg{event.pk}:sms:u{user.pk}",
                        user=user,
                        phone=user.phone,
                    )
                    queued += int(message is not None)
    return queued
