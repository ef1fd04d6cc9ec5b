"""Every write of a station's own receptions: roster slots, the receptions generated from them, one-off
receptions, cancelling.

Generation materialises a slot into Reception rows (kind roster) for the dates from `today + RECEPTION_PUBLISH_DAYS`
up to `RECEPTION_SCHEDULE_WEEKS` weeks ahead, each published at once. Starting at the publish lead means a reception
is never public fewer than RECEPTION_PUBLISH_DAYS days before it happens, whether the slot is new or the daily run
extends the horizon; the unique (slot, date) constraint and the locked slot row make a second run create nothing.

Editing or deactivating a slot (`sync_slot`) follows one rule:
- receptions before today are history and are never touched;
- receptions inside the publish lead (today … today + RECEPTION_PUBLISH_DAYS - 1) stay as they are: the public was
  promised them; staff cancel one by hand if it really cannot take place;
- later receptions that are still scheduled follow the slot: a date the slot still has gets the new times and
  deputies (marked changed when the public-facing part changed); a date the slot no longer has is cancelled (shown
  as cancelled, its deputies told), never silently deleted; new dates are generated.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import changed_fields, record
from renda.workdays.calendar import Calendar, current_calendar

from .. import rules
from ..models import Duty, Reception, RosterSlot
from ..slots import Generated, slot_dates
from ..workflow import Attendance, ReceptionKind, ReceptionStatus
from . import notify
from .base import lock_reception, lock_slot

SLOT_FIELDS = ("weekday", "every_weeks", "starts", "ends", "valid_from", "valid_until", "skip_holidays")
ONE_OFF_FIELDS = ("date", "starts", "ends", "note")


# Generation ----------------------------------------------------------------------------------------------------


def _generate(slot: RosterSlot, day: date, now, calendar: Calendar) -> Generated:
    """Create the slot's missing receptions in the generation window. The caller holds the slot's row lock."""
    result = Generated(slots=1)
    if not slot.is_active or not slot.station.is_active:
        return result
    dates, result.skipped = slot_dates(slot, rules.earliest_public_date(day), rules.horizon_end(day), calendar)
    existing = set(slot.receptions.filter(date__in=dates).values_list("date", flat=True))
    missing = [d for d in dates if d not in existing]
    if not missing:
        return result
    deputy_ids = list(slot.deputies.values_list("pk", flat=True))
    receptions = Reception.objects.bulk_create(
        [
            Reception(
                station_id=slot.station_id,
                date=d,
                starts=slot.starts,
                ends=slot.ends,
                kind=ReceptionKind.ROSTER,
                slot=slot,
                published_at=now,
            )
            for d in missing
        ]
    )
    Duty.objects.bulk_create([Duty(reception=r, deputy_id=pk) for r in receptions for pk in deputy_ids])
    result.receptions, result.duties = len(receptions), len(receptions) * len(deputy_ids)
    return result


def generate_slot(slot: RosterSlot, *, day: date | None = None, now=None, calendar: Calendar | None = None):
    """Materialise one slot (idempotent: the slot row is locked, existing dates are kept)."""
    day, now, calendar = day or rules.today(), now or timezone.now(), calendar or current_calendar()
    with transaction.atomic():
        locked = lock_slot(slot)
        result = _generate(locked, day, now, calendar)
        if result.receptions:
            changes = {"created": result.receptions}
            record(None, "roster.generate", locked, region=locked.station.region, changes=changes)
    return result


def generate_all(*, day: date | None = None, now=None) -> Generated:
    """The daily run: every active slot of an active station; one transaction per slot, so one failure stays small."""
    day, now, calendar = day or rules.today(), now or timezone.now(), Calendar()
    total = Generated()
    slots = (
        RosterSlot.objects.filter(is_active=True, station__is_active=True)
        .exclude(valid_until__lt=rules.earliest_public_date(day))
        .select_related("station__region")
        .order_by("pk")
    )
    for slot in slots.iterator(chunk_size=500):
        total.add(generate_slot(slot, day=day, now=now, calendar=calendar))
    return total


# Slots ---------------------------------------------------------------------------------------------------------


def create_slot(actor, station, data: dict, deputies, *, day: date | None = None, now=None, ip=None):
    """A new recurring slot; its receptions are generated (and published) in the same transaction."""
    unknown = set(data) - set(SLOT_FIELDS)
    if unknown:
        raise ValueError(f"not slot fields: {sorted(unknown)}")
    now = now or timezone.now()
    with transaction.atomic():
        slot = RosterSlot.objects.create(station=station, **data)
        slot.deputies.set(deputies)
        changes = {key: data[key] for key in data} | {"deputies": sorted(d.pk for d in deputies)}
        record(actor, "roster.slot_create", slot, region=station.region, changes=changes, ip=ip)
        result = _generate(lock_slot(slot), day or rules.today(), now, current_calendar())
    return slot, result


def update_slot(actor, slot: RosterSlot, data: dict, deputies, *, day: date | None = None, now=None, ip=None):
    """Change a slot's rhythm, times or deputies; its future receptions follow the module's rule (`sync_slot`)."""
    unknown = set(data) - set(SLOT_FIELDS)
    if unknown:
        raise ValueError(f"not slot fields: {sorted(unknown)}")
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_slot(slot)
        changes = changed_fields(locked, data)
        old_deputies = set(locked.deputies.values_list("pk", flat=True))
        new_deputies = {d.pk for d in deputies}
        if old_deputies != new_deputies:
            changes["deputies"] = [sorted(old_deputies), sorted(new_deputies)]
            locked.deputies.set(deputies)
        if changes:
            locked.save(update_fields=[key for key in changes if key != "deputies"] + ["updated"])
            record(actor, "roster.slot_update", locked, region=locked.station.region, changes=changes, ip=ip)
            result = sync_slot(locked, day or rules.today(), now, current_calendar())
        else:
            result = Generated(slots=1)
    return changes, result


def deactivate_slot(actor, slot: RosterSlot, *, day: date | None = None, now=None, ip=None):
    """The slot stops; its receptions after the publish lead are cancelled (and their deputies told)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_slot(slot)
        if not locked.is_active:
            return Generated(slots=1)
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated"])
        record(actor, "roster.slot_deactivate", locked, region=locked.station.region, ip=ip)
        return sync_slot(locked, day or rules.today(), now, current_calendar())


def sync_slot(slot: RosterSlot, day: date, now, calendar: Calendar) -> Generated:
    """Bring the slot's receptions from the publish lead on in line with the slot (the rule in the module docstring).

    The caller holds the slot's row lock.
    """
    start = rules.earliest_public_date(day)
    wanted = set()
    if slot.is_active:
        dates, _skipped = slot_dates(slot, start, rules.horizon_end(day), calendar)
        wanted = set(dates)
    deputy_ids = set(slot.deputies.values_list("pk", flat=True))
    future = (
        slot.receptions.select_for_update()
        .filter(date__gte=start, status=ReceptionStatus.SCHEDULED)
        .prefetch_related("duties__deputy")
    )
    for reception in future:
        if reception.date not in wanted:
            _cancel(reception, _("The regular reception schedule changed."), now)
            continue
        moved = reception.starts != slot.starts or reception.ends != slot.ends
        reception.starts, reception.ends = slot.starts, slot.ends
        added, dropped = _set_duties(reception, deputy_ids, now)
        if (moved or added or dropped) and reception.published_at:
            reception.changed_at = now
            # Those who stay are told the new time; those added or dropped are told either way.
            staying = deputy_ids - set(added) if moved else set()
            notify.reception_duty_changed(reception, set(added) | staying, dropped, now)
        reception.save(update_fields=["starts", "ends", "changed_at", "updated"])
    return _generate(slot, day, now, calendar)


def _set_duties(reception: Reception, deputy_ids: set[int], now) -> tuple[list[int], list[int]]:
    """Make the reception's expected deputies `deputy_ids`; a duty with a check-in or a record is kept.

    Returns the deputies (ids) added and dropped.
    """
    current = {duty.deputy_id: duty for duty in reception.duties.all()}
    dropped = {
        pk: duty.pk
        for pk, duty in current.items()
        if pk not in deputy_ids and duty.attendance == Attendance.EXPECTED and duty.checked_in_at is None
    }
    added = sorted(pk for pk in deputy_ids if pk not in current)
    if dropped:
        Duty.objects.filter(pk__in=dropped.values()).delete()
    if added:
        changed_at = now if reception.published_at else None
        Duty.objects.bulk_create(
            [
                Duty(reception=reception, deputy_id=pk, campaign=reception.campaign, changed_at=changed_at)
                for pk in added
            ]
        )
    return added, sorted(dropped)


# One-off receptions --------------------------------------------------------------------------------------------


def add_one_off(actor, station, data: dict, deputies, *, day: date | None = None, now=None, ip=None) -> Reception:
    """A single reception outside the roster, published at once (so its date respects the publish lead)."""
    unknown = set(data) - set(ONE_OFF_FIELDS)
    if unknown:
        raise ValueError(f"not one-off fields: {sorted(unknown)}")
    rules.check_publish_lead(data["date"], today_=day)
    if not deputies:
        raise ValidationError(_("Choose at least one deputy on duty."))
    now = now or timezone.now()
    with transaction.atomic():
        reception = Reception.objects.create(station=station, kind=ReceptionKind.ONE_OFF, published_at=now, **data)
        Duty.objects.bulk_create([Duty(reception=reception, deputy=deputy) for deputy in deputies])
        changes = {key: data[key] for key in data} | {"deputies": sorted(d.pk for d in deputies)}
        record(actor, "roster.one_off_create", reception, region=station.region, changes=changes, ip=ip)
    return reception


def set_one_off_deputies(actor, reception: Reception, deputies, *, day: date | None = None, now=None, ip=None):
    """Change who is on duty at a one-off reception; once published the change is highlighted."""
    if reception.kind != ReceptionKind.ONE_OFF:
        raise ValidationError(_("Only a one-off reception's deputies are changed here."))
    if not deputies:
        raise ValidationError(_("Choose at least one deputy on duty."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_reception(reception)
        if locked.status != ReceptionStatus.SCHEDULED or locked.date < (day or rules.today()):
            raise ValidationError(_("This reception is cancelled or over; its deputies can no longer change."))
        before = sorted(locked.duties.values_list("deputy_id", flat=True))
        added, dropped = _set_duties(locked, {d.pk for d in deputies}, now)
        if not (added or dropped):
            return False
        if locked.published_at:
            locked.changed_at = now
            locked.save(update_fields=["changed_at", "updated"])
            notify.reception_duty_changed(locked, added, dropped, now)
        after = sorted(locked.duties.values_list("deputy_id", flat=True))
        changes = {"deputies": [before, after]}
        record(actor, "roster.one_off_deputies", locked, region=locked.station.region, changes=changes, ip=ip)
    return True


# Cancelling ----------------------------------------------------------------------------------------------------


def _cancel(reception: Reception, reason: str, now) -> int:
    """Cancel a locked reception; once it was public, highlight it and tell its deputies. Returns messages queued."""
    reception.status = ReceptionStatus.CANCELLED
    reception.cancel_reason = reason[:200]
    if reception.published_at is None:
        reception.save(update_fields=["status", "cancel_reason", "updated"])
        return 0
    reception.changed_at = now
    reception.save(update_fields=["status", "cancel_reason", "changed_at", "updated"])
    return notify.reception_cancelled(reception)


def cancel_reception(actor, reception: Reception, reason: str, *, day: date | None = None, now=None, ip=None):
    """Cancel a roster or one-off reception that has not happened yet; the reason is required and shown publicly."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for cancelling."))
    if reception.kind == ReceptionKind.CAMPAIGN:
        raise ValidationError(_("A reception day's receptions are changed on the reception day's page."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_reception(reception)
        if locked.status == ReceptionStatus.CANCELLED:
            raise ValidationError(_("This reception is already cancelled."))
        if locked.date < (day or rules.today()):
            raise ValidationError(_("This reception is over; it can no longer be cancelled."))
        queued = _cancel(locked, reason, now)
        changes = {"status": [ReceptionStatus.SCHEDULED, ReceptionStatus.CANCELLED], "reason": reason}
        record(actor, "roster.cancel", locked, region=locked.station.region, changes=changes, ip=ip)
    return locked, queued
