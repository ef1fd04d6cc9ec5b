"""Personal data housekeeping (PIPL) that knows no domain: re-encrypting with the newest key, and the audited reveal.

Key rotation is idempotent and works in batches, each batch in its own transaction with the rows locked, so a run
can be stopped and restarted at any time; each run writes one audit record with its counts. De-identifying old
opinions is the opinions app's job (renda/opinions/privacy.py); who may reveal which phone is the back office's
(renda/backoffice/privacy.py).
"""

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from renda.audit.actions import record
from renda.core.crypto import EncryptedCharField, _fernet

BATCH = 500


def encrypted_fields() -> list[tuple[type, str]]:
    """(model, field name) of every EncryptedCharField in the project."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField)
    ]


def _primary() -> Fernet | None:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    return Fernet(keys[0].encode()) if keys else None


def _is_current(primary: Fernet, token: str) -> bool:
    try:
        primary.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate_field_keys(batch: int = BATCH) -> dict[str, int]:
    """Re-encrypt every stored value with the first key; values already under it are left alone (idempotent)."""
    primary, fernet = _primary(), _fernet()
    counts = {}
    for model, name in encrypted_fields():
        label = f"{model._meta.label_lower}.{name}"
        counts[label] = 0
        # Cast to a plain text field so the ORM hands back the stored token, not the decrypted value.
        raw = model._base_manager.exclude(**{name: ""}).annotate(_raw=Cast(name, output_field=TextField()))
        last_pk = None
        while True:
            with transaction.atomic():
                page = raw.order_by("pk")
                if last_pk is not None:
                    page = page.filter(pk__gt=last_pk)
                rows = list(page.select_for_update().values_list("pk", "_raw")[:batch])
                for pk, token in rows:
                    if primary is not None and _is_current(primary, token):
                        continue
                    new = fernet.rotate(token.encode()).decode()
                    model._base_manager.filter(pk=pk).update(**{name: Value(new, output_field=TextField())})
                    counts[label] += 1
            if len(rows) < batch:
                break
            last_pk = rows[-1][0]
    record(None, "pii.rotate_keys", changes={"rotated": counts})
    return counts


# Reveal: a masked phone shown in full, on purpose, one number at a time, each time audited.
# Who may reveal which number: renda/backoffice/privacy.py.


def reveal(user, obj, field: str, *, ip: str | None = None) -> str:
    """The clear value of obj.<field>, after writing the audit record that says who saw it."""
    with transaction.atomic():
        record(user, "pii.reveal", obj, changes={"field": field}, ip=ip)
    return getattr(obj, field)
