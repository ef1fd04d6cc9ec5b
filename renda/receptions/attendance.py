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

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.audit.actions import record
from renda.regions.models import paths_q

from .models import Campaign, Duty, Reception, Visit
from .workflow import Attendance, CampaignStatus, ReceptionKind, ReceptionStatus

RECORDABLE = (Attendance.ATTENDED, Attendance.ABSENT)
REASON_MAX = Duty._meta.get_field("absence_reason").max_length


def may_record_attendance(user, reception: Reception) -> bool:
    scope = scope_for(user)
    if scope.covers_path(reception.station.region.path):
        return True
    return reception.kind != ReceptionKind.CAMPAIGN and reception.station_id in scope.station_ids


def has_started(reception: Reception, now=None) -> bool:
    now = timezone.localtime(now or timezone.now())
    starts = timezone.make_aware(datetime.combine(reception.date, reception.starts), now.tzinfo)
    return starts <= now


def record_attendance(actor, reception: Reception, entries: dict, *, now=None, ip=None) -> int:
    """Apply `entries` {duty id: (attendance, reason)}; return how many duties changed.

    Raises ValidationError (a list of messages, or {duty id: [messages]}) and changes nothing when any entry is
    refused.
    """
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
            problem, reason = _check(duty, attendance, (reason or "").strip(), finished)
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
            # A duty has no region of its own: the record is filed under its station's.
            record(
                actor, "reception.attendance", duty, region=region, changes={"deputy": duty.deputy_id, **changes}, ip=ip
            )
            changed += 1
    return changed


def visitors_problem(reception: Reception, now=None) -> str | None:
    """Why visitors cannot be entered for this reception now, or None if they can (the page offers the form then)."""
    if reception.status == ReceptionStatus.CANCELLED:
        return _("This reception was cancelled: there is no attendance to record.")
    if not has_started(reception, now):
        return _("Visitors can be recorded once the reception has started.")
    if reception.campaign_id and reception.campaign.status == CampaignStatus.FINISHED:
        return _("This reception day is finished; its figures no longer change.")
    return None


def record_reception_visitors(actor, reception: Reception, count: int, topics: str = "", *, now=None, ip=None) -> Visit:
    """The station's reception record (接待记录): visitors received at a reception, entered afterwards by the keeper
    or congress staff (deputies record their own on the day, renda/receptions/onsite.py). Same who and when as
    attendance; a finished reception day's figures are final, so nothing is added to it."""
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
        changes = {"visit": visit.pk, "count": count}
        # Filed under the station's region: a reception has none of its own.
        record(actor, "reception.record_visitors", reception, region=reception.station.region, changes=changes, ip=ip)
    return visit


def _check(duty: Duty, attendance: str, reason: str, finished: bool) -> tuple[str | None, str]:
    name = duty.deputy.name
    if attendance not in RECORDABLE:
        return _("%(name)s: choose attended or absent.") % {"name": name}, reason
    if attendance == Attendance.ATTENDED:
        # A reason belongs to an absence only; an attended duty keeps none.
        reason = ""
    elif not reason:
        return _("%(name)s: give the reason for the absence.") % {"name": name}, reason
    elif len(reason) > REASON_MAX:
        return _("%(name)s: the reason is too long (at most %(max)d characters).") % {
            "name": name,
            "max": REASON_MAX,
        }, reason
    if finished and attendance != duty.attendance:
        return _(
            "%(name)s: the reception day is finished; attendance can no longer change, only the reason for an "
            "absence can be corrected."
        ) % {"name": name}, reason
    return None, reason


def recordable_receptions(user):
    """Receptions whose attendance the user may record (the rule of `may_record_attendance`, as a query)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Reception.objects.all()
    q = Q(pk__in=[])
    if scope.staff_paths:
        q |= paths_q(scope.staff_paths, "station__region__path")
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids) & ~Q(kind=ReceptionKind.CAMPAIGN)
    return Reception.objects.filter(q)


def awaiting_attendance(user, today):
    """Held receptions up to today with a deputy whose attendance is not recorded yet, newest first."""
    waiting = Duty.objects.filter(reception=OuterRef("pk"), attendance=Attendance.EXPECTED)
    return (
        recordable_receptions(user)
        .filter(status=ReceptionStatus.SCHEDULED, date__lte=today)
        .filter(Exists(waiting))
        .annotate(waiting=Subquery(waiting.order_by().values("reception").annotate(n=Count("pk")).values("n")))
        .select_related("station__region", "campaign")
        .order_by("-date", "-starts", "-id")
    )
