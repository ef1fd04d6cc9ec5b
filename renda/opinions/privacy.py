"""Personal data housekeeping of opinions (PIPL): de-identifying constituents of opinions closed long ago.

Idempotent and batched like key rotation (renda/core/privacy.py): each batch in its own transaction with the rows
locked, so a run can be stopped and restarted at any time; one audit record per run with its counts.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from renda.audit.actions import record
from renda.notifications.models import Message

from .models import Opinion, Supporter

BATCH = 500


def deidentify_opinions(now=None, days: int | None = None, batch: int = BATCH) -> dict[str, int]:
    """Clear names, phones and WeChat openids of constituents (submitter, supporters, their outbox SMS and WeChat
    messages) of opinions closed long ago."""
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
            # Constituents' SMS rows are keyed "e<event>:sms:o<opinion>" / ":s<supporter>" (opinions/routing.py).
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
