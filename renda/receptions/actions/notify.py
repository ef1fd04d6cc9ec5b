"""Messages to deputies about their receptions, queued in the outbox inside the action's transaction (the outbox
sends after commit). Every message is keyed, so a retried action queues nothing twice. They carry what a deputy needs
to find their way — date, time, station, address — and never anyone else's data."""

from django.conf import settings
from django.utils import formats, translation

from renda.notifications.actions import enqueue
from renda.notifications.models import Channel, Message
from renda.people.models import Deputy

from ..models import Campaign, Reception
from ..workflow import CampaignStatus

# --- a reception day -------------------------------------------------------------------------------------------------


def campaign_context(campaign: Campaign, station, **extra) -> dict:
    """What a deputy needs about a reception day: date, time, station name and address."""
    with translation.override(settings.LANGUAGE_CODE):
        date = formats.date_format(campaign.date, "DATE_FORMAT")
    context = {
        "title": campaign.title,
        "date": date,
        "time": f"{campaign.starts:%H:%M}–{campaign.ends:%H:%M}",
        "station": station.name if station else "",
        "address": station.address if station else "",
    }
    return context | extra


def queue_many(rows: list[tuple[Deputy, str, dict, str]]) -> int:
    """Queue (deputy, template, context, key) messages in bulk: a site message to the deputy's account if any and an
    SMS to their phone if any. Keys already queued are skipped, as `notifications.actions.enqueue` does, so
    publishing twice (or a retried request) sends nothing twice; one query to check, one to insert."""
    messages = []
    for deputy, template, context, key in rows:
        if deputy.user_id:
            messages.append(
                Message(
                    channel=Channel.SITE,
                    user_id=deputy.user_id,
                    template=template,
                    context=context,
                    dedupe_key=f"{key}:site",
                )
            )
        if deputy.phone:
            messages.append(
                Message(
                    channel=Channel.SMS,
                    user_id=deputy.user_id,
                    phone=deputy.phone,
                    template=template,
                    context=context,
                    dedupe_key=f"{key}:sms",
                )
            )
    keys = [m.dedupe_key for m in messages]
    existing = set()
    for start in range(0, len(keys), 500):
        existing.update(
            Message.objects.filter(dedupe_key__in=keys[start : start + 500]).values_list("dedupe_key", flat=True)
        )
    new = [m for m in messages if m.dedupe_key not in existing]
    Message.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def campaign_duty_changed(campaign: Campaign, deputy: Deputy, station, now, *, removed=False) -> None:
    """After publishing, a deputy whose duty was added, moved or removed is told."""
    if campaign.status != CampaignStatus.PUBLISHED:
        return
    context = campaign_context(campaign, station, removed=removed)
    key = f"reception-changed:{campaign.pk}:{deputy.pk}:{now.timestamp():.6f}"
    queue_many([(deputy, "reception_changed", context, key)])


# --- a station's own receptions (roster, one-off) ---------------------------------------------------------------------


def reception_context(reception: Reception, **extra) -> dict:
    """What a message about a reception says: station, date, time, link; never personal data."""
    with translation.override("zh-hans"):
        return {
            "station": reception.station.name,
            "date": reception.date.isoformat(),
            "starts": f"{reception.starts:%H:%M}",
            "ends": f"{reception.ends:%H:%M}",
            "url": f"{settings.PUBLIC_BASE_URL}/s/{reception.station.public_code}/",
            **extra,
        }


def _queue(deputies, template: str, context: dict, key: str) -> int:
    """One in-site message to each deputy with an account and an SMS to each with a phone; `key` makes it once."""
    queued = 0
    for deputy in deputies:
        user = deputy.user if deputy.user_id else None
        if user is not None:
            site = enqueue(
                channel=Channel.SITE,
                template=template,
                context=context,
                dedupe_key=f"{key}:d{deputy.pk}:site",
                user=user,
            )
            queued += site is not None
        if deputy.phone:
            sms = enqueue(
                channel=Channel.SMS,
                template=template,
                context=context,
                dedupe_key=f"{key}:d{deputy.pk}:sms",
                user=user,
                phone=deputy.phone,
            )
            queued += sms is not None
    return queued


def _deputies(ids):
    return Deputy.objects.filter(pk__in=ids).select_related("user").order_by("pk") if ids else []


def reception_cancelled(reception: Reception) -> int:
    """Tell each deputy on duty that the reception is cancelled, and why; keyed by reception so it is sent once."""
    deputies = _deputies(list(reception.duties.values_list("deputy_id", flat=True)))
    context = reception_context(reception, reason=reception.cancel_reason)
    return _queue(deputies, "reception_cancelled", context, f"reception_cancelled:{reception.pk}")


def reception_duty_changed(reception: Reception, on_duty, off_duty, now) -> int:
    """After publishing: tell deputies now on duty (added, or their time moved) and those no longer expected.

    Keyed by the moment of the change, so each change is told once and a later change is told again.
    """
    stamp = int(now.timestamp())
    key = f"reception_duty:{reception.pk}:{stamp}"
    queued = _queue(
        _deputies(on_duty), "reception_duty_changed", reception_context(reception, on_duty=True), f"{key}:on"
    )
    queued += _queue(
        _deputies(off_duty), "reception_duty_changed", reception_context(reception, on_duty=False), f"{key}:off"
    )
    return queued
