"""Who sees which activity. Outside scope an activity is missing (404).

- the organiser's office: congress staff of the activity's region or above (the region rule of every staff view);
- a station's keeper: the activities their station organises;
- invitees: the activities they are invited to (deputies through Deputy.user, members through their MemberAccount);
- a participant who recorded an activity themselves: that activity.
Drafts are seen by the office only.
"""

from django.db.models import Q
from django.http import Http404

from renda.accounts.scope import scope_for

from .models import Activity, Invitation, Status


def activities_for(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Activity.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Activity.objects.none()
    q = Q(pk__in=invitations_of_user(user).exclude(activity__status=Status.DRAFT).values("activity_id"))
    if scope.staff_paths:
        q |= scope.region_q("region__path")
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids)
    return Activity.objects.filter(q)


def office_activities(user):
    """The organiser's view: the activities of the user's regions (congress staff only)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Activity.objects.all()
    if not scope.is_congress_staff:
        return Activity.objects.none()
    return Activity.objects.filter(scope.region_q("region__path"))


def invitations_of_user(user):
    """The invitations of the deputy or CPPCC member behind `user` (none for other accounts)."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return Invitation.objects.filter(Q(deputy__user=user) | Q(member__account__user=user))


def invitations_of_deputy(deputy):
    return Invitation.objects.filter(deputy=deputy)


def invitations_of_member(member):
    return Invitation.objects.filter(member=member)


def get_activity_for_user(user, pk) -> Activity:
    activity = activities_for(user).filter(pk=pk).select_related("region", "kind", "station", "campaign").first()
    if activity is None:
        raise Http404("no such activity")
    return activity
