"""Every write to deputies, members and units: one function per change, one transaction, one audit row.

`data` is a form's cleaned data in model terms (a Region object for the region, not its code). Two fields are
special because they are personal data or files: `phone` (None or "" keeps the stored number, `clear_phone` removes
it) and `photo` (a re-encoded ContentFile replaces it, False removes it). The audit row says that they changed,
never the number itself.
"""

from django.db import transaction

from renda.audit.actions import changed_fields, record
from renda.core.codes import unique_code

from .models import Deputy, Member, Unit

DEPUTY_FIELDS = (
    "name",
    "gender",
    "level",
    "term",
    "electoral_region",
    "delegation",
    "occupation",
    "work_unit",
    "biography",
)
MEMBER_FIELDS = ("name", "gender", "level", "term", "region", "sector", "occupation", "work_unit", "biography")
UNIT_FIELDS = ("name", "region", "contact_name")
UNIT_CONTACT_FIELDS = ("contact_name",)


def _apply_phone(instance, data: dict, field: str, changes: dict) -> None:
    """Set or clear an encrypted phone; the audit gets "changed"/"removed", not the number."""
    if data.get(f"clear_{field}"):
        if getattr(instance, field):
            setattr(instance, field, "")
            changes[field] = "removed"
        return
    new = data.get(field)
    if new and new != getattr(instance, field):
        setattr(instance, field, new)
        changes[field] = "changed"


def _apply_photo(instance, data: dict, changes: dict) -> None:
    photo = data.get("photo")
    if photo is False:
        if instance.photo:
            instance.photo = ""
            changes["photo"] = "removed"
    elif photo is not None and hasattr(photo, "read") and not getattr(photo, "_committed", False):
        # A freshly re-encoded ContentFile; an unchanged FieldFile passes through untouched.
        instance.photo = photo
        changes["photo"] = "changed"


def _update(actor, model, pk, data: dict, fields: tuple, *, phone_field: str, photo: bool, action: str, ip):
    with transaction.atomic():
        instance = model.objects.select_for_update().get(pk=pk)
        changes = changed_fields(instance, {name: data[name] for name in fields if name in data})
        _apply_phone(instance, data, phone_field, changes)
        if photo:
            _apply_photo(instance, data, changes)
        if changes:
            instance.save(update_fields=[*changes, "updated"])
            record(actor, action, instance, changes=changes, ip=ip)
        return instance, changes


def _deactivate(actor, model, pk, *, action: str, ip):
    with transaction.atomic():
        instance = model.objects.select_for_update().get(pk=pk)
        if not instance.is_active:
            return instance
        instance.is_active = False
        instance.save(update_fields=["is_active", "updated"])
        record(actor, action, instance, changes={"is_active": [True, False]}, ip=ip)
        return instance


def _created_changes(instance, fields: tuple, phone_field: str, photo: bool) -> dict:
    changes = {name: [None, getattr(instance, name)] for name in fields}
    if getattr(instance, phone_field):
        changes[phone_field] = "set"
    if photo and instance.photo:
        changes["photo"] = "set"
    return changes


# Deputies


def create_deputy(actor, data: dict, *, ip: str | None = None) -> Deputy:
    with transaction.atomic():
        deputy = Deputy(public_code=unique_code(Deputy), **{name: data[name] for name in DEPUTY_FIELDS})
        deputy.phone = "" if data.get("clear_phone") else data.get("phone") or ""
        _apply_photo(deputy, data, {})
        deputy.save()
        record(
            actor, "people.deputy.create", deputy, changes=_created_changes(deputy, DEPUTY_FIELDS, "phone", True), ip=ip
        )
        return deputy


def update_deputy(actor, deputy: Deputy, data: dict, *, ip: str | None = None) -> tuple[Deputy, dict]:
    return _update(
        actor,
        Deputy,
        deputy.pk,
        data,
        DEPUTY_FIELDS,
        phone_field="phone",
        photo=True,
        action="people.deputy.update",
        ip=ip,
    )


def deactivate_deputy(actor, deputy: Deputy, *, ip: str | None = None) -> Deputy:
    return _deactivate(actor, Deputy, deputy.pk, action="people.deputy.deactivate", ip=ip)


# CPPCC members


def create_member(actor, data: dict, *, ip: str | None = None) -> Member:
    with transaction.atomic():
        member = Member(public_code=unique_code(Member), **{name: data[name] for name in MEMBER_FIELDS})
        member.phone = "" if data.get("clear_phone") else data.get("phone") or ""
        _apply_photo(member, data, {})
        member.save()
        record(
            actor, "people.member.create", member, changes=_created_changes(member, MEMBER_FIELDS, "phone", True), ip=ip
        )
        return member


def update_member(actor, member: Member, data: dict, *, ip: str | None = None) -> tuple[Member, dict]:
    return _update(
        actor,
        Member,
        member.pk,
        data,
        MEMBER_FIELDS,
        phone_field="phone",
        photo=True,
        action="people.member.update",
        ip=ip,
    )


def deactivate_member(actor, member: Member, *, ip: str | None = None) -> Member:
    return _deactivate(actor, Member, member.pk, action="people.member.deactivate", ip=ip)


# Handling units


def create_unit(actor, data: dict, *, ip: str | None = None) -> Unit:
    with transaction.atomic():
        unit = Unit(**{name: data[name] for name in UNIT_FIELDS})
        unit.contact_phone = data.get("contact_phone") or ""
        unit.save()
        changes = _created_changes(unit, UNIT_FIELDS, "contact_phone", False)
        record(actor, "people.unit.create", unit, changes=changes, ip=ip)
        return unit


def update_unit(actor, unit: Unit, data: dict, *, contact_only: bool = False, ip: str | None = None):
    """Congress staff change everything; unit staff (contact_only) only the contact person and phone."""
    fields = UNIT_CONTACT_FIELDS if contact_only else UNIT_FIELDS
    return _update(
        actor, Unit, unit.pk, data, fields, phone_field="contact_phone", photo=False, action="people.unit.update", ip=ip
    )


def deactivate_unit(actor, unit: Unit, *, ip: str | None = None) -> Unit:
    return _deactivate(actor, Unit, unit.pk, action="people.unit.deactivate", ip=ip)
