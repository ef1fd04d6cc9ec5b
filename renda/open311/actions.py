"""Every write of the Open311 app: issuing and revoking API keys."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from renda.audit.actions import record

from .models import ApiKey

PREFIX_LENGTH = 8


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def find_key(raw: str) -> ApiKey | None:
    """The active key matching `raw`, or None (unknown and revoked keys look the same to a client)."""
    if not raw or len(raw) > 200:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(raw), revoked_at__isnull=True).first()


@transaction.atomic
def issue_key(user, name: str, *, raw: str | None = None, ip: str | None = None) -> tuple[ApiKey, str]:
    """A new key; returns the row and the key in clear, which is never stored and cannot be shown again."""
    raw = raw or secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, key_hash=hash_key(raw), prefix=raw[:PREFIX_LENGTH], created_by=user)
    record(user, "open311.key.issue", key, changes={"name": name}, ip=ip)
    return key, raw


@transaction.atomic
def revoke_key(user, pk: int, *, ip: str | None = None) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record(user, "open311.key.revoke", key, ip=ip)
    return key


def register_demo_key(raw: str) -> str:
    """`make demo`: make the key from DEMO_OPEN311_API_KEY usable (idempotent; a revoked demo key is left revoked)."""
    if not raw:
        return ""
    if ApiKey.objects.filter(key_hash=hash_key(raw)).exists():
        return "Open311 demo key already registered."
    issue_key(None, "Demo (DEMO_OPEN311_API_KEY)", raw=raw)
    return "Open311 demo key registered."
