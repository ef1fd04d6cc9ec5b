"""Who hears of which opinion event, on which channel, with which template.

`route_event` runs in the task worker once the event's transaction has committed (renda/opinions/notify.py, through
the outbox's router registry: renda/notifications/registry.py). The
table PLAN says, per action, which audience gets which template; the audiences are resolved from role grants
(recipients.py) and the constituent's own phone (SMS) and WeChat openid (template message), each only with
consent. Contexts carry codes, station and unit names and links, never a constituent's name, phone or text. Each
message's dedupe key names the event and the recipient, so routing an event twice queues nothing new.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.workdays.calendar import CHINA

from . import recipients
from .models import Event, Opinion
from .workflow import Action, RefusalReason, State

CONSTITUENTS, STATION, UNIT, SUPERVISORS = "constituents", "station", "unit", "supervisors"

# action → [(audience, template)]; the rating's outcome picks between reopened and final (see _plan).
PLAN = {
    Action.SUBMIT: [(STATION, "new_opinion")],
    Action.SUPPORT: [(STATION, "supported")],
    Action.ACCEPT: [(CONSTITUENTS, "opinion_accepted")],
    Action.REFUSE: [(CONSTITUENTS, "opinion_refused")],
    Action.MERGE: [(CONSTITUENTS, "opinion_merged")],
    Action.FORWARD: [(CONSTITUENTS, "opinion_forwarded"), (UNIT, "forwarded_to_unit")],
    Action.TO_SUGGESTION: [(CONSTITUENTS, "opinion_suggestion")],
    Action.UNIT_REPLY: [(STATION, "unit_replied")],
    Action.REQUEST_REASSIGN: [(SUPERVISORS, "reassign_requested")],
    Action.REQUEST_EXTENSION: [(SUPERVISORS, "extension_requested")],
    Action.GRANT_EXTENSION: [(UNIT, "extension_granted")],
    Action.REFUSE_EXTENSION: [(UNIT, "extension_refused")],
    Action.REPLY: [(CONSTITUENTS, "opinion_replied")],
    Action.ANSWER_ON_SPOT: [(CONSTITUENTS, "opinion_replied")],
    Action.AUTO_CLOSE: [(CONSTITUENTS, "opinion_final")],
}
RATED = {
    State.REOPENED: [(CONSTITUENTS, "opinion_reopened"), (STATION, "opinion_reopened_staff")],
    State.FINAL: [(CONSTITUENTS, "opinion_final")],
}
# Unit staff also get an SMS when their account has a phone: a forwarded item starts their deadline.
SMS_TOO = {UNIT}


def constituent_kinds() -> list[str]:
    """The message kinds a constituent may be sent (by SMS with consent, or as a WeChat template message)."""
    plans = [*PLAN.values(), *RATED.values()]
    return sorted({template for plan in plans for audience, template in plan if audience == CONSTITUENTS})


def tracking_url(opinion) -> str:
    return f"{settings.PUBLIC_BASE_URL}/t/{opinion.tracking_code}/"


def opinion_context(opinion) -> dict:
    """What every template may use about an opinion; no personal data. Call with zh-hans active."""
    return {
        "opinion_id": opinion.pk,
        "code": opinion.tracking_code,
        "url": tracking_url(opinion),
        "station": opinion.station.name if opinion.station_id else "",
        "category": opinion.category.name,
        "unit": opinion.unit.name if opinion.unit_id else "",
        "region": opinion.region.name,
        "state": str(State(opinion.status).label),
        "due": opinion.due_at.astimezone(CHINA).strftime("%Y-%m-%d") if opinion.due_at else "",
    }


def _plan(event) -> list[tuple[str, str]]:
    if event.action == Action.RATE:
        return RATED.get(event.to_state, [])
    return PLAN.get(event.action, [])


def _submitters(opinion) -> list:
    """The opinion and those merged into it: every submitter is answered."""
    return [opinion, *Opinion.objects.filter(merged_into=opinion).order_by("pk")]


def _constituent_phones(submitters) -> list[tuple[str, str]]:
    """(recipient key, phone) of the submitter (with consent), supporters, and of opinions merged into this one."""
    people = []
    for op in submitters:
        if op.consent and op.submitter_phone:
            people.append((f"o{op.pk}", op.submitter_phone))
        people += [(f"s{s.pk}", s.phone) for s in op.supporters.order_by("pk") if s.phone]
    seen, unique = set(), []
    for key, phone in people:
        if phone not in seen:  # one SMS per number even if a submitter also said "mine too"
            seen.add(phone)
            unique.append((key, phone))
    return unique


def _constituent_openids(submitters) -> list[tuple[str, str]]:
    """(recipient key, openid) of submitters who wrote inside WeChat and consented; one message per openid."""
    seen, people = set(), []
    for op in submitters:
        if op.consent and op.submitter_openid and op.submitter_openid not in seen:
            seen.add(op.submitter_openid)
            people.append((f"o{op.pk}", op.submitter_openid))
    return people


def _users(audience: str, event, opinion) -> list:
    if audience == STATION:
        return recipients.station_people(opinion)
    if audience == UNIT:
        return recipients.unit_staff(event.unit_id or opinion.unit_id)
    if audience == SUPERVISORS:
        return recipients.supervisors(opinion.region, include_self=True)[1]
    return []


def _extra_context(event, opinion) -> dict:
    extra = {
        "actor": event.public_actor,
        "note": event.note[:200] if event.action == Action.REFUSE_EXTENSION else "",
        "days": event.days or "",
    }
    if event.action == Action.REFUSE and opinion.refusal_reason:
        extra["reason"] = str(RefusalReason(opinion.refusal_reason).label)
    if event.action == Action.MERGE and opinion.merged_into_id:
        extra["into_code"] = opinion.merged_into.tracking_code
        extra["into_url"] = tracking_url(opinion.merged_into)
    if event.action == Action.FORWARD and event.unit_id:
        extra["unit"] = event.unit.name
    if event.action == Action.AUTO_CLOSE:
        extra["auto"] = True
    return extra


def route_event(event_pk: int) -> int:
    """Queue the messages an event causes; returns how many were new."""
    event = (
        Event.objects.select_related(
            "unit", "opinion__station", "opinion__unit", "opinion__region", "opinion__category", "opinion__merged_into"
        )
        .filter(pk=event_pk)
        .first()
    )
    if event is None:
        return 0
    opinion = event.opinion
    queued = 0
    with translation.override("zh-hans"), transaction.atomic():
        context = opinion_context(opinion) | _extra_context(event, opinion)
        for audience, template in _plan(event):
            if audience == CONSTITUENTS:
                submitters = _submitters(opinion)
                for key, phone in _constituent_phones(submitters):
                    queued += _put(Channel.SMS, template, context, f"e{event.pk}:sms:{key}", phone=phone)
                for key, openid in _constituent_openids(submitters):
                    queued += _put(Channel.WECHAT, template, context, f"e{event.pk}:wechat:{key}", address=openid)
                continue
            for user in _users(audience, event, opinion):
                if event.actor_id == user.pk:
                    continue  # nobody is told of their own step
                queued += _put(Channel.SITE, template, context, f"e{event.pk}:site:u{user.pk}", user=user)
                if audience in SMS_TOO and user.phone:
                    queued += _put(
                        Channel.SMS, template, context, f"e{event.pk}:sms:u{user.pk}", user=user, phone=user.phone
                    )
    return queued


def _put(channel, template, context, key, *, user=None, phone="", address="") -> int:
    message = enqueue(
        channel=channel, template=template, context=context, dedupe_key=key, user=user, phone=phone, address=address
    )
    return int(message is not None)
