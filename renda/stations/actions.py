"""Every write to stations: one function per change, one transaction, the station row locked, one audit record.

Assignment and photo changes lock the station row, so two staff changing the same station's deputies or photos at
once are serialised (the one-head rule and the photo limit are checked under that lock).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from renda.audit.actions import changed_fields, record
from renda.core.codes import unique_code
from renda.core.images import reencode_image
from renda.regions.models import ancestor_paths

from .models import Assignment, MemberAssignment, Station, StationKind, StationPhoto

MAX_PHOTOS = 6
# What a station keeper may change about their own station; the rest is decided by congress staff.
PROFILE_FIELDS = (
    "address",
    "phone",
    "opening_hours",
    "reception_hours",
    "theme",
    "description",
    "latitude",
    "longitude",
)
STATION_FIELDS = ("name", "kind", "region", *PROFILE_FIELDS)


def _lock(station: Station) -> Station:
    """The station's row, locked until the transaction ends; the region already loaded is reused."""
    locked = Station.objects.select_for_update().get(pk=station.pk)
    locked.region = station.region
    return locked


def create_station(actor, data: dict, *, ip=None) -> Station:
    unknown = set(data) - set(STATION_FIELDS)
    if unknown:
        raise ValueError(f"not station fields: {sorted(unknown)}")
    with transaction.atomic():
        station = Station(public_code=unique_code(Station), **data)
        station.save()
        record(actor, "station.create", station, changes={key: data[key] for key in data}, ip=ip)
    return station


def update_station(actor, station: Station, data: dict, *, ip=None) -> dict:
    """Apply `data` (only STATION_FIELDS); return the changes that were saved and audited."""
    unknown = set(data) - set(STATION_FIELDS)
    if unknown:
        raise ValueError(f"not station fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(station)
        changes = changed_fields(locked, data)
        if changes:
            locked.save(update_fields=[*changes, "updated"])
            record(actor, "station.update", locked, changes=changes, ip=ip)
    return changes


def _set_active(actor, station: Station, active: bool, action: str, ip) -> Station:
    with transaction.atomic():
        locked = _lock(station)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active", "updated"])
            record(actor, action, locked, changes={"is_active": [not active, active]}, ip=ip)
    return locked


def deactivate_station(actor, station: Station, *, ip=None) -> Station:
    """The station stops appearing to the public and in coverage; its history and assignments stay."""
    return _set_active(actor, station, False, "station.deactivate", ip)


def reactivate_station(actor, station: Station, *, ip=None) -> Station:
    return _set_active(actor, station, True, "station.reactivate", ip)


def assign_deputy(actor, station: Station, deputy, *, is_head: bool = False, ip=None) -> Assignment:
    with transaction.atomic():
        locked = _lock(station)
        if locked.assignments.filter(deputy=deputy).exists():
            raise ValidationError(_("%(name)s already serves at this station.") % {"name": deputy.name})
        if is_head:
            locked.assignments.filter(is_head=True).update(is_head=False)
        assignment = Assignment.objects.create(station=locked, deputy=deputy, is_head=is_head)
        record(actor, "station.assign_deputy", locked, changes={"deputy": deputy.pk, "is_head": is_head}, ip=ip)
    return assignment


def unassign_deputy(actor, assignment: Assignment, *, ip=None) -> None:
    with transaction.atomic():
        locked = _lock(assignment.station)
        changes = {"deputy": assignment.deputy_id, "was_head": assignment.is_head}
        Assignment.objects.filter(pk=assignment.pk).delete()
        record(actor, "station.unassign_deputy", locked, changes=changes, ip=ip)


def set_head(actor, assignment: Assignment, *, ip=None) -> Assignment:
    """Make the assignment's deputy the head; the old head (if any) stops being head in the same transaction."""
    with transaction.atomic():
        locked = _lock(assignment.station)
        current = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if current.is_head:
            return current
        old_heads = list(locked.assignments.filter(is_head=True).values_list("deputy_id", flat=True))
        # Clear first: the database allows one head per station at every moment (one_head_per_station).
        locked.assignments.filter(is_head=True).update(is_head=False)
        current.is_head = True
        current.save(update_fields=["is_head"])
        old = old_heads[0] if old_heads else None
        record(actor, "station.set_head", locked, changes={"head": [old, current.deputy_id]}, ip=ip)
    return current


def assign_member(actor, station: Station, member, *, ip=None) -> MemberAssignment:
    """A CPPCC member on duty at a members' studio (委员工作室); only studios have members, only once each."""
    with transaction.atomic():
        locked = _lock(station)
        if locked.kind != StationKind.STUDIO:
            raise ValidationError(_("Only a members' studio has CPPCC members on duty."), code="kind")
        if not (
            locked.region.contains_path(member.region.path) or member.region.path in ancestor_paths(locked.region.path)
        ):
            raise ValidationError(_("This member is not in the studio's region."), code="region")
        if locked.member_assignments.filter(member=member).exists():
            raise ValidationError(_("%(name)s is already on duty at this studio.") % {"name": member.name})
        assignment = MemberAssignment.objects.create(station=locked, member=member)
        record(actor, "station.assign_member", locked, changes={"member": member.pk}, ip=ip)
    return assignment


def unassign_member(actor, assignment: MemberAssignment, *, ip=None) -> None:
    with transaction.atomic():
        locked = _lock(assignment.station)
        MemberAssignment.objects.filter(pk=assignment.pk).delete()
        record(actor, "station.unassign_member", locked, changes={"member": assignment.member_id}, ip=ip)


def add_photo(actor, station: Station, upload, *, caption: str = "", ip=None) -> StationPhoto:
    """Store a re-encoded copy of `upload` (never the client's bytes); at most MAX_PHOTOS per station."""
    content = reencode_image(upload)
    with transaction.atomic():
        locked = _lock(station)
        if locked.photos.count() >= MAX_PHOTOS:
            raise ValidationError(_("A station has at most %(max)d photos.") % {"max": MAX_PHOTOS})
        last = locked.photos.aggregate(last=Max("position"))["last"]
        photo = StationPhoto(station=locked, caption=caption, position=0 if last is None else last + 1)
        photo.image.save(content.name, content, save=False)
        photo.save()
        record(actor, "station.add_photo", locked, changes={"photo": photo.pk, "caption": caption}, ip=ip)
    return photo


def remove_photo(actor, photo: StationPhoto, *, ip=None) -> None:
    with transaction.atomic():
        locked = _lock(photo.station)
        name, storage = photo.image.name, photo.image.storage
        StationPhoto.objects.filter(pk=photo.pk).delete()
        record(actor, "station.remove_photo", locked, changes={"photo": photo.pk, "file": name}, ip=ip)
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))


def set_photo_caption(actor, photo: StationPhoto, caption: str, *, ip=None) -> StationPhoto:
    with transaction.atomic():
        locked = _lock(photo.station)
        current = StationPhoto.objects.select_for_update().get(pk=photo.pk)
        changes = changed_fields(current, {"caption": caption})
        if changes:
            current.save(update_fields=["caption"])
            record(actor, "station.photo_caption", locked, changes={"photo": current.pk, **changes}, ip=ip)
    return current
