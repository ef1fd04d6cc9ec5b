"""Every write of the duty roster: roster slots, the receptions generated from them, one-off receptions, cancelling.

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

from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit.actions import changed_fields, record
from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.workdays.calendar import Calendar, current_calendar

from .models import Duty, Reception, RosterSlot
from .workflow import Attendance, ReceptionKind, ReceptionStatus

SLOT_FIELDS = ("weekday", "every_weeks", "starts", "ends", "valid_from", "valid_until", "skip_holidays")
ONE_OFF_FIELDS = ("date", "starts", "ends", "note")
# chinese-calendar names its holidays in English; these are the names people read.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
}


@dataclass
class Generated:
    """What one generation run did: receptions and duties created, dates skipped as holidays."""

    receptions: int = 0
    duties: int = 0
    skipped: list = field(default_factory=list)
    slots: int = 0

    def add(self, other: "Generated") -> None:
        self.receptions += other.receptions
        self.duties += other.duties
        self.skipped += other.skipped
        self.slots += other.slots


def today() -> date:
    return timezone.localdate()


def first_public_date(day: date | None = None) -> date:
    """The earliest date a reception created now may have: it must be public RECEPTION_PUBLISH_DAYS ahead."""
    return (day or today()) + timedelta(days=settings.RECEPTION_PUBLISH_DAYS)


def horizon_end(day: date | None = None) -> date:
    """The last date generation materialises (inclusive)."""
    return (day or today()) + timedelta(days=7 * settings.RECEPTION_SCHEDULE_WEEKS - 1)


def holiday_reason(day: date, calendar: Calendar) -> str | None:
    """Why a roster slot has no reception on `day`, or None when it has one.

    A weekday that is not a working day is an official holiday (国庆, 春节 …). A weekend is skipped only inside a
    named holiday period (10月3日 in the National Day week); an ordinary weekend keeps its weekend slots, and a 调休
    working weekend is a working day like any other.
    """
    if calendar.is_workday(day):
        return None
    try:
        name = chinese_calendar.get_holiday_detail(day)[1]
    except NotImplementedError:  # a year chinese-calendar does not know: the Calendar already logged it
        name = None
    if day.weekday() >= 5 and name is None:
        return None
    label = HOLIDAY_NAMES.get(name, name) if name else _("official holiday")
    return str(label)


def slot_dates(slot: RosterSlot, start: date, end: date, calendar: Calendar) -> tuple[list[date], list[tuple]]:
    """The slot's dates in [start, end]: (dates with a reception, [(date, reason) skipped as holidays])."""
    start = max(start, slot.valid_from)
    if slot.valid_until:
        end = min(end, slot.valid_until)
    # The slot's first occurrence anchors its every-n-weeks rhythm.
    first = slot.valid_from + timedelta(days=(slot.weekday - slot.valid_from.weekday()) % 7)
    dates, skipped = [], []
    day = max(start, first)
    day += timedelta(days=(slot.weekday - day.weekday()) % 7)
    while day <= end:
        if ((day - first).days // 7) % slot.every_weeks == 0:
            reason = holiday_reason(day, calendar) if slot.skip_holidays else None
            if reason:
                skipped.append((day, reason))
            else:
                dates.append(day)
        day += timedelta(days=7)
    return dates, skipped


def _lock_slot(slot: RosterSlot) -> RosterSlot:
    locked = RosterSlot.objects.select_for_update().get(pk=slot.pk)
    locked.station = slot.station
    return locked


# Generation ----------------------------------------------------------------------------------------------------


def _generate(slot: RosterSlot, day: date, now, calendar: Calendar) -> Generated:
    """Create the slot's missing receptions in the generation window. The caller holds the slot's row lock."""
    result = Generated(slots=1)
    if not slot.is_active or not slot.station.is_active:
        return result
    dates, result.skipped = slot_dates(slot, first_public_date(day), horizon_end(day), calendar)
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
    day, now, calendar = day or today(), now or timezone.now(), calendar or current_calendar()
    with transaction.atomic():
        locked = _lock_slot(slot)
        result = _generate(locked, day, now, calendar)
        if result.receptions:
            record(
                None, "roster.generate", locked, region=locked.station.region, changes={"created": result.receptions}
            )
    return result


def generate_all(*, day: date | None = None, now=None) -> Generated:
    """The daily run: every active slot of an active station; one transaction per slot, so one failure stays small."""
    day, now, calendar = day or today(), now or timezone.now(), Calendar()
    total = Generated()
    slots = (
        RosterSlot.objects.filter(is_active=True, station__is_active=True)
        .exclude(valid_until__lt=first_public_date(day))
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
        result = _generate(_lock_slot(slot), day or today(), now, current_calendar())
    return slot, result


def update_slot(actor, slot: RosterSlot, data: dict, deputies, *, day: date | None = None, now=None, ip=None):
    """Change a slot's rhythm, times or deputies; its future receptions follow the module's rule (`sync_slot`)."""
    unknown = set(data) - set(SLOT_FIELDS)
    if unknown:
        raise ValueError(f"not slot fields: {sorted(unknown)}")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_slot(slot)
        changes = changed_fields(locked, data)
        old_deputies = set(locked.deputies.values_list("pk", flat=True))
        new_deputies = {d.pk for d in deputies}
        if old_deputies != new_deputies:
            changes["deputies"] = [sorted(old_deputies), sorted(new_deputies)]
            locked.deputies.set(deputies)
        if changes:
            locked.save(update_fields=[key for key in changes if key != "deputies"] + ["updated"])
            record(actor, "roster.slot_update", locked, region=locked.station.region, changes=changes, ip=ip)
            result = sync_slot(locked, day or today(), now, current_calendar())
        else:
            result = Generated(slots=1)
    return changes, result


def deactivate_slot(actor, slot: RosterSlot, *, day: date | None = None, now=None, ip=None):
    """The slot stops; its receptions after the publish lead are cancelled (and their deputies told)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_slot(slot)
        if not locked.is_active:
            return Generated(slots=1)
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated"])
        record(actor, "roster.slot_deactivate", locked, region=locked.station.region, ip=ip)
        return sync_slot(locked, day or today(), now, current_calendar())


def sync_slot(slot: RosterSlot, day: date, now, calendar: Calendar) -> Generated:
    """Bring the slot's receptions from the publish lead on in line with the slot (the rule in the module docstring).

    The caller holds the slot's row lock.
    """
    start = first_public_date(day)
    wanted = set()
    if slot.is_active:
        dates, _skipped = slot_dates(slot, start, horizon_end(day), calendar)
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
            notify_duty_change(reception, set(added) | staying, dropped, now)
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


def check_publish_lead(day: date, *, today_: date | None = None) -> None:
    earliest = first_public_date(today_)
    if day < earliest:
        raise ValidationError(
            _("A reception must be published at least %(days)d days ahead: the earliest date is %(date)s.")
            % {"days": settings.RECEPTION_PUBLISH_DAYS, "date": earliest.isoformat()}
        )


def add_one_off(actor, station, data: dict, deputies, *, day: date | None = None, now=None, ip=None) -> Reception:
    """A single reception outside the roster, published at once (so its date respects the publish lead)."""
    unknown = set(data) - set(ONE_OFF_FIELDS)
    if unknown:
        raise ValueError(f"not one-off fields: {sorted(unknown)}")
    check_publish_lead(data["date"], today_=day)
    if not deputies:
        raise ValidationError(_("Choose at least one deputy on duty."))
    now = now or timezone.now()
    with transaction.atomic():
        reception = Reception.objects.create(station=station, kind=ReceptionKind.ONE_OFF, published_at=now, **data)
        Duty.objects.bulk_create([Duty(reception=reception, deputy=deputy) for deputy in deputies])
        changes = {key: data[key] for key in data} | {"deputies": sorted(d.pk for d in deputies)}
        record(actor, "roster.one_off_create", reception, region=station.region, changes=changes, ip=ip)
    return reception


def _lock_reception(reception: Reception) -> Reception:
    locked = Reception.objects.select_for_update().get(pk=reception.pk)
    locked.station = reception.station
    return locked


def set_one_off_deputies(actor, reception: Reception, deputies, *, day: date | None = None, now=None, ip=None):
    """Change who is on duty at a one-off reception; once published the change is highlighted."""
    if reception.kind != ReceptionKind.ONE_OFF:
        raise ValidationError(_("Only a one-off reception's deputies are changed here."))
    if not deputies:
        raise ValidationError(_("Choose at least one deputy on duty."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_reception(reception)
        if locked.status != ReceptionStatus.SCHEDULED or locked.date < (day or today()):
            raise ValidationError(_("This reception is cancelled or over; its deputies can no longer change."))
        before = sorted(locked.duties.values_list("deputy_id", flat=True))
        added, dropped = _set_duties(locked, {d.pk for d in deputies}, now)
        if not (added or dropped):
            return False
        if locked.published_at:
            locked.changed_at = now
            locked.save(update_fields=["changed_at", "updated"])
            notify_duty_change(locked, added, dropped, now)
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
    return notify_cancelled(reception)


def _context(reception: Reception, **extra) -> dict:
    """What a message about a reception says: station, date, time, link; never personal data."""
    with translation.override("zh-hans"):
        return {
            "station": reception.station.name,
            "date": reception.date.isoformat(),
            "starts": f"{reception.starts:%H:%M}",
            "ends": f"{reception.ends:%H:%M}",
            "url": f"{settings.PUBLIC_BASE_URL}/s/{reception.station.public_code}/",
            **extra,
        }


def _queue(deputies, template: str, context: dict, key: str) -> int:
    """One in-site message to each deputy with an account and an SMS to each with a phone; `key` makes it once."""
    queued = 0
    for deputy in deputies:
        user = deputy.user if deputy.user_id else None
        if user is not None:
            site = enqueue(
                channel=Channel.SITE,
                template=template,
                context=context,
                dedupe_key=f"{key}:d{deputy.pk}:site",
                user=user,
            )
            queued += site is not None
        if deputy.phone:
            sms = enqueue(
                channel=Channel.SMS,
                template=template,
                context=context,
                dedupe_key=f"{key}:d{deputy.pk}:sms",
                user=user,
                phone=deputy.phone,
            )
            queued += sms is not None
    return queued


def _deputies(ids):
    from renda.people.models import Deputy

    return Deputy.objects.filter(pk__in=ids).select_related("user").order_by("pk") if ids else []


def notify_cancelled(reception: Reception) -> int:
    """Tell each deputy on duty that the reception is cancelled, and why; keyed by reception so it is sent once."""
    deputies = _deputies(list(reception.duties.values_list("deputy_id", flat=True)))
    context = _context(reception, reason=reception.cancel_reason)
    return _queue(deputies, "reception_cancelled", context, f"reception_cancelled:{reception.pk}")


def notify_duty_change(reception: Reception, on_duty, off_duty, now) -> int:
    """After publishing: tell deputies now on duty (added, or their time moved) and those no longer expected.

    Keyed by the moment of the change, so each change is told once and a later change is told again.
    """
    stamp = int(now.timestamp())
    key = f"reception_duty:{reception.pk}:{stamp}"
    queued = _queue(_deputies(on_duty), "reception_duty_changed", _context(reception, on_duty=True), f"{key}:on")
    queued += _queue(_deputies(off_duty), "reception_duty_changed", _context(reception, on_duty=False), f"{key}:off")
    return queued


def cancel_reception(actor, reception: Reception, reason: str, *, day: date | None = None, now=None, ip=None):
    """Cancel a roster or one-off reception that has not happened yet; the reason is required and shown publicly."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for cancelling."))
    if reception.kind == ReceptionKind.CAMPAIGN:
        raise ValidationError(_("A reception day's receptions are changed on the reception day's page."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_reception(reception)
        if locked.status == ReceptionStatus.CANCELLED:
            raise ValidationError(_("This reception is already cancelled."))
        if locked.date < (day or today()):
            raise ValidationError(_("This reception is over; it can no longer be cancelled."))
        queued = _cancel(locked, reason, now)
        changes = {"status": [ReceptionStatus.SCHEDULED, ReceptionStatus.CANCELLED], "reason": reason}
        record(actor, "roster.cancel", locked, region=locked.station.region, changes=changes, ip=ip)
    return locked, queued
