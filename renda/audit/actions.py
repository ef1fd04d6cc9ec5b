"""The one way to write an audit record. Called inside the action's transaction, so a failed write leaves none."""

from django.db import models

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The address an audit record names. Behind a reverse proxy, configure it to set REMOTE_ADDR (issue 4)."""
    return request.META.get("REMOTE_ADDR")


def _json_safe(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        # changed_fields() gives [old, new] pairs: keep them as JSON lists, not their str().
        return [_json_safe(item) for item in value]
    return str(value)


def record(
    actor,
    action: str,
    obj=None,
    *,
    region=None,
    changes: dict | None = None,
    ip: str | None = None,
    result: str = "ok",
):
    """Write one audit record, inside the caller's transaction.

    The record is filed under a region (audit admins read the log by region): `region` when given, which is how an
    object without a region of its own is filed (a duty or a visit under its station's region, an absence under the
    deputy's); otherwise the object's own `region` (a model field or property, never an attribute set on the instance
    by hand), or the object itself when it is a Region (its `path`).
    """
    region_path = _region_path(obj, region)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        ip=ip,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        region_path=region_path,
        result=result,
        changes={key: _json_safe(value) for key, value in (changes or {}).items()},
    )


def _region_path(obj, region) -> str:
    if region is not None:
        return region.path
    if obj is None:
        return ""
    own = obj.region if hasattr(type(obj), "region") else None
    return own.path if own is not None else getattr(obj, "path", "") or ""


def changed_fields(instance, data: dict) -> dict:
    """Apply `data` to `instance`; return {field: [old, new]} for the fields that really changed."""
    changes = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = [_json_safe(old), _json_safe(new)]
            setattr(instance, field, new)
    return changes
