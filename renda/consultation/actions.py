"""Every write of CPPCC consultation: one transaction each, changed rows locked, rules re-checked under the lock,
one audit row. A refusal is a ValidationError with a message for the user; nothing is changed then."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.activities.actions.common import notify
from renda.activities.models import Activity, Body, Invitation, Kind, OrganiserKind, Status
from renda.audit.actions import record

from . import access
from .models import Feedback, Meeting, Result, Speech, Topic

CONSULTATION_KIND = "consultation"


class ConsultationError(ValidationError):
    pass


def _office(user, region) -> None:
    if not scope_for(user).covers_path(region.path):
        raise ConsultationError(_("Only staff of the committee's region may do this."), code="scope")


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("activity__region").get(pk=meeting.pk)


def create_topic(user, *, region, year: int, title: str, description: str = "", proposed_by: str = "", ip=None):
    _office(user, region)
    try:
        with transaction.atomic():
            position = (Topic.objects.filter(region=region, year=year).aggregate(n=Max("position"))["n"] or 0) + 1
            topic = Topic.objects.create(
                region=region,
                year=year,
                title=title,
                description=description,
                proposed_by=proposed_by,
                position=position,
            )
            record(
                user, "consultation.topic_create", topic, region=region, changes={"year": year, "title": title}, ip=ip
            )
    except IntegrityError:
        raise ConsultationError(_("This year already has a topic with this title."), code="twice") from None
    return topic


def create_meeting(
    user,
    *,
    region,
    title: str,
    form: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    theme: str = "",
    topics=(),
    members=(),
    is_public: bool = False,
    ip=None,
) -> Meeting:
    """A consultation meeting: its activity (body CPPCC, kind `consultation`, published), the topics it consults on
    and the invited members (their invitations)."""
    _office(user, region)
    if ends_at < starts_at:
        raise ConsultationError(_("The meeting ends before it starts."), code="dates")
    if any(topic.region_id != region.pk for topic in topics):
        raise ConsultationError(_("Choose topics of the committee's own plan."), code="topics")
    _check_members(region, members)
    kind = Kind.objects.filter(code=CONSULTATION_KIND).first()
    if kind is None:
        raise ConsultationError(_("The activity kind “consultation” is missing."), code="kind")
    with transaction.atomic():
        now = timezone.now()
        activity = Activity.objects.create(
            region=region,
            body=Body.CPPCC,
            kind=kind,
            organiser_kind=OrganiserKind.REGION,
            title=title,
            theme=theme,
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
            status=Status.PUBLISHED,
            published_at=now,
            is_public=is_public,
            created_by=user,
        )
        meeting = Meeting.objects.create(activity=activity, form=form)
        meeting.topics.set(topics)
        Invitation.objects.bulk_create([Invitation(activity=activity, member=member) for member in members])
        notify(activity.pk)  # the invited members are told through the outbox, as for any published activity
        record(
            user,
            "consultation.meeting_create",
            meeting,
            changes={
                "title": title,
                "form": form,
                "topics": [t.pk for t in topics],
                "members": [m.pk for m in members],
            },
            ip=ip,
        )
    return meeting


def _check_members(region, members) -> None:
    allowed = set(access.invitable_members(region).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    outside = [m.name for m in members if m.pk not in allowed]
    if outside:
        raise ConsultationError(
            _("Not members of this committee: %(names)s.") % {"names": "、".join(outside)}, code="members"
        )


def invite(user, meeting: Meeting, members, *, ip=None) -> int:
    with transaction.atomic():
        locked = _lock(meeting)
        _office(user, locked.activity.region)
        if locked.activity.status in (Status.CANCELLED, Status.FINISHED):
            raise ConsultationError(_("The meeting is over; nobody can be invited any more."), code="over")
        _check_members(locked.activity.region, members)
        existing = set(
            Invitation.objects.filter(activity_id=locked.activity_id, member__isnull=False).values_list(
                "member_id", flat=True
            )
        )
        new = [m for m in members if m.pk not in existing]
        Invitation.objects.bulk_create([Invitation(activity_id=locked.activity_id, member=m) for m in new])
        record(user, "consultation.invite", locked, changes={"members": [m.pk for m in new]}, ip=ip)
        if new and locked.activity.status == Status.PUBLISHED:
            notify(locked.activity_id)  # only the newly invited are told: each message's key names its invitation
    return len(new)


def save_speech(user, meeting: Meeting, member, *, title: str, text: str, order: int | None = None, ip=None) -> Speech:
    """A member's speech: the member submits their own (invited only), the office records or edits anyone's.
    One speech per member and meeting; saving again replaces its title and text."""
    if len(text) > settings.CONSULTATION_SPEECH_MAX_CHARS:
        raise ConsultationError(
            _("A speech is at most %(max)d characters.") % {"max": settings.CONSULTATION_SPEECH_MAX_CHARS}, code="long"
        )
    if not title.strip() or not text.strip():
        raise ConsultationError(_("Give the speech a title and its text."), code="empty")
    with transaction.atomic():
        locked = _lock(meeting)
        office = access.is_office(user, locked)
        if not office and access.member_of(user) != member:
            raise ConsultationError(_("You may only submit your own speech."), code="role")
        if not access.is_invited(locked, member):
            raise ConsultationError(
                _("%(name)s is not invited to this meeting.") % {"name": member.name}, code="not_invited"
            )
        if locked.activity.status == Status.CANCELLED:
            raise ConsultationError(_("The meeting was cancelled."), code="cancelled")
        speech = Speech.objects.select_for_update().filter(meeting=locked, member=member).first()
        if speech is None:
            if order is None:
                order = (locked.speeches.aggregate(n=Max("order"))["n"] or 0) + 1
            speech = Speech.objects.create(
                meeting=locked, member=member, title=title, text=text, order=order, submitted_by=user
            )
            action = "consultation.speech_submit"
        else:
            speech.title, speech.text = title, text
            fields = ["title", "text", "updated"]
            if order is not None and office:
                speech.order = order
                fields.append("order")
            speech.save(update_fields=fields)
            action = "consultation.speech_edit"
        record(user, action, speech, changes={"member": member.pk, "title": title, "by_office": office}, ip=ip)
    return speech


def add_result(user, meeting: Meeting, *, title: str, text: str, units, ip=None) -> Result:
    """A result of the meeting (建言成果), sent at once to `units`, each owing feedback within
    CONSULTATION_FEEDBACK_DAYS days."""
    if not units:
        raise ConsultationError(_("Send the result to at least one unit."), code="units")
    with transaction.atomic():
        locked = _lock(meeting)
        _office(user, locked.activity.region)
        region = locked.activity.region
        allowed = set(
            access.addressable_units(region).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
        )
        if any(unit.pk not in allowed for unit in units):
            raise ConsultationError(_("Choose units of the region or of the regions above it."), code="unit")
        now = timezone.now()
        result = Result.objects.create(meeting=locked, title=title, text=text, sent_at=now, created_by=user)
        due = timezone.localdate() + datetime.timedelta(days=settings.CONSULTATION_FEEDBACK_DAYS)
        Feedback.objects.bulk_create([Feedback(result=result, unit=unit, due=due) for unit in units])
        record(user, "consultation.result_send", result, changes={"units": [u.pk for u in units]}, ip=ip)
    return result


def give_feedback(user, feedback: Feedback, *, text: str, ip=None) -> Feedback:
    """A unit's feedback on a result, once, from the unit's login."""
    with transaction.atomic():
        locked = (
            Feedback.objects.select_for_update().select_related("result__meeting__activity__region").get(pk=feedback.pk)
        )
        if locked.unit_id not in scope_for(user).unit_ids:
            raise ConsultationError(_("Only the unit the result was sent to may answer."), code="role")
        if locked.answered_at is not None:
            raise ConsultationError(_("Feedback has already been given."), code="answered")
        if not text.strip():
            raise ConsultationError(_("Write the feedback."), code="empty")
        if len(text) > settings.CONSULTATION_SPEECH_MAX_CHARS:
            raise ConsultationError(
                _("Feedback is at most %(max)d characters.") % {"max": settings.CONSULTATION_SPEECH_MAX_CHARS},
                code="long",
            )
        locked.text, locked.answered_at, locked.answered_by = text.strip(), timezone.now(), user
        locked.save(update_fields=["text", "answered_at", "answered_by"])
        record(user, "consultation.feedback", locked, changes={"unit": locked.unit_id}, ip=ip)
    return locked
