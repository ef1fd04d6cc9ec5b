"""A deputy's standing absences (出差, 住院, 学习): periods in which every reception day counts them unavailable.

Entered by the deputy on the phone (or by congress staff covering them, through the same actions). When a reception
day is planned, each absence covering its date becomes that day's `Unavailability` (actions/planning.py), so the
planner, the conflicts page and the lists read one table.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record

from ..models import Absence, Campaign, Unavailability
from ..rules import absence_problem


def add_absence(actor, deputy, starts: date, ends: date, reason: str, *, today=None, ip=None) -> Absence:
    reason = (reason or "").strip()
    problem = absence_problem(starts, ends, reason, today or timezone.localdate())
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        # Serialised per deputy (their row), so two overlapping periods entered at once cannot both pass the check.
        type(deputy).objects.select_for_update().filter(pk=deputy.pk).first()
        if Absence.objects.filter(deputy=deputy, starts__lte=ends, ends__gte=starts).exists():
            raise ValidationError(_("This period overlaps an absence already entered."))
        absence = Absence.objects.create(deputy=deputy, starts=starts, ends=ends, reason=reason, created_by=actor)
        record(
            actor,
            "reception.absence_add",
            absence,
            region=deputy.electoral_region,
            changes={"starts": str(starts), "ends": str(ends)},
            ip=ip,
        )
    return absence


def remove_absence(actor, absence: Absence, *, ip=None) -> None:
    """Days already planned keep their unavailability (staff see it there); days planned later no longer get it."""
    with transaction.atomic():
        # Locked: two taps on "remove" delete it once and write one audit row.
        if not Absence.objects.select_for_update().filter(pk=absence.pk).exists():
            return
        record(
            actor,
            "reception.absence_remove",
            absence,
            region=absence.deputy.electoral_region,
            changes={"starts": str(absence.starts)},
            ip=ip,
        )
        absence.delete()


def absences_to_unavailability(campaign: Campaign, deputy_ids) -> set[int]:
    """Every absence covering the day, of the deputies being planned, becomes the day's unavailability (once; one
    already recorded is kept as it is). Returns the deputies newly recorded. The absences covering one date are few
    even nationally, so they are read whole and matched in memory."""
    already = set(campaign.unavailabilities.values_list("deputy_id", flat=True))
    reasons = {}
    for deputy_id, reason in (
        Absence.objects.filter(starts__lte=campaign.date, ends__gte=campaign.date)
        .order_by("starts", "id")
        .values_list("deputy_id", "reason")
    ):
        if deputy_id in deputy_ids and deputy_id not in already:
            reasons.setdefault(deputy_id, reason)
    Unavailability.objects.bulk_create(
        [Unavailability(campaign=campaign, deputy_id=pk, reason=reason) for pk, reason in reasons.items()],
        ignore_conflicts=True,
    )
    return set(reasons)
