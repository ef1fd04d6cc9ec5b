"""What every reception action shares: the audit record filed under a region, and the row locks."""

from renda.audit.actions import record

from ..models import Campaign, Reception, RosterSlot


def audit(actor, action: str, obj, *, region, changes: dict | None = None, ip=None):
    """An audit record about `obj`, filed under `region` (the audit log is read by region; a duty, a slot or a
    reception reaches one only through its station, an absence through the deputy)."""
    obj.region = region
    return record(actor, action, obj, changes=changes, ip=ip)


def lock_campaign(campaign: Campaign) -> Campaign:
    """The campaign's row, locked until the transaction ends; the region already loaded is reused."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    locked.region = campaign.region
    return locked


def lock_slot(slot: RosterSlot) -> RosterSlot:
    locked = RosterSlot.objects.select_for_update().get(pk=slot.pk)
    locked.station = slot.station
    return locked


def lock_reception(reception: Reception) -> Reception:
    locked = Reception.objects.select_for_update().get(pk=reception.pk)
    locked.station = reception.station
    return locked
