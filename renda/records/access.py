"""Who sees whose record. Outside scope a record, a dispute, a report or a weight table is missing (404).

- the office: congress staff whose regions cover the person's region (a deputy's electoral region, a member's
  committee region) — the same rule as editing the person (people/access.py `can_edit_deputy`);
- the person: their own record (a deputy through Deputy.user / a deputy grant, a member through MemberAccount).

Keepers and other staff who may see a deputy's profile do not see the record: it is the office's and the person's.
"""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for
from renda.people.models import Deputy, Member
from renda.suggestions.models import MemberAccount

from .models import Dispute, Line, Report, WeightTable
from .workflow import Role


def own_member_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(MemberAccount.objects.filter(user=user).values_list("member_id", flat=True))


def record_deputies(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Deputy.objects.none()  # the superuser sees no business object
    q = Q(pk__in=scope.deputy_ids)
    if scope.is_congress_staff:
        q |= scope.region_q("electoral_region__path")
    return Deputy.objects.filter(q)


def record_members(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Member.objects.none()
    q = Q(pk__in=own_member_ids(user))
    if scope.is_congress_staff:
        q |= scope.region_q("region__path")
    return Member.objects.filter(q)


def office_deputies(user):
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Deputy.objects.none()
    return Deputy.objects.filter(scope.region_q("electoral_region__path"))


def office_members(user):
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Member.objects.none()
    return Member.objects.filter(scope.region_q("region__path"))


def get_deputy_for_user(user, pk) -> Deputy:
    deputy = record_deputies(user).filter(pk=pk).select_related("electoral_region").first()
    if deputy is None:
        raise Http404("no such deputy")
    return deputy


def get_member_for_user(user, pk) -> Member:
    member = record_members(user).filter(pk=pk).select_related("region").first()
    if member is None:
        raise Http404("no such member")
    return member


def person_region(person):
    return person.electoral_region if isinstance(person, Deputy) else person.region


def roles_on(user, person) -> set[str]:
    roles = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    scope = scope_for(user)
    if scope.is_congress_staff and scope.covers_path(person_region(person).path):
        roles.add(Role.OFFICE)
    if isinstance(person, Deputy):
        if person.pk in scope.deputy_ids or (person.user_id and person.user_id == user.pk):
            roles.add(Role.PERSON)
    elif person.pk in own_member_ids(user):
        roles.add(Role.PERSON)
    return roles


def get_line_for_user(user, pk) -> Line:
    """A record's line the user holds a role on (the person themselves, or the office of the person's region);
    anyone else finds it missing (404)."""
    line = Line.objects.filter(pk=pk).select_related("deputy__electoral_region", "member__region").first()
    if line is None or not roles_on(user, line.person):
        raise Http404("no such line")
    return line


def _person_q(user) -> Q:
    return Q(deputy__in=record_deputies(user)) | Q(member__in=record_members(user))


def disputes_for(user):
    return Dispute.objects.filter(_person_q(user))


def office_disputes(user):
    return Dispute.objects.filter(Q(deputy__in=office_deputies(user)) | Q(member__in=office_members(user)))


def get_dispute_for_user(user, pk) -> Dispute:
    dispute = disputes_for(user).filter(pk=pk).select_related("deputy__electoral_region", "member__region").first()
    if dispute is None:
        raise Http404("no such dispute")
    return dispute


def reports_for(user):
    return Report.objects.filter(_person_q(user))


def office_reports(user):
    return Report.objects.filter(Q(deputy__in=office_deputies(user)) | Q(member__in=office_members(user)))


def get_report_for_user(user, pk) -> Report:
    report = reports_for(user).filter(pk=pk).select_related("deputy__electoral_region", "member__region").first()
    if report is None:
        raise Http404("no such report")
    return report


def tables_for(user):
    """Weight tables of the user's regions and below (the office edits its own; a table above applies but is the
    higher office's)."""
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return WeightTable.objects.none()
    return WeightTable.objects.filter(scope.region_q("region__path"))


def get_table_for_user(user, pk) -> WeightTable:
    table = tables_for(user).filter(pk=pk).select_related("region").first()
    if table is None:
        raise Http404("no such weight table")
    return table


def may_use_records(user) -> bool:
    """Congress staff (their regions' records) and deputies or members (their own)."""
    scope = scope_for(user)
    return bool(scope.is_congress_staff or scope.deputy_ids or own_member_ids(user))
