"""Every write of calendars: making (or replacing) and removing a person's feed address, each audited."""

import secrets

from django.db import transaction

from renda.audit.actions import record

from .models import Feed, hash_token


@transaction.atomic
def issue_feed(user, region, *, ip: str = "") -> str:
    """Make the user's feed address, replacing any earlier one; returns the token (shown once, never stored)."""
    token = secrets.token_urlsafe(24)
    if region is None:
        raise ValueError("a calendar feed belongs to a deputy or CPPCC member, filed under their region")
    replaced = Feed.objects.select_for_update().filter(user=user).exists()
    feed, _created = Feed.objects.update_or_create(user=user, defaults={"token_hash": hash_token(token)})
    record(user, "calendar.feed_replaced" if replaced else "calendar.feed_issued", feed, region=region, ip=ip)
    return token


@transaction.atomic
def revoke_feed(user, region, *, ip: str = "") -> bool:
    feed = Feed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return False
    record(user, "calendar.feed_revoked", feed, region=region, ip=ip)
    feed.delete()
    return True
