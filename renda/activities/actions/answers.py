"""An invitee's answer from the phone, and the organiser's attendance sheet ("谁组织谁记录")."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import invitations_of_user
from ..errors import ActivityError
from ..models import Answer, Attendance, Invitation
from ..workflow import Action, answers_closed
from .common import audit, check, lock

REASON_MAX = 200


@transaction.atomic
def answer(user, invitation_pk, choice: str, reason: str = "", *, ip=None) -> Invitation:
    """Attend, or excused with a reason; changeable until the activity starts, refused from then on."""
    found = invitations_of_user(user).filter(pk=invitation_pk).values_list("activity_id", flat=True).first()
    if found is None:
        raise ActivityError(_("No such invitation."), "invalid")
    activity = lock(found)
    invitation = Invitation.objects.select_for_update().get(pk=invitation_pk)
    check(user, activity, Action.ANSWER, invitation)
    if answers_closed(activity):
        raise ActivityError(
            _("The activity has already started; the invitation can no longer be answered. Please tell the organiser."),
            "too_late",
        )
    reason = (reason or "").strip()
    if choice not in (Answer.ATTEND, Answer.EXCUSED):
        raise ActivityError(_("Choose to attend or to be excused."))
    if choice == Answer.EXCUSED and not reason:
        raise ActivityError(_("Please give a reason for being excused."))
    if len(reason) > REASON_MAX:
        raise ActivityError(_("The reason may be at most %(n)d characters.") % {"n": REASON_MAX})
    invitation.answer = choice
    invitation.reason = reason if choice == Answer.EXCUSED else ""
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "reason", "answered_at"])
    audit(user, "answer", invitation, activity, {"answer": choice}, ip)
    return invitation


@transaction.atomic
def record_attendance(user, pk, marks: dict, *, ip=None) -> int:
    """The organiser's sheet: {invitation pk: Attendance value}, once the activity has started. Returns the number
    of invitations changed."""
    activity = lock(pk)
    check(user, activity, Action.ATTENDANCE)
    if activity.starts_at > timezone.now():
        raise ActivityError(_("Attendance is recorded once the activity has started."), "too_early")
    marks = {int(k): v for k, v in marks.items()}
    if any(value not in Attendance.values for value in marks.values()):
        raise ActivityError(_("Choose an attendance for each person."))
    invitations = {i.pk: i for i in activity.invitations.select_for_update().filter(pk__in=marks)}
    if set(marks) - set(invitations):
        raise ActivityError(_("No such invitation."), "invalid")
    now = timezone.now()
    changed = []
    for pk_, value in marks.items():
        invitation = invitations[pk_]
        if invitation.attendance != value:
            invitation.attendance = value
            invitation.recorded_by = user
            invitation.recorded_at = now
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["attendance", "recorded_by", "recorded_at"])
    if changed:
        audit(user, "attendance", activity, activity, {str(i.pk): i.attendance for i in changed}, ip)
    return len(changed)
