"""Problem lists: problems recorded during an activity, compiled by the organiser, pushed to handling (an opinion,
so the whole opinion workflow with its deadlines, notices and the recording deputy's rating applies) or linked to a
suggestion. Pushing or linking happens once: the item's row is locked and its state re-read first."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.opinions import actions as opinion_actions
from renda.suggestions.access import suggestions_for

from ..access import identity, is_organiser
from ..errors import ActivityError
from ..models import ProblemItem, ProblemStatus, RaisedBy
from ..workflow import HANDED_ON, Action, Actor, ProblemAction, problem_allowed, takes_part
from .common import audit, check, lock


@transaction.atomic
def record_problem(
    user, pk, *, text, raised_by_kind=RaisedBy.ENTERPRISE, raised_by="", place="", category=None, ip=None
) -> ProblemItem:
    """An attending invitee records a problem raised by an enterprise or a resident (the organiser may too)."""
    text = (text or "").strip()
    if not text:
        raise ActivityError(_("Describe the problem."))
    if raised_by_kind not in RaisedBy.values:
        raise ActivityError(_("Say who raised the problem."))
    activity = lock(pk)
    roles = check(user, activity, Action.RECORD_PROBLEM)
    deputy = member = None
    if Actor.INVITEE in roles:
        deputy, member = identity(user)
        invitation = (
            activity.invitations.filter(deputy=deputy) if deputy else activity.invitations.filter(member=member)
        )
        invitation = invitation.first()
        if not (invitation is not None and takes_part(invitation)) and Actor.ORGANISER not in roles:
            raise ActivityError(_("Only those taking part in the activity record its problems."), "role")
    number = (activity.problems.aggregate(n=Max("number"))["n"] or 0) + 1
    item = ProblemItem.objects.create(
        activity=activity,
        number=number,
        recorded_by_deputy=deputy,
        recorded_by_member=member,
        recorded_by=user,
        raised_by_kind=raised_by_kind,
        raised_by=(raised_by or "").strip()[:100],
        text=text,
        place=(place or "").strip()[:200],
        category=category,
    )
    audit(user, "record_problem", item, activity, {"number": number}, ip)
    return item


def _lock_item(user, problem_pk, action):
    """The item and its activity, locked in that order (activity first, as every activity action does)."""
    activity_pk = ProblemItem.objects.filter(pk=problem_pk).values_list("activity_id", flat=True).first()
    if activity_pk is None:
        raise ActivityError(_("No such problem item."), "invalid")
    activity = lock(activity_pk)
    check(user, activity, Action.COMPILE)
    item = ProblemItem.objects.select_for_update().get(pk=problem_pk)
    if not problem_allowed(action, item.status):
        if item.status in HANDED_ON:
            raise ActivityError(
                _("Problem %(number)s has already been pushed to handling; nothing was changed.")
                % {"number": item.number},
                "twice",
            )
        raise ActivityError(
            _("Problem %(number)s is %(status)s; this cannot be done now.")
            % {"number": item.number, "status": item.get_status_display()},
            "state",
        )
    return activity, item


@transaction.atomic
def compile_item(user, problem_pk, action: str, reason: str = "", *, ip=None) -> ProblemItem:
    """The organiser's list: put an item on it, or leave it out with a reason."""
    if action not in (ProblemAction.LIST, ProblemAction.DROP):
        raise ActivityError(_("Unknown action."))
    reason = (reason or "").strip()
    if action == ProblemAction.DROP and not reason:
        raise ActivityError(_("Please say why the problem is not taken up."))
    activity, item = _lock_item(user, problem_pk, action)
    before = item.status
    item.status = ProblemStatus.LISTED if action == ProblemAction.LIST else ProblemStatus.DROPPED
    item.drop_reason = reason[:200] if action == ProblemAction.DROP else ""
    item.save(update_fields=["status", "drop_reason"])
    audit(user, f"problem_{action}", item, activity, {"from": before, "to": item.status}, ip)
    return item


@transaction.atomic
def push(user, problem_pk, *, category=None, ip=None) -> ProblemItem:
    """Push to handling: a new opinion in the activity's region, from the deputy who recorded it (who rates it at
    the end), with the item's category, text and place; the item points at it. Twice is refused."""
    activity, item = _lock_item(user, problem_pk, ProblemAction.PUSH)
    category = category or item.category
    if category is None:
        raise ActivityError(_("Choose a category before pushing the problem to handling."))
    text = item.text
    if item.raised_by:
        text = f"{text}\n（{item.get_raised_by_kind_display()}：{item.raised_by}）"
    submission = opinion_actions.submit(
        deputy=item.recorded_by_deputy,
        station=activity.station,
        region=activity.region,
        category=category,
        text=text,
        place=item.place,
        client_token=f"activity-problem-{item.pk}",
    )
    item.opinion = submission.opinion
    item.category = category
    item.status = ProblemStatus.PUSHED
    item.pushed_by = user
    item.pushed_at = timezone.now()
    item.save(update_fields=["opinion", "category", "status", "pushed_by", "pushed_at"])
    audit(user, "problem_push", item, activity, {"opinion": submission.opinion.pk}, ip)
    return item


@transaction.atomic
def link(user, problem_pk, suggestion_pk, *, ip=None) -> ProblemItem:
    """Link the item to a suggestion or proposal the organiser can see (it is handled there)."""
    suggestion = suggestions_for(user).filter(pk=suggestion_pk).first()
    if suggestion is None:
        raise ActivityError(_("No such suggestion."), "invalid")
    activity, item = _lock_item(user, problem_pk, ProblemAction.LINK)
    item.suggestion = suggestion
    item.status = ProblemStatus.LINKED
    item.pushed_by = user
    item.pushed_at = timezone.now()
    item.save(update_fields=["suggestion", "status", "pushed_by", "pushed_at"])
    audit(user, "problem_link", item, activity, {"suggestion": suggestion.pk}, ip)
    return item


def may_compile(user, activity) -> bool:
    return is_organiser(user, activity)


def perform(user, problem_pk, action: str, *, reason="", category=None, suggestion_pk=0, ip=None) -> ProblemItem:
    """The one door of the pages and the API for the organiser's steps on an item (PROBLEM_TRANSITIONS)."""
    if action in (ProblemAction.LIST, ProblemAction.DROP):
        return compile_item(user, problem_pk, action, reason, ip=ip)
    if action == ProblemAction.PUSH:
        return push(user, problem_pk, category=category, ip=ip)
    if action == ProblemAction.LINK:
        return link(user, problem_pk, suggestion_pk or 0, ip=ip)
    raise ActivityError(_("Unknown action."))
