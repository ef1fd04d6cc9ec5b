"""Every transition of the table in workflow.py, taken by whoever the table allows: `perform` is the one door.

It locks the item, finds the role the user holds on it (access.roles_on), checks the table for the state the item is
in *now*, runs the action's own rules (a reply needs a confirmed contact, a return must come within the period, …),
and then writes the change, an Event, an audit record and the queued notifications — or refuses with a clear message
and changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.people.models import Unit
from renda.workdays.calendar import due_at

from .. import deadlines
from ..access import office_suggestions, parties, roles_on
from ..models import Contact, Reply, Signature, SocialReport, Suggestion, SuggestionRating, UnitTask
from ..workflow import (
    TRANSITIONS,
    Action,
    Actor,
    ContactMethod,
    Disposition,
    Kind,
    Rating,
    ReplyCategory,
    State,
)
from .common import MAX_ATTACHMENTS, write_event
from .errors import TransitionError

# When one user holds several roles on an item, the most specific one acts.
ROLE_ORDER = (Actor.LEAD, Actor.CO, Actor.INVITEE, Actor.AUTHOR, Actor.SIGNER, Actor.OFFICE)
MERGE_TARGET_STATES = {State.SUBMITTED, State.REGISTERED, State.ASSIGNED, State.EXTENSION_REQUESTED}


@dataclass
class Step:
    suggestion: Suggestion
    user: object
    role: str
    data: dict
    now: object
    target: str | None
    note: str = ""
    unit: Unit | None = None
    days: int | None = None
    fields: set = field(default_factory=set)


def _text(step, key, message):
    value = (step.data.get(key) or "").strip()
    if not value:
        raise TransitionError(message)
    return value


def _pick_role(action: str, state: str, roles: set[str]) -> str:
    sources, _target, allowed_roles = TRANSITIONS[action]
    usable = [role for role in ROLE_ORDER if role in roles and role in allowed_roles]
    if not usable:
        raise TransitionError(_("You may not do this on this item."))
    if state not in sources:
        raise TransitionError(_("This cannot be done while the item is “%(state)s”.") % {"state": State(state).label})
    return usable[0]


def _lead_task(step) -> UnitTask:
    scope = scope_for(step.user)
    return step.suggestion.tasks.filter(unit_id__in=scope.unit_ids, is_active=True, role=UnitTask.Role.LEAD).first()


# ---- signing -------------------------------------------------------------------------------------------------------


def _answer_invitation(step, status):
    signature = Signature.objects.select_for_update().get(
        suggestion=step.suggestion, user=step.user, status=Signature.Status.INVITED
    )
    signature.status, signature.answered_at = status, step.now
    signature.save(update_fields=["status", "answered_at"])
    pending = step.suggestion.signatures.filter(status=Signature.Status.INVITED).exists()
    return State.SIGNING if pending else State.SUBMITTED


def _sign(step):
    return _answer_invitation(step, Signature.Status.SIGNED)


def _decline(step):
    return _answer_invitation(step, Signature.Status.DECLINED)


def _lapse_invitations(step):
    step.suggestion.signatures.filter(status=Signature.Status.INVITED).update(
        status=Signature.Status.LAPSED, answered_at=step.now
    )


def _close_signing(step):
    _lapse_invitations(step)
    return step.target


def _withdraw(step):
    _lapse_invitations(step)
    step.suggestion.closed_at = step.now
    step.fields.add("closed_at")
    return step.target


# ---- registration --------------------------------------------------------------------------------------------------


def _register(step):
    return step.target


def _merge(step):
    number = (step.data.get("merge_into") or "").strip()
    s = step.suggestion
    target = (
        office_suggestions(step.user)
        .filter(number=number, kind=s.kind, status__in=MERGE_TARGET_STATES)
        .exclude(pk=s.pk)
        .first()
    )
    if target is None:
        raise TransitionError(_("Give the number of another open item of the same kind to merge into."))
    s.merged_into = target
    s.closed_at = step.now
    step.fields |= {"merged_into", "closed_at"}
    step.note = step.note or _("Merged into %(number)s; it is answered with that item.") % {"number": target.number}
    return step.target


def _not_register(step):
    s = step.suggestion
    reason = _text(step, "reason", _("Give the reason for not registering."))
    disposition = step.data.get("disposition") or ""
    if disposition not in Disposition.values:
        raise TransitionError(_("Choose what becomes of the item."))
    if disposition == Disposition.SOCIAL_REPORT and s.kind != Kind.CPPCC:
        raise TransitionError(_("Only a CPPCC proposal can become a social-conditions report."))
    s.decision_reason, s.disposition, s.closed_at = reason, disposition, step.now
    step.fields |= {"decision_reason", "disposition", "closed_at"}
    step.note = reason
    if disposition == Disposition.SOCIAL_REPORT:
        SocialReport.objects.create(
            region=s.region, title=s.title, text=s.text, author=s.author, member=s.member, source=s
        )
    return step.target


# ---- assignment and the units ---------------------------------------------------------------------------------------


def _units(step, ids):
    scope = scope_for(step.user)
    units = list(Unit.objects.filter(pk__in=ids, is_active=True).select_related("region"))
    if len(units) != len(set(ids)) or not all(scope.covers_path(unit.region.path) for unit in units):
        raise TransitionError(_("Choose handling units of your region."))
    return units


def _assign(step):
    s = step.suggestion
    try:
        lead_id = int(step.data.get("lead_unit") or 0)
        co_ids = [int(pk) for pk in step.data.get("co_units") or [] if str(pk).strip()]
    except (TypeError, ValueError):
        raise TransitionError(_("Choose a lead unit.")) from None
    if not lead_id:
        raise TransitionError(_("Choose a lead unit."))
    co_ids = [pk for pk in dict.fromkeys(co_ids) if pk != lead_id]
    co_role = step.data.get("co_role") or UnitTask.Role.ASSIST
    if co_role not in (UnitTask.Role.ASSIST, UnitTask.Role.JOINT):
        raise TransitionError(_("Choose assisting (协办) or joint (会办) co-units."))
    units = {unit.pk: unit for unit in _units(step, [lead_id, *co_ids])}
    s.tasks.filter(is_active=True).update(is_active=False)
    reply_due = deadlines.period_end(s.kind, "reply", step.now)
    UnitTask.objects.create(
        suggestion=s,
        unit=units[lead_id],
        role=UnitTask.Role.LEAD,
        assigned_at=step.now,
        return_by=deadlines.period_end(s.kind, "return", step.now),
        due_at=reply_due,
    )
    co_due = deadlines.period_end(s.kind, "co_views", step.now)
    for pk in co_ids:
        UnitTask.objects.create(suggestion=s, unit=units[pk], role=co_role, assigned_at=step.now, due_at=co_due)
    s.lead_unit, s.assigned_at, s.reply_due_at, s.extension_days = units[lead_id], step.now, reply_due, 0
    step.fields |= {"lead_unit", "assigned_at", "reply_due_at", "extension_days"}
    step.unit = units[lead_id]
    names = "、".join(units[pk].name for pk in co_ids)
    step.note = step.note or (
        _("Lead unit %(lead)s; co-units %(co)s.") % {"lead": units[lead_id].name, "co": names}
        if names
        else _("Lead unit %(lead)s.") % {"lead": units[lead_id].name}
    )
    return step.target


def _return(step):
    task = _lead_task(step)
    reason = _text(step, "reason", _("Give the reason why the item is not your unit's."))
    if task.return_by and step.now > task.return_by:
        raise TransitionError(
            _("The %(days)d working days for returning a wrongly assigned item have passed; ask the office.")
            % {"days": deadlines.days(step.suggestion.kind, "return")}
        )
    task.is_active, task.return_reason = False, reason
    task.save(update_fields=["is_active", "return_reason"])
    step.suggestion.lead_unit = None
    step.suggestion.reply_due_at = None
    step.fields |= {"lead_unit", "reply_due_at"}
    step.unit, step.note = task.unit, reason
    return step.target


def _co_views(step):
    scope = scope_for(step.user)
    task = (
        step.suggestion.tasks.select_for_update()
        .filter(unit_id__in=scope.unit_ids, is_active=True)
        .exclude(role=UnitTask.Role.LEAD)
        .first()
    )
    views = _text(step, "note", _("Write your unit's views."))
    if task.views_at is not None:
        raise TransitionError(_("Your unit has already sent its views to the lead unit."))
    task.views, task.views_at = views, step.now
    task.save(update_fields=["views", "views_at"])
    step.unit, step.note = task.unit, views
    return None


def _record_contact(step):
    method = step.data.get("method") or ""
    if method not in ContactMethod.values:
        raise TransitionError(_("Choose how you contacted the submitter."))
    happened = step.data.get("happened_on")
    if isinstance(happened, str):
        try:
            happened = date.fromisoformat(happened)
        except ValueError:
            happened = None
    if not isinstance(happened, date) or happened > timezone.localdate(step.now):
        raise TransitionError(_("Give the date of the contact (not in the future)."))
    note = _text(step, "note", _("Write what was discussed."))
    task = _lead_task(step)
    Contact.objects.create(
        suggestion=step.suggestion,
        round=step.suggestion.round,
        unit=task.unit,
        method=method,
        happened_on=happened,
        note=note,
        recorded_by=step.user,
    )
    step.unit, step.note = task.unit, note
    return None


def _confirm_contact(step):
    contact = (
        step.suggestion.contacts.select_for_update()
        .filter(round=step.suggestion.round, confirmed_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if contact is None:
        raise TransitionError(_("There is no contact waiting for your confirmation."))
    contact.confirmed_by, contact.confirmed_at = step.user, step.now
    contact.save(update_fields=["confirmed_by", "confirmed_at"])
    return None


def _request_extension(step):
    s = step.suggestion
    most = deadlines.days(s.kind, "extension_max") - s.extension_days
    try:
        days = int(step.data.get("days") or 0)
    except (TypeError, ValueError):
        days = 0
    if not 0 < days <= most:
        raise TransitionError(_("Ask for between 1 and %(most)d working days.") % {"most": max(most, 1)})
    step.note = _text(step, "reason", _("Give the reason for the extension."))
    step.days, step.unit = days, s.lead_unit
    return step.target


def _grant_extension(step):
    s = step.suggestion
    asked = s.events.filter(action=Action.REQUEST_EXTENSION).order_by("-id").first()
    try:
        days = int(step.data.get("days") or (asked.days if asked else 0) or 0)
    except (TypeError, ValueError):
        days = 0
    most = deadlines.days(s.kind, "extension_max") - s.extension_days
    if not 0 < days <= most:
        raise TransitionError(_("Grant between 1 and %(most)d working days.") % {"most": max(most, 1)})
    # The extra days run from the deadline the unit had, not from today.
    s.reply_due_at = due_at(s.reply_due_at or step.now, days, working=True)
    s.extension_days += days
    s.tasks.filter(is_active=True, role=UnitTask.Role.LEAD).update(due_at=s.reply_due_at)
    step.fields |= {"reply_due_at", "extension_days"}
    step.days = days
    return step.target


def _refuse_extension(step):
    step.note = _text(step, "reason", _("Give the reason for refusing."))
    return step.target


# ---- the reply -----------------------------------------------------------------------------------------------------


def _reply(step):
    s = step.suggestion
    category = step.data.get("category") or ""
    if category not in ReplyCategory.values:
        raise TransitionError(_("Choose the reply category A, B, C or D."))
    text = _text(step, "text", _("Write the reply."))
    if not s.contacts.filter(round=s.round, confirmed_at__isnull=False).exists():
        raise TransitionError(
            _("The reply cannot be sent before the submitter has confirmed a contact (见面沟通) with your unit.")
        )
    task = _lead_task(step)
    Reply.objects.create(
        suggestion=s,
        round=s.round,
        unit=task.unit,
        category=category,
        unit_category=category,
        text=text,
        author=step.user,
    )
    if s.round == 1:
        s.replied_at = step.now
        s.replied_on_time = s.reply_due_at is None or step.now <= s.reply_due_at
        step.fields |= {"replied_at", "replied_on_time"}
    step.unit, step.note = task.unit, text
    return step.target


def _current_reply(s) -> Reply:
    return s.replies.select_for_update().filter(round=s.round, sent_back=False, accepted_at__isnull=True).last()


def _send_back(step):
    s = step.suggestion
    step.note = _text(step, "reason", _("Give the reason for sending the reply back."))
    reply = _current_reply(s)
    reply.sent_back = True
    reply.save(update_fields=["sent_back"])
    return State.REHANDLING if s.round > 1 else State.ASSIGNED


def _accept_reply(step):
    s = step.suggestion
    reply = _current_reply(s)
    corrected = step.data.get("category") or ""
    if corrected and corrected not in ReplyCategory.values:
        raise TransitionError(_("Choose the reply category A, B, C or D."))
    if corrected and corrected != reply.category:
        step.note = _("Category corrected by the office from %(old)s to %(new)s.") % {
            "old": reply.category,
            "new": corrected,
        }
        reply.category = corrected
    reply.accepted_at = step.now
    reply.save(update_fields=["category", "accepted_at"])
    s.reply_category, s.answered_at = reply.category, step.now
    step.fields |= {"reply_category", "answered_at"}
    return step.target


def _finish(s, now, fields):
    """Everyone has rated (or the period ran out): B and C items stay tracked until solved, the rest close."""
    if s.reply_category in (ReplyCategory.B, ReplyCategory.C):
        return State.TRACKING
    s.closed_at = now
    fields.add("closed_at")
    return State.CLOSED


def _rate(step):
    s = step.suggestion
    value = step.data.get("rating") or ""
    if value not in Rating.values:
        raise TransitionError(_("Choose 满意, 基本满意 or 不满意."))
    if s.ratings.filter(round=s.round, user=step.user).exists():
        raise TransitionError(_("You have already rated this reply."))
    SuggestionRating.objects.create(
        suggestion=s, round=s.round, user=step.user, value=value, comment=(step.data.get("comment") or "")[:1000]
    )
    step.note = (step.data.get("comment") or "").strip()[:1000]
    if value == Rating.DISSATISFIED and s.round == 1:
        # Once: a new reply within the re-handling period, by the same lead unit.
        s.round = 2
        s.reply_due_at = deadlines.period_end(s.kind, "rehandle", step.now)
        s.tasks.filter(is_active=True, role=UnitTask.Role.LEAD).update(due_at=s.reply_due_at)
        step.fields |= {"round", "reply_due_at"}
        return State.REHANDLING
    rated = set(s.ratings.filter(round=s.round).values_list("user_id", flat=True))
    if set(parties(s)) <= rated:
        return _finish(s, step.now, step.fields)
    return None


def _auto_close(step):
    return _finish(step.suggestion, step.now, step.fields)


def _follow_up(step):
    step.note = _text(step, "note", _("Write the progress report."))
    step.unit = step.suggestion.lead_unit
    return None


def _mark_solved(step):
    step.suggestion.closed_at = step.now
    step.fields.add("closed_at")
    return step.target


def _set_key(step):
    leader = _text(step, "leader", _("Name the leader who supervises the item."))
    step.suggestion.is_key, step.suggestion.key_leader = True, leader[:60]
    step.fields |= {"is_key", "key_leader"}
    step.note = leader
    return None


HANDLERS = {
    Action.SIGN: _sign,
    Action.DECLINE: _decline,
    Action.CLOSE_SIGNING: _close_signing,
    Action.WITHDRAW: _withdraw,
    Action.REGISTER: _register,
    Action.MERGE: _merge,
    Action.NOT_REGISTER: _not_register,
    Action.ASSIGN: _assign,
    Action.RETURN: _return,
    Action.CO_VIEWS: _co_views,
    Action.RECORD_CONTACT: _record_contact,
    Action.CONFIRM_CONTACT: _confirm_contact,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.GRANT_EXTENSION: _grant_extension,
    Action.REFUSE_EXTENSION: _refuse_extension,
    Action.REPLY: _reply,
    Action.SEND_BACK: _send_back,
    Action.ACCEPT_REPLY: _accept_reply,
    Action.RATE: _rate,
    Action.AUTO_CLOSE: _auto_close,
    Action.FOLLOW_UP: _follow_up,
    Action.MARK_SOLVED: _mark_solved,
    Action.SET_KEY: _set_key,
}
ATTACHING = {Action.REPLY, Action.FOLLOW_UP, Action.CO_VIEWS, Action.RECORD_CONTACT}


def _apply(suggestion, user, role, action, data, attachments, ip, now):
    if len(attachments) > MAX_ATTACHMENTS:
        raise TransitionError(_("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
    step = Step(suggestion, user, role, data, now, TRANSITIONS[action][1], note=(data.get("note") or "").strip())
    before = suggestion.status
    target = HANDLERS[action](step) or before
    suggestion.status = target
    fields = {"status", "updated"} | step.fields
    if target != before or action in (Action.GRANT_EXTENSION, Action.RATE):
        suggestion.due_at = deadlines.due_for_state(suggestion, target)
        suggestion.reminded_at = suggestion.escalated_at = None
        fields |= {"due_at", "reminded_at", "escalated_at"}
    suggestion.save(update_fields=sorted(fields))
    return write_event(
        suggestion,
        action,
        before=before,
        user=user,
        role=role,
        note=step.note,
        unit=step.unit,
        days=step.days,
        attachments=attachments if action in ATTACHING else (),
        ip=ip,
    )


def perform(user, suggestion_pk: int, action: str, data: dict | None = None, *, attachments=(), ip=None):
    """Take `action` on an item as `user`. Raises TransitionError (nothing changed) when it is not allowed."""
    if action not in TRANSITIONS or action == Action.AUTO_CLOSE:
        raise TransitionError(_("You may not do this on this item."))
    with transaction.atomic():
        suggestion = (
            Suggestion.objects.select_for_update(of=("self",))
            .select_related("region", "lead_unit")
            .get(pk=suggestion_pk)
        )
        role = _pick_role(action, suggestion.status, roles_on(user, suggestion))
        return _apply(suggestion, user, role, action, data or {}, list(attachments), ip, timezone.now())


def system_transition(suggestion_pk: int, action: str):
    """The deadline job's transitions (closing the signing, closing the rating period); None if the item moved."""
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update(of=("self",)).select_related("region").get(pk=suggestion_pk)
        sources, _target, roles = TRANSITIONS[action]
        if suggestion.status not in sources or Actor.SYSTEM not in roles:
            return None
        return _apply(suggestion, None, Actor.SYSTEM, action, {}, [], None, timezone.now())


def open_q():
    """Items whose handling is not finished."""
    return ~Q(status__in=[State.CLOSED, State.WITHDRAWN, State.MERGED, State.NOT_REGISTERED])
