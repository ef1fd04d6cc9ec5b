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
    """The invitations of the deputy or CPPCC member behind `user` (none for other accounts).

    The person is looked up first (two primary-key reads), so the invitations are read through their own indexes
    (deputy, activity) / (member, activity): an OR across joins would scan every invitation."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    cached = getattr(user, "_renda_invitees", None)
    if cached is None:
        from renda.people.models import Deputy
        from renda.suggestions.models import MemberAccount

        deputies = list(Deputy.objects.filter(user=user).values_list("pk", flat=True))
        members = list(MemberAccount.objects.filter(user=user).values_list("member_id", flat=True))
        cached = user._renda_invitees = (deputies, members)
    deputies, members = cached
    if not deputies and not members:
        return Invitation.objects.none()
    q = Q(pk__in=[])
    if deputies:
        q |= Q(deputy_id__in=deputies)
    if members:
        q |= Q(member_id__in=members)
    return Invitation.objects.filter(q)


def invitations_of_deputy(deputy):
    return Invitation.objects.filter(deputy=deputy)


def invitations_of_member(member):
    return Invitation.objects.filter(member=member)


def get_activity_for_user(user, pk) -> Activity:
    activity = activities_for(user).filter(pk=pk).select_related("region", "kind", "station", "campaign").first()
    if activity is None:
        raise Http404("no such activity")
    return activity


def organised_activities(user):
    """The activities the user organises: congress staff's regions, and a station keeper's station(s)."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    if scope.staff_paths:
        q |= scope.region_q("region__path")
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids)
    return Activity.objects.filter(q)


def get_organised_activity(user, pk) -> Activity:
    activity = organised_activities(user).filter(pk=pk).select_related("region", "kind", "station", "campaign").first()
    if activity is None:
        raise Http404("no such activity")
    return activity


def is_organiser(user, activity) -> bool:
    """Congress staff of the activity's region (or above), or the keeper of the station that organises it."""
    scope = scope_for(user)
    if scope.staff_paths and scope.covers_path(activity.region.path):
        return True
    return bool(activity.station_id and activity.station_id in scope.station_ids)


def roles_on(user, activity, invitation=None) -> set[str]:
    """The workflow roles (workflow.Actor) the user holds on the activity."""
    from .models import Origin
    from .workflow import Actor

    roles = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    if is_organiser(user, activity):
        roles.add(Actor.ORGANISER)
    if invitation is None:
        invitation = invitations_of_user(user).filter(activity=activity).first()
    if invitation is not None:
        if activity.origin == Origin.SELF_REPORTED and activity.created_by_id == user.pk:
            roles.add(Actor.REPORTER)
        else:
            roles.add(Actor.INVITEE)
    return roles


def eligible_deputies(region):
    """Deputies the organiser of an activity in `region` may invite: elected in the region's subtree (a zone's managed
    towns included), or serving at a station there."""
    from renda.people.models import Deputy
    from renda.stations.models import Station

    stations = Station.objects.filter(region.subtree_q("region__path")).values("pk")
    return Deputy.objects.filter(is_active=True).filter(
        Q(pk__in=Deputy.objects.filter(region.subtree_q("electoral_region__path")).values("pk"))
        | Q(pk__in=Deputy.objects.filter(assignments__station__in=stations).values("pk"))
    )


def eligible_members(region):
    """CPPCC members the organiser of an activity in `region` may invite: members of the region's subtree."""
    from renda.people.models import Member

    return Member.objects.filter(is_active=True).filter(region.subtree_q("region__path"))


def identity(user):
    """(deputy, member) behind the account: a deputy's own login, or a CPPCC member's (suggestions.MemberAccount)."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    from renda.suggestions.access import submitter_identity

    return submitter_identity(user)


# Public reads: what anyone may see (the phone pages and the open data) ----------------------------------------------

PUBLIC_STATES = (Status.PUBLISHED, Status.FINISHED)


def public_activities():
    """Activities marked public, once published (and after they are finished); never drafts, cancelled or
    self-recorded ones awaiting confirmation."""
    return Activity.objects.filter(is_public=True, status__in=PUBLIC_STATES)


def get_public_activity(pk) -> Activity:
    activity = public_activities().filter(pk=pk).select_related("region", "kind", "station").first()
    if activity is None:
        raise Http404("no such activity")
    return activity
