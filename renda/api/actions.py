"""Writes of the API app: creating and revoking a personal token (each audited), and noting a token's use."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from renda.audit.actions import record

from .models import ApiToken

SECRET_PREFIX = "rd_"
LAST_USED_EVERY = timedelta(minutes=1)  # one write a minute per token at most, not one per request


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user, name: str, *, ip=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the secret, which is never stored and cannot be shown again."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, token_hash=hash_secret(secret), prefix=secret[:8])
        record(user, "api.token_create", token, changes={"name": name}, ip=ip)
    return token, secret


def revoke_token(user, pk: int, *, ip=None) -> ApiToken | None:
    """Revoke one of `user`'s own tokens (None when it is not theirs or already revoked)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=pk, revoked__isnull=True).first()
        if token is None:
            return None
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        record(user, "api.token_revoke", token, changes={"name": token.name}, ip=ip)
    return token


def authenticate(secret: str):
    """The active user a bearer secret belongs to, or None; notes the token's last use."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.filter(token_hash=hash_secret(secret), revoked__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
