"""Who sees which suggestion, and in which workflow role they act on it. Outside scope an item is missing (404).

- the office: congress staff of the item's region or above (the same region rule as every staff view);
- submitters: their own items, and the items theirs were merged into (并案: every submitter is still answered);
- joint signers: items they were invited to sign;
- units: items they hold an active task on (lead or co-unit); a returned item leaves the unit's inbox.
"""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for

from .models import Session, Signature, Suggestion, UnitTask
from .workflow import Actor


def suggestions_for(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Suggestion.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Suggestion.objects.none()
    q = Q(author=user) | Q(merged__author=user) | Q(pk__in=Signature.objects.filter(user=user).values("suggestion_id"))
    if scope.staff_paths:
        q |= scope.region_q("region__path")
    if scope.unit_ids:
        q |= Q(pk__in=UnitTask.objects.filter(unit_id__in=scope.unit_ids, is_active=True).values("suggestion_id"))
    return Suggestion.objects.filter(q).distinct()


def office_suggestions(user):
    """The office's view: the items of the user's regions only (a unit's or submitter's own items are elsewhere)."""
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(scope.region_q("region__path"))


def sessions_for(user):
    """The plenary sessions of the user's regions (the office's record; everyone else sees none)."""
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Session.objects.none()
    return Session.objects.filter(scope.region_q("region__path"))


def unit_tasks_for(user):
    scope = scope_for(user)
    return UnitTask.objects.filter(unit_id__in=scope.unit_ids, is_active=True)


def get_suggestion_for_user(user, pk) -> Suggestion:
    suggestion = (
        suggestions_for(user)
        .filter(pk=pk)
        .select_related("region", "category", "lead_unit", "merged_into", "author", "deputy", "member")
        .first()
    )
    if suggestion is None:
        raise Http404("no such suggestion")
    return suggestion


def parties(suggestion: Suggestion) -> list[int]:
    """User ids who are answered and rate: the submitter, signed joint signers, and the submitters (and their
    signers) of items merged into this one."""
    ids = [suggestion.pk, *Suggestion.objects.filter(merged_into=suggestion).values_list("pk", flat=True)]
    users = list(Suggestion.objects.filter(pk__in=ids).order_by("pk").values_list("author_id", flat=True))
    users += list(
        Signature.objects.filter(suggestion_id__in=ids, status=Signature.Status.SIGNED)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    return list(dict.fromkeys(users))


def roles_on(user, suggestion: Suggestion) -> set[str]:
    """The workflow roles `user` holds on `suggestion` (empty: they may only look, or not even that)."""
    scope = scope_for(user)
    roles = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    if scope.is_congress_staff and scope.covers_path(suggestion.region.path):
        roles.add(Actor.OFFICE)
    if suggestion.author_id == user.pk or suggestion.merged.filter(author=user).exists():
        roles.add(Actor.AUTHOR)
    signature = suggestion.signatures.filter(user=user).first()
    if signature is not None and signature.status == Signature.Status.SIGNED:
        roles.add(Actor.SIGNER)
    elif signature is not None and signature.status == Signature.Status.INVITED:
        roles.add(Actor.INVITEE)
    if scope.unit_ids:
        for task in suggestion.tasks.filter(unit_id__in=scope.unit_ids, is_active=True):
            roles.add(Actor.LEAD if task.role == task.Role.LEAD else Actor.CO)
    return roles


def submitter_identity(user):
    """(kind, deputy, member) the user submits as: a deputy's account, or a CPPCC member's; None if neither."""
    deputy = getattr(user, "deputy", None) if getattr(user, "is_authenticated", False) else None
    from .models import MemberAccount

    account = (
        MemberAccount.objects.filter(user=user).select_related("member__region").first() if deputy is None else None
    )
    return deputy, (account.member if account else None)
