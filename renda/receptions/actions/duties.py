"""Adjusting a reception day by hand: add a deputy at a station, move them, remove them.

Each locks the campaign row, then the duty, and checks that the duty is still where the form saw it: two staff moving
the same deputy at once — the second is refused. After publishing, a change marks the duty and its reception
`changed_at` (the public schedule highlights it) and tells the deputy (outbox: `reception_changed`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record
from renda.people.models import Deputy
from renda.stations.models import Station

from .. import rules
from ..models import Campaign, Duty, Reception, Unavailability
from ..workflow import Attendance, CampaignAction, CampaignStatus, ReceptionKind
from . import notify
from .base import lock_campaign


def _reception_for(campaign: Campaign, station: Station, now) -> Reception:
    """The campaign's reception at the station, created if needed (public at once if the day is published)."""
    reception = Reception.objects.filter(campaign=campaign, station=station).first()
    if reception is None:
        published = campaign.status == CampaignStatus.PUBLISHED
        reception = Reception.objects.create(
            station=station,
            date=campaign.date,
            starts=campaign.starts,
            ends=campaign.ends,
            kind=ReceptionKind.CAMPAIGN,
            campaign=campaign,
            published_at=now if published else None,
            changed_at=now if published else None,
        )
    return reception


def _mark_changed(now, *receptions: Reception) -> None:
    ids = [r.pk for r in receptions if r is not None]
    Reception.objects.filter(pk__in=ids).update(changed_at=now)


def drop_if_empty_draft(campaign: Campaign, reception_id: int) -> None:
    """In a draft an empty reception is noise; after publishing it stays, the public already saw it (and staff see
    it under conflicts as a station without a deputy)."""
    if campaign.status == CampaignStatus.DRAFT and not Duty.objects.filter(reception_id=reception_id).exists():
        Reception.objects.filter(pk=reception_id).delete()


def _locked_duty(campaign: Campaign, duty_pk: int, expected_reception_id: int) -> Duty:
    """The duty, locked, if it is still where the form saw it; otherwise somebody moved or removed it meanwhile."""
    duty = (
        Duty.objects.select_for_update(of=("self",))
        .filter(pk=duty_pk, campaign=campaign)
        .select_related("deputy", "reception__station__region")
        .first()
    )
    if duty is None or duty.reception_id != expected_reception_id:
        raise ValidationError(
            _("Someone else moved or removed this duty meanwhile; reload the page to see where it is now.")
        )
    return duty


def add_duty(actor, campaign: Campaign, station: Station, deputy: Deputy, *, ip=None) -> Duty:
    """Send one more deputy to a station. A deputy already on duty this day is moved instead (`move_duty`)."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.EDIT, locked)
        rules.check_station(actor, locked, station)
        if not deputy.is_active:
            raise ValidationError(_("%(name)s is no longer an active deputy.") % {"name": deputy.name})
        if Unavailability.objects.filter(campaign=locked, deputy=deputy).exists():
            raise ValidationError(_("%(name)s has said they cannot come; remove that first.") % {"name": deputy.name})
        current = Duty.objects.filter(campaign=locked, deputy=deputy).select_related("reception__station").first()
        if current is not None:
            raise ValidationError(
                _("%(name)s is already on duty at %(station)s; move them from their page instead.")
                % {"name": deputy.name, "station": current.reception.station.name}
            )
        reception = _reception_for(locked, station, now)
        published = locked.status == CampaignStatus.PUBLISHED
        duty = Duty.objects.create(
            reception=reception, deputy=deputy, campaign=locked, changed_at=now if published else None
        )
        if published:
            _mark_changed(now, reception)
        notify.campaign_duty_changed(locked, deputy, station, now)
        record(actor, "campaign.add_duty", locked, changes={"deputy": deputy.pk, "station": station.pk}, ip=ip)
    return duty


def remove_duty(actor, campaign: Campaign, duty: Duty, *, expected_reception_id: int, ip=None) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.EDIT, locked)
        current = _locked_duty(locked, duty.pk, expected_reception_id)
        station = current.reception.station
        rules.check_may_edit_station(actor, station)
        if current.attendance != Attendance.EXPECTED:
            raise ValidationError(_("This deputy's attendance is already recorded; the duty stays."))
        current.delete()
        if locked.status == CampaignStatus.PUBLISHED:
            _mark_changed(now, current.reception)
        drop_if_empty_draft(locked, current.reception_id)
        notify.campaign_duty_changed(locked, current.deputy, station, now, removed=True)
        record(
            actor, "campaign.remove_duty", locked, changes={"deputy": current.deputy_id, "station": station.pk}, ip=ip
        )


def move_duty(actor, campaign: Campaign, duty: Duty, station: Station, *, expected_reception_id: int, ip=None) -> Duty:
    """Send the duty's deputy to another station. Two staff moving the same deputy at once: the second is refused
    (the duty is no longer at the reception their form showed)."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.EDIT, locked)
        current = _locked_duty(locked, duty.pk, expected_reception_id)
        old_station = current.reception.station
        rules.check_may_edit_station(actor, old_station)
        rules.check_station(actor, locked, station)
        if station.pk == old_station.pk:
            return current
        if current.attendance != Attendance.EXPECTED:
            raise ValidationError(_("This deputy's attendance is already recorded; the duty stays."))
        old_reception = current.reception
        reception = _reception_for(locked, station, now)
        current.reception = reception
        published = locked.status == CampaignStatus.PUBLISHED
        if published:
            current.changed_at = now
            _mark_changed(now, old_reception, reception)
        current.save(update_fields=["reception", "changed_at", "updated"])
        drop_if_empty_draft(locked, old_reception.pk)
        notify.campaign_duty_changed(locked, current.deputy, station, now)
        record(
            actor,
            "campaign.move_duty",
            locked,
            changes={"deputy": current.deputy_id, "station": [old_station.pk, station.pk]},
            ip=ip,
        )
    return current
