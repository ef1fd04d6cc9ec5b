"""Recording attendance after a reception: each deputy on duty attended, or was absent with a reason.

Who: congress staff of the station's region; for the station's own (roster or one-off) receptions also its keeper.
A unified reception day belongs to the congress office, so its attendance is recorded by staff only.

When:
- not before the reception has started (a deputy cannot have attended a sitting that has not happened);
- not for a cancelled reception (nobody was expected);
- after the reception day (campaign) is finished, the figures of its report are final: attendance may no longer
  change, but the reason given for an absence may still be corrected (a typo, a late sick note). The reason stays
  required.

The whole form is one transaction: one invalid row refuses every row, so nothing is half-recorded. The campaign row
(when there is one) and then the reception's duties are locked, in the same order as finishing a campaign, so
recording and finishing at the same moment are serialised and the finished check reads the committed status.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.actions import record

from ..access import may_record_attendance
from ..models import Campaign, Duty, Reception, Visit
from ..rules import attendance_problem, has_started, visitors_problem
from ..workflow import CampaignStatus, ReceptionStatus


def _check_may_record(actor, reception: Reception) -> None:
    """The pages answer 404 first; this is the second lock on the door for a caller that skips them."""
    if not may_record_attendance(actor, reception):
        raise ValidationError(_("Only the congress staff or the keeper of this station can record this."))


def record_attendance(actor, reception: Reception, entries: dict, *, now=None, ip=None) -> int:
    """Apply `entries` {duty id: (attendance, reason)}; return how many duties changed.

    Raises ValidationError (a list of messages, or {duty id: [messages]}) and changes nothing when any entry is
    refused.
    """
    _check_may_record(actor, reception)
    if reception.status == ReceptionStatus.CANCELLED:
        raise ValidationError(_("This reception was cancelled: there is no attendance to record."))
    if not has_started(reception, now):
        raise ValidationError(_("Attendance can be recorded once the reception has started."))
    changed = 0
    with transaction.atomic():
        finished = False
        if reception.campaign_id:
            campaign = Campaign.objects.select_for_update().get(pk=reception.campaign_id)
            finished = campaign.status == CampaignStatus.FINISHED
        duties = {
            duty.pk: duty
            # of=("self",): lock the duties, not the deputies joined in for their names.
            for duty in Duty.objects.select_for_update(of=("self",))
            .filter(reception=reception)
            .select_related("deputy")
        }
        errors = {}
        updates = []
        for duty_id, (attendance, reason) in entries.items():
            duty = duties.get(duty_id)
            if duty is None:
                errors[duty_id] = [_("This deputy is not on duty at this reception.")]
                continue
            problem, reason = attendance_problem(duty, attendance, (reason or "").strip(), finished)
            if problem:
                errors[duty_id] = [problem]
                continue
            if (duty.attendance, duty.absence_reason) != (attendance, reason):
                updates.append((duty, attendance, reason))
        if errors:
            raise ValidationError(errors)
        # Shown on the audit record and the deputy's record: attributed to the station's region.
        region = reception.station.region
        for duty, attendance, reason in updates:
            changes = {}
            if duty.attendance != attendance:
                changes["attendance"] = [duty.attendance, attendance]
            if duty.absence_reason != reason:
                changes["absence_reason"] = [duty.absence_reason, reason]
            duty.attendance, duty.absence_reason = attendance, reason
            duty.save(update_fields=["attendance", "absence_reason", "updated"])
            record(
                actor, "reception.attendance", duty, region=region, changes={"deputy": duty.deputy_id, **changes}, ip=ip
            )
            changed += 1
    return changed


def record_reception_visitors(actor, reception: Reception, count: int, topics: str = "", *, now=None, ip=None) -> Visit:
    """The station's reception record (接待记录): visitors received at a reception, entered afterwards by the keeper
    or congress staff (deputies record their own on the day, renda/receptions/actions/onsite.py). Same who and when as
    attendance; a finished reception day's figures are final, so nothing is added to it."""
    _check_may_record(actor, reception)
    if count < 1:
        raise ValidationError(_("Enter at least one visitor."))
    with transaction.atomic():
        if reception.campaign_id:
            # Locked, and read afresh: finishing the day at the same moment is serialised with this record.
            reception.campaign = Campaign.objects.select_for_update().get(pk=reception.campaign_id)
        problem = visitors_problem(reception, now)
        if problem:
            raise ValidationError(problem)
        visit = Visit.objects.create(reception=reception, count=count, topics=topics.strip(), recorded_by=actor)
        record(
            actor,
            "reception.record_visitors",
            reception,
            region=reception.station.region,
            changes={"visit": visit.pk, "count": count},
            ip=ip,
        )
    return visit
