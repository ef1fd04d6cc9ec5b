"""What every reception action shares: the audit record filed under a region, and the row locks."""

from ..models import Campaign, Reception, RosterSlot


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
