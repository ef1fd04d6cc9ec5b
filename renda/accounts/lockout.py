"""Sign-in lockout computed from LoginAttempt rows: N failures within the lock window lock the account or the IP.

Rows (not a cache) so the lock holds across workers. Attempts refused while locked are stored as "locked",
not "failed", so hammering a locked account does not extend its lock. A success or an unlock resets the account
count; the IP count only expires with time (a success from the IP must not let an attacker keep guessing).

Accounts are counted by their lock key (`lock_key`): the name as Django's sign-in sees it (NFKC, so full-width
ｈｕｑｉｕ is huqiu) and case-folded (usernames are unique regardless of case), so no spelling of a name gets its own
five tries.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginAttempt

R = LoginAttempt.Result


def lock_key(username: str) -> str:
    """The one key per account: NFKC (AbstractBaseUser.normalize_username, as the login form applies it), case-folded,
    trimmed; cut to the column's length."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:150]


def _window() -> timedelta:
    return timedelta(minutes=getattr(settings, "LOCKOUT_MINUTES", 15))


@dataclass(frozen=True)
class Lock:
    until: datetime
    failures: int


def _lock_from(failures: list[datetime], limit: int, now: datetime) -> Lock | None:
    """failures: newest first. Locked when the newest `limit` fall within one window, until newest + window."""
    if limit <= 0 or len(failures) < limit:
        return None
    newest, oldest = failures[0], failures[limit - 1]
    if newest - oldest <= _window() and now < newest + _window():
        return Lock(until=newest + _window(), failures=len(failures))
    return None


def account_lock(username: str, now: datetime | None = None) -> Lock | None:
    now = now or timezone.now()
    username = lock_key(username)
    limit = getattr(settings, "LOCKOUT_ACCOUNT_FAILURES", 5)
    since = now - 2 * _window()
    reset = (
        LoginAttempt.objects.filter(username=username, result__in=[R.OK, R.UNLOCKED], at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    failures = LoginAttempt.objects.filter(username=username, result=R.FAILED, at__gte=reset or since, at__lte=now)
    return _lock_from(list(failures.order_by("-at").values_list("at", flat=True)[:limit]), limit, now)


def ip_lock(ip: str | None, now: datetime | None = None) -> Lock | None:
    if not ip:
        return None
    now = now or timezone.now()
    limit = getattr(settings, "LOCKOUT_IP_FAILURES", 5)
    failures = LoginAttempt.objects.filter(ip=ip, result=R.FAILED, at__gte=now - 2 * _window(), at__lte=now)
    return _lock_from(list(failures.order_by("-at").values_list("at", flat=True)[:limit]), limit, now)


def locked_usernames(usernames, now: datetime | None = None) -> dict[str, Lock]:
    """Locks of many accounts at once (for the locks page), keyed by the usernames given; one query."""
    now = now or timezone.now()
    limit = getattr(settings, "LOCKOUT_ACCOUNT_FAILURES", 5)
    names = {lock_key(username): username for username in usernames}
    rows = LoginAttempt.objects.filter(username__in=list(names), at__gte=now - 2 * _window(), at__lte=now)
    by_user: dict[str, list] = {}
    for username, at, result in rows.order_by("-at").values_list("username", "at", "result"):
        by_user.setdefault(username, []).append((at, result))
    locks = {}
    for username, attempts in by_user.items():
        failures = []
        for at, result in attempts:
            if result in (R.OK, R.UNLOCKED):
                break
            if result == R.FAILED:
                failures.append(at)
        lock = _lock_from(failures[:limit], limit, now)
        if lock and username in names:
            locks[names[username]] = lock
    return locks
