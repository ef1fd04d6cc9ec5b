"""Who sees which consultation topic, meeting, speech and result. Outside scope an object is missing (404).

- the office: congress staff (the CPPCC office works with the same region grant) whose regions cover the meeting's;
- a CPPCC member (through suggestions.MemberAccount): the meetings they are invited to, and their own speech;
- a handling unit's staff: the results sent to their unit (their feedback rows), nothing else of the meeting.
"""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for
from renda.activities.models import Invitation, Status
from renda.people.models import Member, Unit
from renda.regions.models import ancestor_paths
from renda.suggestions.models import MemberAccount

from .models import Feedback, Meeting, Topic


def topics_for(user):
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Topic.objects.none()
    return Topic.objects.filter(scope.region_q("region__path"))


def meetings_for(user):
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Meeting.objects.none()
    return Meeting.objects.filter(scope.region_q("activity__region__path"))


def get_meeting_for_user(user, pk) -> Meeting:
    meeting = meetings_for(user).filter(pk=pk).select_related("activity__region", "activity__kind").first()
    if meeting is None:
        raise Http404("no such consultation meeting")
    return meeting


def is_office(user, meeting: Meeting) -> bool:
    return scope_for(user).covers_path(meeting.activity.region.path)


# A member's side -----------------------------------------------------------------------------------------------


def member_of(user) -> Member | None:
    """The CPPCC member behind a login (suggestions.MemberAccount), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    account = MemberAccount.objects.filter(user=user).select_related("member").first()
    return account.member if account else None


def my_invitations(user):
    """The member's invitations to consultation meetings that are no longer drafts."""
    member = member_of(user)
    if member is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(member=member, activity__consultation__isnull=False).exclude(
        activity__status=Status.DRAFT
    )


def get_my_meeting(user, pk) -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=pk, activity__in=my_invitations(user).values("activity_id"))
        .select_related("activity__region")
        .first()
    )
    if meeting is None:
        raise Http404("no such consultation meeting")
    return meeting


def is_invited(meeting: Meeting, member: Member) -> bool:
    return Invitation.objects.filter(activity_id=meeting.activity_id, member=member).exists()


# A unit's side -------------------------------------------------------------------------------------------------


def unit_feedback(user):
    scope = scope_for(user)
    if not scope.unit_ids:
        return Feedback.objects.none()
    return Feedback.objects.filter(unit_id__in=scope.unit_ids, result__sent_at__isnull=False)


def get_unit_feedback_for_user(user, pk) -> Feedback:
    feedback = unit_feedback(user).filter(pk=pk).select_related("result__meeting__activity", "unit").first()
    if feedback is None:
        raise Http404("no such result")
    return feedback


# What a meeting may use ----------------------------------------------------------------------------------------


def invitable_members(region):
    """Active CPPCC members of the committee's region and below."""
    return Member.objects.filter(region.subtree_q("region__path"), is_active=True)


def addressable_units(region):
    """Units of the region's subtree and of the regions above it."""
    return Unit.objects.filter(
        region.subtree_q("region__path") | Q(region__path__in=ancestor_paths(region.path)), is_active=True
    )
