"""Every write on an opinion: submitting, "mine too", each workflow transition, rating.

`perform` is the one door for staff-side transitions: it locks the row, checks the transition table for the state the
row is in now (so a stale page cannot act twice), applies the action's effects, writes the Event (the timeline) and
an audit record, and queues notifications after commit.
"""

import secrets
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record
from renda.core import rowchain
from renda.core.codes import ALPHABET
from renda.workdays.calendar import due_at

from . import deadlines, search
from .access import roles_on
from .models import Event, Opinion, Photo, Supporter
from .rules import may_forward_to, merge_targets
from .workflow import DONE_STATES, TRANSITIONS, Action, Actor, Rating, RefusalReason, State, allowed

TRACKING_CODE_LENGTH = 10  # 31 ** 10 ≈ 8 × 10^14: about 49 bits, far beyond guessing at any rate limit


class TransitionError(ValidationError):
    """The action is not allowed now (wrong state, wrong role, or bad input); nothing was changed."""


def new_tracking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TRACKING_CODE_LENGTH))


def _notify(event: Event) -> None:
    """Queue the routing of `event` in the same transaction: the task row commits (or rolls back) with the event,
    and a submission costs one commit, not two."""
    from .notify import notify_event

    notify_event(event.pk)


@dataclass
class Submission:
    opinion: Opinion
    created: bool


def submit(
    *,
    station=None,
    deputy=None,
    category,
    text: str,
    place: str = "",
    latitude=None,
    longitude=None,
    name: str = "",
    phone: str = "",
    consent: bool = False,
    photos=(),
    client_token: str | None = None,
    openid: str = "",
    region=None,
    insert_first: bool = False,
) -> Submission:
    """Create an opinion from a constituent; a retried request with the same client token returns the first one.

    `photos` are already re-encoded files (renda.core.images.reencode_image). `openid` is the submitter's WeChat
    openid when the form was opened inside WeChat; like the phone it is kept only with consent. `region` files the
    opinion elsewhere than the station's or the deputy's electoral region (a problem item pushed from an activity is
    the organiser's region's). `insert_first`: the client token is not looked up before the INSERT; its unique index
    finds a retry (submission.submit, where a retry is rare and the look-up cost every submission a statement).

    One statement on PostgreSQL (core/rowchain.py: the opinion, its Submit event and the queued task that routes the
    event), in autocommit: the tracking code is not checked before the INSERT; the unique index checks it, and the
    rare collision (31^10 codes) is retried. With photos, inside a caller's transaction, with a tasks backend that
    keeps no queue in the database, or on SQLite, the rows are written in one transaction instead.
    """
    if client_token and not insert_first:
        existing = Opinion.objects.filter(client_token=client_token).first()
        if existing is not None:
            return Submission(existing, False)
    if region is None:
        region = station.region if station is not None else deputy.electoral_region
    search_text = search.bigrams(text)
    due = deadlines.due_for_state(State.SUBMITTED, category.pk)
    for attempt in range(5):
        opinion = Opinion(
            station=station,
            deputy=deputy,
            region=region,
            category=category,
            text=text,
            place=place,
            latitude=latitude,
            longitude=longitude,
            submitter_name=name if consent else "",
            submitter_phone=phone if consent else "",
            submitter_openid=openid if consent else "",
            consent=consent,
            client_token=client_token or None,
            search_text=search_text,
            due_at=due,
            tracking_code=new_tracking_code(),
        )
        event = Event(
            opinion=opinion,
            action=Action.SUBMIT,
            to_state=State.SUBMITTED,
            actor_role=Actor.CONSTITUENT,
            due_at=opinion.due_at,
        )
        try:
            _write_new(opinion, event, photos)
        except IntegrityError:
            # A retry of a filed opinion, or two identical requests raced: answer with the first one's opinion.
            existing = Opinion.objects.filter(client_token=client_token).first() if client_token else None
            if existing is not None:
                return Submission(existing, False)
            if attempt == 4:
                raise
            continue  # a tracking code (or public id) already taken: draw again
        return Submission(opinion, True)
    raise AssertionError("unreachable")


def _write_new(opinion: Opinion, event: Event, photos) -> None:
    """A new opinion, its Submit event and their notice: all of it or nothing."""
    from .notify import queued_row

    queued = queued_row(1)
    # One statement holds it all when the queued task is one of its rows and there is nothing else to write
    # (photos, SQLite's search row: rowchain is not one statement there); otherwise one transaction around it.
    with nullcontext() if queued is not None and not photos and rowchain.one_statement() else transaction.atomic():
        rowchain.insert([(opinion, {}), (event, {"opinion_id": rowchain.Ref(0)})] + ([queued] if queued else []))
        for photo in photos:
            Photo.objects.create(opinion=opinion, image=photo)
        search.index(opinion)
        if queued is None:
            _notify(event)


@transaction.atomic
def support(opinion: Opinion, *, name: str = "", phone: str = "", client_token: str | None = None) -> Supporter:
    """ "Mine too": the constituent joins an open opinion instead of filing a duplicate, and is answered with it."""
    if client_token:
        existing = Supporter.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if client_token:
        # A double tap raced past the check above: the row lock made it wait, and now it sees the first one's row.
        existing = Supporter.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    if not allowed(Action.SUPPORT, opinion.status, Actor.CONSTITUENT):
        raise TransitionError(_("This opinion is no longer open; please submit your own."))
    supporter = Supporter.objects.create(opinion=opinion, name=name, phone=phone, client_token=client_token or None)
    event = Event.objects.create(
        opinion=opinion,
        action=Action.SUPPORT,
        from_state=opinion.status,
        to_state=opinion.status,
        actor_role=Actor.CONSTITUENT,
    )
    _notify(event)  # the station's deputies and keepers hear of it
    return supporter


def _public_actor(user, role: str, opinion: Opinion) -> str:
    """What the public timeline says: units and deputies by name, staff and keepers by role only."""
    if role == Actor.UNIT and opinion.unit_id:
        return opinion.unit.name
    if role == Actor.DEPUTY:
        deputy = getattr(user, "deputy", None)
        if deputy is not None:
            return _("Deputy %(name)s") % {"name": deputy.name}
    if role == Actor.KEEPER and opinion.station_id:
        return opinion.station.name
    return str(Actor(role).label) if role != Actor.STAFF else _("People's congress staff")


def _pick_role(action: str, state: str, roles: set[str]) -> str:
    sources, _target, allowed_roles = TRANSITIONS[action]
    if state not in sources:
        raise TransitionError(
            _("This cannot be done while the opinion is “%(state)s”.") % {"state": State(state).label}
        )
    for role in (Actor.UNIT, Actor.DEPUTY, Actor.KEEPER, Actor.STAFF):
        if role in roles and role in allowed_roles:
            return role
    raise TransitionError(_("You may not do this on this opinion."))


def perform(
    user,
    opinion_pk: int,
    action: str,
    *,
    note: str = "",
    internal_note: str = "",
    reason: str = "",
    unit=None,
    merge_into=None,
    days: int | None = None,
    attachments=(),
    ip=None,
) -> Event:
    """Take a staff-side `action` on an opinion. Raises TransitionError (nothing changed) when it is not allowed."""
    with transaction.atomic():
        opinion = (
            Opinion.objects.select_for_update(of=("self",))
            .select_related("region", "station", "unit")
            .get(pk=opinion_pk)
        )
        role = _pick_role(action, opinion.status, roles_on(user, opinion))
        # Named before the action's effects: asking for reassignment clears the unit that is asking.
        public_actor = _public_actor(user, role, opinion)
        before = opinion.status
        target = TRANSITIONS[action][1] or before
        fields = {"status", "due_at", "reminded_at", "escalated_at", "updated"}
        extra_days = 0
        event_unit = None

        if action == Action.REFUSE:
            if reason not in RefusalReason.values:
                raise TransitionError(_("Choose a reason for refusing."))
            opinion.refusal_reason = reason
            fields.add("refusal_reason")
        elif action == Action.MERGE:
            # The target is locked and read again: its state decides, not the one the caller saw.
            target_row = (
                merge_targets(user, opinion).select_for_update(of=("self",)).filter(pk=merge_into.pk).first()
                if merge_into is not None
                else None
            )
            if target_row is None:
                raise TransitionError(_("Choose another open opinion to merge into."))
            merge_into = target_row
            opinion.merged_into = merge_into
            fields.add("merged_into")
        elif action == Action.FORWARD:
            if unit is None:
                raise TransitionError(_("Choose a handling unit."))
            if not may_forward_to(user, opinion, unit):
                raise TransitionError(
                    _("“%(unit)s” cannot receive this opinion; choose one of the units offered for it.")
                    % {"unit": unit.name}
                )
            opinion.unit = unit
            event_unit = unit
            fields.add("unit")
        elif action in (
            Action.UNIT_REPLY,
            Action.REPLY,
            Action.ANSWER_ON_SPOT,
            Action.REQUEST_REASSIGN,
            Action.REQUEST_EXTENSION,
            Action.REFUSE_EXTENSION,
        ):
            if not note.strip():
                raise TransitionError(_("Write a reply or reason."))
        elif action == Action.NOTE:
            if not internal_note.strip():
                raise TransitionError(_("Write the note."))

        if action == Action.REQUEST_EXTENSION and not (days and 0 < days <= 60):
            raise TransitionError(_("Ask for between 1 and 60 working days."))
        if action == Action.GRANT_EXTENSION:
            requested = opinion.events.filter(action=Action.REQUEST_EXTENSION).order_by("-id").first()
            extra_days = days or (requested.days if requested else 0) or 0
            if not 0 < extra_days <= 60:
                raise TransitionError(_("Give between 1 and 60 extra working days."))

        opinion.status = target
        if action in (Action.REQUEST_EXTENSION, Action.REFUSE_EXTENSION):
            pass  # the unit's deadline stands while an extension is asked for, and after it is refused
        elif action == Action.GRANT_EXTENSION:
            # The extra days run from the deadline the unit had, not from the day the extension was granted.
            opinion.due_at = due_at(opinion.due_at or timezone.now(), extra_days, working=True)
            opinion.reminded_at = opinion.escalated_at = None
        elif target != before:
            opinion.due_at = deadlines.due_for_state(target, opinion.category_id)
            opinion.reminded_at = opinion.escalated_at = None
        if target == State.REASSIGN_REQUESTED:
            opinion.unit = None
            fields.add("unit")
        if target in DONE_STATES:
            opinion.closed_at = timezone.now()
            fields.add("closed_at")
        opinion.save(update_fields=sorted(fields))

        event = Event.objects.create(
            opinion=opinion,
            action=action,
            from_state=before,
            to_state=target,
            actor=user,
            actor_role=role,
            public_actor=public_actor,
            note=note.strip(),
            internal_note=internal_note.strip(),
            unit=event_unit,
            due_at=opinion.due_at,
            days=days if action == Action.REQUEST_EXTENSION else (extra_days or None),
        )
        for upload in attachments:
            event.attachments.create(file=upload, name=upload.name[:200])
        if action == Action.MERGE:
            Event.objects.create(
                opinion=merge_into,
                action=Action.SUPPORT,
                from_state=merge_into.status,
                to_state=merge_into.status,
                actor=user,
                actor_role=role,
                public_actor=event.public_actor,
                note=_("Opinion %(code)s was merged into this one.") % {"code": opinion.tracking_code},
            )
        record(user, f"opinion.{action}", opinion, changes={"from": before, "to": target}, ip=ip)
        _notify(event)
    return event


def rate(opinion: Opinion, rating: str, comment: str = "") -> Event:
    """The constituent's rating: satisfied → final; dissatisfied → reopened once, final the second time."""
    if rating not in Rating.values:
        raise TransitionError(_("Choose a rating."))
    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if not allowed(Action.RATE, opinion.status, Actor.CONSTITUENT):
            raise TransitionError(_("This opinion cannot be rated now."))
        before = opinion.status
        reopen = rating == Rating.DISSATISFIED and opinion.reopen_count == 0
        opinion.rating = rating
        opinion.status = State.REOPENED if reopen else State.FINAL
        if reopen:
            opinion.reopen_count += 1
            opinion.closed_at = None
        opinion.due_at = deadlines.due_for_state(opinion.status, opinion.category_id)
        opinion.reminded_at = opinion.escalated_at = None
        opinion.save(
            update_fields=[
                "rating",
                "status",
                "reopen_count",
                "closed_at",
                "due_at",
                "reminded_at",
                "escalated_at",
                "updated",
            ]
        )
        event = Event.objects.create(
            opinion=opinion,
            action=Action.RATE,
            from_state=before,
            to_state=opinion.status,
            actor_role=Actor.CONSTITUENT,
            note=comment.strip()[:500],
        )
        _notify(event)
    return event


def auto_close(opinion_pk: int) -> Event | None:
    """Close an opinion whose rating period ran out (run by the periodic command); None if it moved meanwhile."""
    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().get(pk=opinion_pk)
        if not allowed(Action.AUTO_CLOSE, opinion.status, Actor.SYSTEM):
            return None
        before = opinion.status
        opinion.status = TRANSITIONS[Action.AUTO_CLOSE][1]
        opinion.due_at = None
        opinion.save(update_fields=["status", "due_at", "updated"])
        return Event.objects.create(
            opinion=opinion,
            action=Action.AUTO_CLOSE,
            from_state=before,
            to_state=opinion.status,
            actor_role=Actor.SYSTEM,
        )
