"""Who sees which suggestion, and in which workflow role they act on it. Outside scope an item is missing (404).

- the office: congress staff of the item's region or above (the same region rule as every staff view), and for a
  CPPCC proposal also the CPPCC staff (政协机关) of its region or above, who see nothing of the congress side;
- submitters: their own items, and the items theirs were merged into (并案: every submitter is still answered);
- joint signers: items they were invited to sign;
- units: items they hold an active task on (lead or co-unit); a returned item leaves the unit's inbox.
"""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for
from renda.regions.models import VILLAGE_KINDS, Region

from .models import Session, Signature, SocialReport, Suggestion, UnitTask
from .workflow import Actor, Kind


def _office_q(scope) -> Q | None:
    """The items the user's office grants reach: every kind where congress staff, proposals where CPPCC staff."""
    q = None
    if scope.staff_paths:
        q = scope.region_q("region__path")
    if scope.cppcc_paths:
        cppcc = scope.region_q("region__path", paths=scope.cppcc_paths) & Q(kind=Kind.CPPCC)
        q = cppcc if q is None else q | cppcc
    return q


def is_office_for(scope, kind: str, path: str) -> bool:
    """Whether the user acts as the office for an item (or a session) of `kind` in the region at `path`."""
    if scope.is_congress_staff and scope.covers_path(path):
        return True
    return kind == Kind.CPPCC and scope.covers_path(path, paths=scope.cppcc_paths)


def office_kinds(scope) -> list[str]:
    """The kinds the user is an office for somewhere: every kind as congress staff, proposals as CPPCC staff."""
    if scope.is_congress_staff:
        return list(Kind.values)
    return [Kind.CPPCC] if scope.is_cppcc_staff else []


def _office_paths(scope) -> tuple[str, ...]:
    return scope.staff_paths + scope.cppcc_paths


def office_regions(user):
    """The regions where the user is an office (of either kind), down to towns: where a session may be recorded."""
    scope = scope_for(user)
    return Region.objects.filter(scope.region_q("path", paths=_office_paths(scope))).exclude(kind__in=VILLAGE_KINDS)


def suggestions_for(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Suggestion.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Suggestion.objects.none()
    q = Q(author=user) | Q(merged__author=user) | Q(pk__in=Signature.objects.filter(user=user).values("suggestion_id"))
    office = _office_q(scope)
    if office is not None:
        q |= office
    if scope.unit_ids:
        q |= Q(pk__in=UnitTask.objects.filter(unit_id__in=scope.unit_ids, is_active=True).values("suggestion_id"))
    return Suggestion.objects.filter(q).distinct()


def office_suggestions(user):
    """The office's view: the items of the user's regions only (a unit's or submitter's own items are elsewhere)."""
    office = _office_q(scope_for(user))
    return Suggestion.objects.none() if office is None else Suggestion.objects.filter(office)


def sessions_for(user):
    """The plenary sessions of the user's regions (the office's record; CPPCC staff the CPPCC's; others none)."""
    office = _office_q(scope_for(user))
    return Session.objects.none() if office is None else Session.objects.filter(office)


def _reports_q(scope) -> Q | None:
    """社情民意 reports of the office's regions: a CPPCC matter, so congress staff's and CPPCC staff's alike."""
    paths = _office_paths(scope)
    return scope.region_q("region__path", paths=paths) if paths else None


def office_reports(user):
    office = _reports_q(scope_for(user))
    return SocialReport.objects.none() if office is None else SocialReport.objects.filter(office)


def reports_for(user):
    """The reports a user may open: their own, and the office's."""
    office = _reports_q(scope_for(user))
    return SocialReport.objects.filter(Q(author=user) if office is None else Q(author=user) | office)


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
    if is_office_for(scope, suggestion.kind, suggestion.region.path):
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
