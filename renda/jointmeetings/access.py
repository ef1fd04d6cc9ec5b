"""Who sees which joint meeting, topic and linked work. Outside scope an object is missing (404).

- the meeting's office: congress staff whose regions cover the zone (the zone's own staff, the city's);
- a handling unit's staff: the questions (询问联通) sent to their unit, once the topic is published — nothing else;
- a member deputy: their meetings' published and closed topics with the linked work, read only.
"""

from django.db.models import Count, Q
from django.http import Http404

from renda.accounts.scope import scope_for
from renda.activities.access import office_activities
from renda.activities.models import Activity, OrganiserKind, ProblemItem
from renda.opinions.access import opinions_for
from renda.people.models import Deputy, Unit
from renda.projects.models import Body, Round
from renda.regions.models import Region, RegionKind, ancestor_paths

from .models import JointMeeting, Membership, Stream, Topic, Work
from .workflow import Role, TopicStatus


def meetings_for(user):
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return JointMeeting.objects.none()
    return JointMeeting.objects.filter(scope.region_q("zone__path"))


def get_meeting_for_user(user, pk) -> JointMeeting:
    meeting = meetings_for(user).filter(pk=pk).select_related("zone").first()
    if meeting is None:
        raise Http404("no such joint meeting")
    return meeting


def topics_for(user):
    return Topic.objects.filter(meeting__in=meetings_for(user))


def get_topic_for_user(user, pk) -> Topic:
    topic = topics_for(user).filter(pk=pk).select_related("meeting__zone").first()
    if topic is None:
        raise Http404("no such topic")
    return topic


def get_work_for_user(user, pk) -> Work:
    work = Work.objects.filter(topic__in=topics_for(user), pk=pk).select_related("topic__meeting__zone").first()
    if work is None:
        raise Http404("no such linked work")
    return work


def zones_without_meeting(user):
    """The zones in the user's regions that have no joint meeting yet (the "new meeting" form's choices)."""
    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Region.objects.none()
    return Region.objects.filter(scope.region_q("path"), kind=RegionKind.ZONE, joint_meeting__isnull=True).order_by(
        "path"
    )


def roles_on(user, topic: Topic, work: Work | None = None) -> set[str]:
    scope = scope_for(user)
    roles = set()
    if scope.covers_path(topic.meeting.zone.path):
        roles.add(Role.OFFICE)
    if work is not None and work.unit_id and work.unit_id in scope.unit_ids:
        roles.add(Role.UNIT)
    return roles


# The unit's side --------------------------------------------------------------------------------------------------


def unit_questions(user):
    """The questions sent to the user's units, from published (or closed) topics only."""
    scope = scope_for(user)
    if not scope.unit_ids:
        return Work.objects.none()
    return Work.objects.filter(
        stream=Stream.INQUIRY, unit_id__in=scope.unit_ids, topic__status__in=[TopicStatus.PUBLISHED, TopicStatus.CLOSED]
    )


def get_unit_question_for_user(user, pk) -> Work:
    work = unit_questions(user).filter(pk=pk).select_related("topic__meeting__zone", "unit").first()
    if work is None:
        raise Http404("no such question")
    return work


# The member deputy's side -----------------------------------------------------------------------------------------


def member_meetings(user):
    """The joint meetings the user's deputy records are members of."""
    scope = scope_for(user)
    if not scope.deputy_ids:
        return JointMeeting.objects.none()
    return JointMeeting.objects.filter(
        pk__in=Membership.objects.filter(deputy_id__in=scope.deputy_ids).values("meeting")
    )


def member_topics(user):
    """Their meetings' topics once published (a draft is the office's)."""
    return Topic.objects.filter(
        meeting__in=member_meetings(user), status__in=[TopicStatus.PUBLISHED, TopicStatus.CLOSED]
    )


def member_meetings_with_topics(user) -> list[tuple[JointMeeting, list[Topic]]]:
    """[(meeting, its published and closed topics, newest month first, each with `n`: its linked works)]: the member's
    page and the API's "my" list, in two queries."""
    meetings = list(member_meetings(user).select_related("zone").order_by("name", "id"))
    by_meeting: dict[int, list[Topic]] = {meeting.pk: [] for meeting in meetings}
    for topic in member_topics(user).annotate(n=Count("works")).order_by("-month", "-id"):
        by_meeting[topic.meeting_id].append(topic)
    return [(meeting, by_meeting[meeting.pk]) for meeting in meetings]


def member_open_topics(user) -> int | None:
    """How many published (not yet closed) topics the user's meetings have, or None when they are no member: one
    query (the deputy's home shows it only to members)."""
    scope = scope_for(user)
    if not scope.deputy_ids:
        return None
    memberships = Membership.objects.filter(deputy_id__in=scope.deputy_ids)
    found = memberships.aggregate(
        n=Count("id"),
        topics=Count("meeting__topics", filter=Q(meeting__topics__status=TopicStatus.PUBLISHED), distinct=True),
    )
    return found["topics"] if found["n"] else None


def get_member_topic_for_user(user, pk) -> Topic:
    topic = member_topics(user).filter(pk=pk).select_related("meeting__zone").first()
    if topic is None:
        raise Http404("no such topic")
    return topic


# What a meeting may link to ---------------------------------------------------------------------------------------


def eligible_deputies(meeting: JointMeeting):
    """Active deputies elected in the zone or in a town it coordinates: who may be a member."""
    return Deputy.objects.filter(meeting.zone.subtree_q("electoral_region__path"), is_active=True)


def addressable_units(meeting: JointMeeting):
    """Units a question may go to: those of the zone's subtree (its towns included) and of the regions above the zone
    and above each town it coordinates (a district's bureau answers for the towns it administers)."""
    prefixes = meeting.zone.subtree_prefixes()
    above = set()
    for prefix in prefixes:
        above.update(ancestor_paths(prefix))
    return Unit.objects.filter(meeting.zone.subtree_q("region__path") | Q(region__path__in=above), is_active=True)


def supervision_activities(user, meeting: JointMeeting):
    """Activities of a supervision kind (视察, 执法检查, 专题询问) held in the zone's subtree, seen by the office."""
    return office_activities(user).filter(meeting.zone.subtree_q("region__path"), kind__is_supervision=True)


def linkable_opinions(user, meeting: JointMeeting):
    return opinions_for(user).filter(meeting.zone.subtree_q("region__path"))


def linkable_problems(user, meeting: JointMeeting):
    return ProblemItem.objects.filter(
        activity__in=office_activities(user).filter(meeting.zone.subtree_q("region__path"))
    )


def meeting_sessions(meeting: JointMeeting):
    """The meeting's own sittings: activities it organised in its zone."""
    return Activity.objects.filter(region=meeting.zone, organiser_kind=OrganiserKind.JOINT_MEETING)


def meeting_rounds(meeting: JointMeeting):
    """The livelihood-project rounds the meeting votes (projects.Body.JOINT_MEETING in its zone)."""
    return Round.objects.filter(region=meeting.zone, body=Body.JOINT_MEETING)
