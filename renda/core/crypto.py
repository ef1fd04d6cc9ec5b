"""Personal data encrypted at rest (PIPL): names and phones of people are stored as Fernet tokens.

Keys come from FIELD_ENCRYPTION_KEYS, newest first; older keys still decrypt, so a key is rotated by putting a new
one in front and re-saving rows. In DEBUG without keys, a key is derived from SECRET_KEY so the demo runs.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        derived = hashlib.sha256(("field-encryption:" + settings.SECRET_KEY).encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A token no configured key opens: report it rather than show ciphertext as data.
        raise ValueError("encrypted value cannot be decrypted with the configured keys") from None


class EncryptedCharField(models.TextField):
    """Stores a short string encrypted; empty stays empty so "not given" remains visible without a key."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value or ""
        return encrypt(value)


def mask_phone(phone: str) -> str:
    """138****8000: enough to recognise a number, not enough to call it."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) <= 7:
        return digits[:1] + "*" * (len(digits) - 1)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
