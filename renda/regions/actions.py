"""Every write to a region from the staff pages: one transaction, the row locked, one audit record.

Bulk imports of whole division lists live in importing.py; they follow the same rules in bulk.
"""

from django.db import transaction

from renda.audit.actions import changed_fields, record

from .models import Region, RegionKind, ZoneMembership


def create_region(actor, parent: Region, *, code: str, name: str, kind: str, ip=None) -> Region:
    """A new town under a county or village under a town; the form has checked the code against the rules."""
    with transaction.atomic():
        region = Region.objects.create(code=code, name=name, kind=kind, parent=parent)
        record(actor, "regions.create_region", region, changes={"code": code, "name": name, "kind": kind}, ip=ip)
    return region


def update_region(actor, region: Region, *, name: str, ip=None) -> dict:
    """Rename a region. Code and parent stay: they come from the official list (import_regions)."""
    with transaction.atomic():
        locked = Region.objects.select_for_update().get(pk=region.pk)
        changes = changed_fields(locked, {"name": name})
        if changes:
            locked.save(update_fields=list(changes))
            record(actor, "regions.update_region", locked, changes=changes, ip=ip)
    region.name = locked.name
    return changes


def add_zone_member(actor, zone: Region, member: Region, *, ip=None) -> bool:
    """Let a zone manage a town (its legal parent stays). False if it already did."""
    if zone.kind != RegionKind.ZONE or not member.is_town_level:
        raise ValueError("a zone manages towns, streets and townships")
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=zone.pk).first()  # serialise changes to one zone's members
        _, created = ZoneMembership.objects.get_or_create(zone=zone, member=member)
        if created:
            record(actor, "regions.add_zone_member", zone, changes={"member": [member.code, member.name]}, ip=ip)
    return created


def remove_zone_member(actor, zone: Region, member: Region, *, ip=None) -> bool:
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=zone.pk).first()
        deleted, _ = ZoneMembership.objects.filter(zone=zone, member=member).delete()
        if deleted:
            record(actor, "regions.remove_zone_member", zone, changes={"member": [member.code, member.name]}, ip=ip)
    return bool(deleted)
