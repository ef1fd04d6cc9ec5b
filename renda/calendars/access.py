"""Whose calendar is whose. A person's own calendar: the deputy or CPPCC member behind the login (nobody else's,
ever); the region's calendar: congress staff, of their regions only (through each domain's own access function)."""

from django.http import Http404

from renda.accounts.scope import scope_for
from renda.suggestions.access import submitter_identity

from .models import Feed, hash_token


def person_of(user):
    """(deputy, member) behind the login, at most one of them set; (None, None) for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    return submitter_identity(user)


def has_own_calendar(user) -> bool:
    deputy, member = person_of(user)
    return deputy is not None or member is not None


def person_region(user):
    deputy, member = person_of(user)
    if deputy is not None:
        return deputy.electoral_region
    return member.region if member is not None else None


def may_see_region_calendar(user) -> bool:
    return scope_for(user).is_congress_staff


def feed_by_token(token: str) -> Feed:
    """The feed a secret address names; a wrong, replaced or removed address is missing (404) — the same answer for
    each, so the address space cannot be probed."""
    if not token or len(token) > 64:
        raise Http404("no such feed")
    feed = Feed.objects.filter(token_hash=hash_token(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404("no such feed")
    return feed
