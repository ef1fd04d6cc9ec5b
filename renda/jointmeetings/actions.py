"""Every write of the joint meetings: one transaction each, the changed rows locked, the rule re-checked under the
lock (workflow.require and the link rules of access.py), one audit row. A refusal is a ValidationError with a
message for the user; nothing is changed then."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.activities.actions import planning
from renda.activities.errors import ActivityError
from renda.activities.models import OrganiserKind
from renda.audit.actions import record
from renda.opinions import actions as opinion_actions
from renda.regions.models import RegionKind

from . import access
from .models import JointMeeting, Membership, Stream, Topic, Work, WorkStatus
from .workflow import Do, require


class JointMeetingError(ValidationError):
    pass


def _office(user, zone) -> None:
    if not scope_for(user).covers_path(zone.path):
        raise JointMeetingError(_("Only congress staff of the zone may do this."), code="scope")


def _lock_topic(topic: Topic) -> Topic:
    return Topic.objects.select_for_update().select_related("meeting__zone").get(pk=topic.pk)


def create_meeting(user, *, zone, name: str, description: str = "", ip=None) -> JointMeeting:
    if zone.kind != RegionKind.ZONE:
        raise JointMeetingError(_("A joint meeting belongs to a development zone."), code="zone")
    _office(user, zone)
    with transaction.atomic():
        if JointMeeting.objects.select_for_update().filter(zone=zone).exists():
            raise JointMeetingError(_("This zone already has a joint meeting."), code="exists")
        meeting = JointMeeting.objects.create(zone=zone, name=name, description=description)
        record(user, "jointmeetings.create", meeting, changes={"zone": zone.code, "name": name}, ip=ip)
    return meeting


def add_member(user, meeting: JointMeeting, deputy, *, role=Membership.Role.MEMBER, since=None, ip=None) -> Membership:
    _office(user, meeting.zone)
    with transaction.atomic():
        locked = JointMeeting.objects.select_for_update().select_related("zone").get(pk=meeting.pk)
        if not access.eligible_deputies(locked).filter(pk=deputy.pk).exists():
            raise JointMeetingError(
                _("%(name)s is not a deputy of the zone or of a town it coordinates.") % {"name": deputy.name},
                code="deputy",
            )
        if locked.memberships.filter(deputy=deputy).exists():
            raise JointMeetingError(_("%(name)s is already a member.") % {"name": deputy.name}, code="member")
        membership = Membership.objects.create(meeting=locked, deputy=deputy, role=role, since=since)
        record(user, "jointmeetings.add_member", locked, changes={"deputy": deputy.pk, "role": role}, ip=ip)
    return membership


def remove_member(user, membership: Membership, *, ip=None) -> None:
    _office(user, membership.meeting.zone)
    with transaction.atomic():
        locked = JointMeeting.objects.select_for_update().get(pk=membership.meeting_id)
        deleted, _rows = Membership.objects.filter(pk=membership.pk, meeting=locked).delete()
        if deleted:
            record(user, "jointmeetings.remove_member", locked, changes={"deputy": membership.deputy_id}, ip=ip)


def create_topic(user, meeting: JointMeeting, *, month: datetime.date, title: str, description: str = "", ip=None):
    _office(user, meeting.zone)
    month = month.replace(day=1)
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                meeting=meeting, month=month, title=title, description=description, created_by=user
            )
            record(user, "jointmeetings.topic_create", topic, changes={"month": month, "title": title}, ip=ip)
    except IntegrityError:
        raise JointMeetingError(_("This month already has a topic."), code="month") from None
    return topic


def edit_topic(user, topic: Topic, *, title: str, description: str, ip=None) -> Topic:
    with transaction.atomic():
        locked = _lock_topic(topic)
        require(locked.status, Do.EDIT, access.roles_on(user, locked))
        changes = {k: v for k, v in (("title", title), ("description", description)) if getattr(locked, k) != v}
        locked.title, locked.description = title, description
        locked.save(update_fields=["title", "description"])
        record(user, "jointmeetings.topic_edit", locked, changes=changes, ip=ip)
    return locked


def transition(user, topic: Topic, action: str, *, ip=None) -> Topic:
    """Publish (draft → published) or close (published → closed)."""
    if action not in (Do.PUBLISH, Do.CLOSE):
        raise JointMeetingError(_("Unknown action."), code="action")
    with transaction.atomic():
        locked = _lock_topic(topic)
        before = locked.status
        locked.status = require(before, action, access.roles_on(user, locked))
        fields = ["status"]
        if action == Do.PUBLISH:
            locked.published_at = timezone.now()
            fields.append("published_at")
        else:
            locked.closed_at = timezone.now()
            fields.append("closed_at")
        locked.save(update_fields=fields)
        record(user, f"jointmeetings.topic_{action}", locked, changes={"status": [before, locked.status]}, ip=ip)
    return locked


def add_work(user, topic: Topic, *, stream: str, title: str, detail: str = "", owner=None, due=None, ip=None, **link):
    """A record of linked work under the topic. `link` by stream: activity (supervision), unit (inquiry), opinion or
    problem (matter) — or, for a new matter, its `category`: the matter is filed as an opinion in the zone, raised by
    the owner deputy (who follows and rates it), and handled like any other —, sent_to and sent_on (report)."""
    with transaction.atomic():
        locked = _lock_topic(topic)
        require(locked.status, Do.ADD_WORK, access.roles_on(user, locked))
        meeting = locked.meeting
        if owner is not None and not meeting.memberships.filter(deputy=owner).exists():
            raise JointMeetingError(_("The owner must be a member of the meeting."), code="owner")
        if stream == Stream.MATTER and link.get("category") and not (link.get("opinion") or link.get("problem")):
            opinion, created = _file_matter(meeting, locked, title, detail, owner, link["category"])
            if not created:
                # A retried request: its opinion is already filed; answer with the work that links it.
                earlier = locked.works.filter(opinion=opinion).first()
                if earlier is not None:
                    return earlier
            link = {"opinion": opinion}
        fields = _link_fields(user, meeting, locked, stream, link)
        if stream == Stream.INQUIRY and due is None:
            due = timezone.localdate() + datetime.timedelta(days=settings.JOINT_MEETING_ANSWER_DAYS)
        work = Work.objects.create(
            topic=locked, stream=stream, title=title, detail=detail, owner=owner, due=due, created_by=user, **fields
        )
        changes = {"stream": stream, "title": title, "owner": getattr(owner, "pk", None), "due": due}
        changes.update({key: getattr(value, "pk", value) for key, value in fields.items()})
        record(user, "jointmeetings.work_add", work, changes=changes, ip=ip)
    return work


def plan_sitting(user, meeting: JointMeeting, *, kind, title: str, starts_at, ends_at, place: str = "", ip=None):
    """A sitting of the meeting: a draft activity the joint meeting organises in its zone, with its members invited.
    The office publishes it from the activity's page, and the members are told then (activities' rules apply: the
    organiser's region, times, the invitation region rule)."""
    try:
        with transaction.atomic():
            activity = planning.create(
                user,
                region=meeting.zone,
                kind=kind,
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                place=place,
                organiser_kind=OrganiserKind.JOINT_MEETING,
                ip=ip,
            )
            deputies = list(meeting.memberships.order_by("id").values_list("deputy_id", flat=True))
            if deputies:
                planning.invite(user, activity.pk, deputies=deputies, members=[], ip=ip)
            record(
                user, "jointmeetings.sitting_plan", meeting, changes={"activity": activity.pk, "title": title}, ip=ip
            )
    except ActivityError as error:
        raise JointMeetingError(str(error), code=error.code) from None
    return activity


def _file_matter(meeting, topic, title: str, detail: str, owner, category):
    """A new jointly handled matter (事项联办) filed as an opinion in the zone, raised by the owner deputy: (opinion,
    created). Its idempotency key names the topic and the matter, so a retried request files nothing twice."""
    text = f"{title}\n{detail}".strip() if detail else title
    key = hashlib.sha256(f"{owner.pk if owner else ''}|{text}".encode()).hexdigest()[:24]
    submission = opinion_actions.submit(
        deputy=owner, region=meeting.zone, category=category, text=text, client_token=f"joint-{topic.pk}-{key}"
    )
    return submission.opinion, submission.created


def _link_fields(user, meeting, topic, stream, link) -> dict:
    if stream == Stream.SUPERVISION:
        activity = link.get("activity")
        if activity is None or not access.supervision_activities(user, meeting).filter(pk=activity.pk).exists():
            raise JointMeetingError(
                _("Choose a supervision activity (inspection, law-enforcement check, inquiry) held in the zone."),
                code="activity",
            )
        return {"activity": activity}
    if stream == Stream.INQUIRY:
        unit = link.get("unit")
        if unit is None or not access.addressable_units(meeting).filter(pk=unit.pk).exists():
            raise JointMeetingError(_("Choose a unit of the zone or of the regions above it."), code="unit")
        return {"unit": unit}
    if stream == Stream.MATTER:
        opinion, problem = link.get("opinion"), link.get("problem")
        if (opinion is None) == (problem is None):
            raise JointMeetingError(
                _("Link exactly one opinion or one problem item, or choose a category to file a new matter."),
                code="matter",
            )
        if opinion is not None:
            if not access.linkable_opinions(user, meeting).filter(pk=opinion.pk).exists():
                raise JointMeetingError(_("This opinion is not in the zone."), code="opinion")
            if topic.works.filter(opinion=opinion).exists():
                raise JointMeetingError(_("This opinion is already linked to the topic."), code="twice")
            return {"opinion": opinion}
        if not access.linkable_problems(user, meeting).filter(pk=problem.pk).exists():
            raise JointMeetingError(_("This problem item is not in the zone."), code="problem")
        if topic.works.filter(problem=problem).exists():
            raise JointMeetingError(_("This problem item is already linked to the topic."), code="twice")
        return {"problem": problem, "opinion": problem.opinion}
    if stream == Stream.REPORT:
        if not link.get("sent_to"):
            raise JointMeetingError(_("Say where the report was sent."), code="sent_to")
        return {"sent_to": link["sent_to"], "sent_on": link.get("sent_on")}
    raise JointMeetingError(_("Unknown stream."), code="stream")


def _lock_work(work: Work) -> Work:
    locked_topic = _lock_topic(work.topic)
    locked = Work.objects.select_for_update().get(pk=work.pk)
    locked.topic = locked_topic
    return locked


def complete_work(user, work: Work, *, ip=None) -> Work:
    with transaction.atomic():
        locked = _lock_work(work)
        require(locked.topic.status, Do.UPDATE_WORK, access.roles_on(user, locked.topic))
        if locked.status == WorkStatus.DONE:
            raise JointMeetingError(_("This work is already done."), code="done")
        locked.status, locked.done_at = WorkStatus.DONE, timezone.now()
        locked.save(update_fields=["status", "done_at"])
        record(user, "jointmeetings.work_done", locked, ip=ip)
    return locked


def record_adoption(user, work: Work, *, adopted: bool, level: str = "", adopted_on=None, ip=None) -> Work:
    """Whether an information report was adopted (采用), at which level and when."""
    with transaction.atomic():
        locked = _lock_work(work)
        require(locked.topic.status, Do.UPDATE_WORK, access.roles_on(user, locked.topic))
        if locked.stream != Stream.REPORT:
            raise JointMeetingError(_("Only an information report is adopted."), code="stream")
        if adopted and not (level and adopted_on):
            raise JointMeetingError(_("An adopted report needs the level and date of adoption."), code="level")
        if not adopted:
            level, adopted_on = "", None
        locked.adopted, locked.adopted_level, locked.adopted_on = adopted, level, adopted_on
        locked.save(update_fields=["adopted", "adopted_level", "adopted_on"])
        record(
            user,
            "jointmeetings.report_adoption",
            locked,
            changes={"adopted": adopted, "level": level, "on": adopted_on},
            ip=ip,
        )
    return locked


def answer_question(user, work: Work, *, text: str, ip=None) -> Work:
    """The unit's answer to a joint inquiry (询问联通), given once from the unit's login."""
    with transaction.atomic():
        locked = _lock_work(work)
        require(locked.topic.status, Do.ANSWER, access.roles_on(user, locked.topic, locked))
        if locked.stream != Stream.INQUIRY:
            raise JointMeetingError(_("Only a question is answered."), code="stream")
        if locked.answered_at is not None:
            raise JointMeetingError(_("This question has already been answered."), code="answered")
        if not text.strip():
            raise JointMeetingError(_("Write the answer."), code="empty")
        locked.answer, locked.answered_at, locked.answered_by = text.strip(), timezone.now(), user
        locked.status, locked.done_at = WorkStatus.DONE, locked.answered_at
        locked.save(update_fields=["answer", "answered_at", "answered_by", "status", "done_at"])
        record(user, "jointmeetings.answer", locked, changes={"unit": locked.unit_id}, ip=ip)
    return locked
