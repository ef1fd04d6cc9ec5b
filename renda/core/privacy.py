"""Personal data housekeeping (PIPL): re-encrypting with the newest key, and de-identifying old opinions.

Both jobs are idempotent and work in batches, each batch in its own transaction with the rows locked, so a run can be
stopped and restarted at any time. Each run writes one audit record with its counts.
"""

from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

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


def deidentify_opinions(now=None, days: int | None = None, batch: int = BATCH) -> dict[str, int]:
    """Clear names, phones and WeChat openids of constituents (submitter, supporters, their outbox SMS and WeChat
    messages) of opinions closed long ago."""
    Opinion = apps.get_model("opinions", "Opinion")
    Supporter = apps.get_model("opinions", "Supporter")
    Message = apps.get_model("notifications", "Message")
    days = settings.PII_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    closed = Opinion.objects.filter(closed_at__isnull=False, closed_at__lt=cutoff)
    counts = {"opinions": 0, "supporters": 0, "messages": 0}
    last_pk = 0
    while True:
        with transaction.atomic():
            pks = list(closed.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch])
            if not pks:
                break
            with_pii = (
                Opinion.objects.select_for_update()
                .filter(pk__in=pks)
                .exclude(submitter_name="", submitter_phone="", submitter_openid="")
            )
            counts["opinions"] += with_pii.update(submitter_name="", submitter_phone="", submitter_openid="")
            supporters = Supporter.objects.filter(opinion_id__in=pks).exclude(name="", phone="")
            supporter_pks = list(supporters.select_for_update().values_list("pk", flat=True))
            counts["supporters"] += Supporter.objects.filter(pk__in=supporter_pks).update(name="", phone="")
            # Constituents' SMS rows are keyed "e<event>:sms:o<opinion>" / ":s<supporter>" (notifications/routing.py).
            keys = Q()
            for pk in pks:
                keys |= Q(dedupe_key__endswith=f":sms:o{pk}")
            for pk in supporter_pks:
                keys |= Q(dedupe_key__endswith=f":sms:s{pk}")
            messages = Message.objects.filter(keys, user__isnull=True).exclude(phone="")
            counts["messages"] += messages.update(phone="")
            # Their WeChat rows, "e<event>:wechat:o<opinion>", hold the openid as the address.
            wechat = Q()
            for pk in pks:
                wechat |= Q(dedupe_key__endswith=f":wechat:o{pk}")
            counts["messages"] += (
                Message.objects.filter(wechat, user__isnull=True).exclude(address="").update(address="")
            )
            last_pk = pks[-1]
    if any(counts.values()):
        record(None, "pii.deidentify", changes={"cutoff": cutoff.isoformat(), **counts})
    return counts


# Reveal: a masked phone shown in full, on purpose, one number at a time, each time audited.
# The right follows the grants: congress staff whose scope covers the opinion's region (or the deputy's electoral
# region) may reveal; station keepers, unit staff and deputies see masks only.


def may_reveal_opinion(user, opinion) -> bool:
    from renda.accounts.scope import scope_for

    return bool(opinion.consent and opinion.submitter_phone) and scope_for(user).covers_path(opinion.region.path)


def may_reveal_deputy(user, deputy) -> bool:
    from renda.accounts.scope import scope_for

    return bool(deputy.phone) and scope_for(user).covers_path(deputy.electoral_region.path)


def reveal(user, obj, field: str, *, ip: str | None = None) -> str:
    """The clear value of obj.<field>, after writing the audit record that says who saw it."""
    with transaction.atomic():
        record(user, "pii.reveal", obj, changes={"field": field}, ip=ip)
    return getattr(obj, field)
