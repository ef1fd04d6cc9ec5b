"""Findings, report and files; a participant's self-recorded activity and the organiser's confirmation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.images import reencode_image

from ..access import identity
from ..errors import ActivityError
from ..models import Activity, ActivityFile, Answer, Attendance, Body, Invitation, OrganiserKind, Origin, Status
from ..workflow import Action
from .common import audit, check, lock

MAX_FILE_BYTES = 10 * 1024 * 1024


@transaction.atomic
def self_record(user, *, kind, title, starts_at, ends_at, place="", theme="", findings="", ip=None) -> Activity:
    """A deputy or member records an activity they took part in outside the platform; it waits for the organiser
    (the congress or CPPCC office of their region) to confirm it."""
    deputy, member = identity(user)
    if deputy is None and member is None:
        raise ActivityError(_("Only a deputy or a CPPCC member records their own activities."), "role")
    if ends_at < starts_at:
        raise ActivityError(_("The activity cannot end before it starts."))
    if starts_at > timezone.now():
        raise ActivityError(_("Only an activity that has already taken place can be recorded."), "too_early")
    region = deputy.electoral_region if deputy is not None else member.region
    activity = Activity.objects.create(
        region=region,
        body=Body.CONGRESS if deputy is not None else Body.CPPCC,
        kind=kind,
        organiser_kind=OrganiserKind.REGION,
        title=title,
        theme=theme,
        place=place,
        findings=findings,
        starts_at=starts_at,
        ends_at=ends_at,
        status=Status.REPORTED,
        origin=Origin.SELF_REPORTED,
        created_by=user,
    )
    Invitation.objects.create(
        activity=activity, deputy=deputy, member=member, answer=Answer.ATTEND, answered_at=timezone.now()
    )
    audit(user, "self_record", activity, activity, {"title": title}, ip)
    return activity


@transaction.atomic
def confirm(user, pk, *, ip=None) -> Activity:
    activity = lock(pk)
    check(user, activity, Action.CONFIRM)
    activity.status = Status.FINISHED
    activity.finished_at = timezone.now()
    activity.version += 1
    activity.save(update_fields=["status", "finished_at", "version", "updated"])
    now = timezone.now()
    activity.invitations.update(attendance=Attendance.PRESENT, recorded_by=user, recorded_at=now)
    audit(user, "confirm", activity, activity, {"from": Status.REPORTED, "to": Status.FINISHED}, ip)
    return activity


@transaction.atomic
def reject(user, pk, reason: str, *, ip=None) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ActivityError(_("Please say why the activity is not confirmed."))
    activity = lock(pk)
    check(user, activity, Action.REJECT)
    activity.status = Status.REJECTED
    activity.reject_reason = reason[:200]
    activity.version += 1
    activity.save(update_fields=["status", "reject_reason", "version", "updated"])
    audit(user, "reject", activity, activity, {"reason": activity.reject_reason}, ip)
    return activity


@transaction.atomic
def write_report(user, pk, *, findings: str, report: str, ip=None) -> Activity:
    activity = lock(pk)
    check(user, activity, Action.REPORT)
    activity.findings = findings
    activity.report = report
    activity.save(update_fields=["findings", "report", "updated"])
    audit(user, "report", activity, activity, {"findings": len(findings), "report": len(report)}, ip)
    return activity


@transaction.atomic
def add_file(user, pk, upload, *, is_photo=False, is_public=False, ip=None) -> ActivityFile:
    """A photo (re-encoded as JPEG, no metadata) or a document; public only if a photo of a public activity."""
    activity = lock(pk)
    check(user, activity, Action.ADD_FILE)
    name = (getattr(upload, "name", "") or "file")[:200]
    if is_photo:
        try:
            content = reencode_image(upload)
        except ValidationError as error:
            raise ActivityError(" ".join(error.messages)) from None
        content.name = "photo.jpg"
    else:
        if upload.size > MAX_FILE_BYTES:
            raise ActivityError(_("Each file may be at most 10 MB."))
        content = upload
    item = ActivityFile(activity=activity, name=name, is_photo=is_photo, is_public=bool(is_public and is_photo))
    item.file.save(content.name, content, save=False)
    item.save()
    audit(user, "add_file", item, activity, {"name": name, "photo": is_photo}, ip)
    return item
