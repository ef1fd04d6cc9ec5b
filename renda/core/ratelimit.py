"""Rate limits: "at most `limit` hits per `window` seconds for this client", counted atomically across processes.

A fixed window (the current `window`-second slot of the clock) is enough here: the limits stop floods and code
guessing, they are not billing. Keys are hashed, so no store ever holds an IP address or a cookie in clear.

Counting and checking are one step: `Limit.hit()` adds one and answers whether the count is still within the limit,
in a single atomic operation, so concurrent requests (in any number of worker processes or nodes) can never let more
than `limit` through. A request that turns out not to count (invalid input, a retry answered from the first result)
gives its hit back with `Limit.undo()`.

Where the counts live (settings.RATELIMIT_STORE):
- "database" (the default): the `core.RateCounter` table, one `INSERT … ON CONFLICT DO UPDATE SET hits = hits + 1
  RETURNING hits` per hit (PostgreSQL, and SQLite ≥ 3.35). Shared by every process that uses the database.
- "cache": Django's default cache, when it counts atomically: Redis through django-redis (`CACHE_URL=redis://…`),
  whose add and incr are single Redis commands. Django's database cache is not atomic (incr is a read and a write),
  so settings refuse it for counting.

Each limit's size is a setting (LIMIT_*, environment variables, see README); a `Limit` reads it on every hit, so a
changed setting applies without a code change.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from renda.core.dbcursor import bound_cursor


def _store() -> str:
    return getattr(settings, "RATELIMIT_STORE", "database")


def _key(key: str, window: int, now: float | None = None) -> str:
    slot = int((time.time() if now is None else now) // window)
    digest = hashlib.sha256(f"{window}:{slot}:{key}".encode()).hexdigest()[:48]
    return f"rl:{digest}"


# The database store ------------------------------------------------------------------------------------------------


def _table() -> str:
    from .models import RateCounter

    return connection.ops.quote_name(RateCounter._meta.db_table)


def _db_add(items: list[tuple[str, int]], delta: int) -> dict[str, int]:
    """Add `delta` to each (key, window) in one statement; returns the new counts by key."""
    table = _table()
    with bound_cursor(connection) as cursor:
        if delta < 0:  # giving hits back: never below zero, never a row for a window that has no hits
            marks = ", ".join(["%s"] * len(items))
            cursor.execute(
                f'UPDATE {table} SET hits = hits + %s WHERE "key" IN ({marks}) AND hits > 0',  # noqa: S608
                [delta, *(key for key, _window in items)],
            )
            return {}
        now = int(time.time())
        rows = ", ".join(["(%s, %s, %s)"] * len(items))
        cursor.execute(
            f'INSERT INTO {table} ("key", hits, expires) VALUES {rows} '  # noqa: S608 (a quoted table name)
            f'ON CONFLICT ("key") DO UPDATE SET hits = {table}.hits + excluded.hits RETURNING "key", hits',
            [value for key, window in items for value in (key, delta, now + window + 1)],
        )
        return dict(cursor.fetchall())


def purge() -> int:
    """Delete the counter rows of windows that have ended (`manage.py purge_rate_counts`, hourly from cron); the
    cache store needs nothing (Redis expires its keys)."""
    from .models import RateCounter

    return RateCounter.objects.filter(expires__lt=int(time.time())).delete()[0]


def _db_count(cache_key: str) -> int:
    from .models import RateCounter

    return RateCounter.objects.filter(key=cache_key).values_list("hits", flat=True).first() or 0


# The cache store (Redis) -------------------------------------------------------------------------------------------


def _cache_add(items: list[tuple[str, int]], delta: int) -> dict[str, int]:
    totals = {}
    for cache_key, window in items:
        if delta < 0:
            try:
                cache.decr(cache_key, -delta)
            except ValueError:  # the window has ended: nothing to give back
                pass
            continue
        # add() is SET NX and incr() one Lua script on Redis: atomic, so concurrent first hits never reset each other.
        cache.add(cache_key, 0, timeout=window + 1)
        try:
            totals[cache_key] = cache.incr(cache_key, delta)
        except ValueError:  # expired between add() and incr(): only possible after the window has ended
            cache.set(cache_key, delta, timeout=window + 1)
            totals[cache_key] = delta
    return totals


# The interface -----------------------------------------------------------------------------------------------------


def _add(items: list[tuple[str, int]], delta: int) -> dict[str, int]:
    """Add `delta` to the counts of several (hashed key, window) at once, atomically each."""
    if not items:
        return {}
    if _store() == "cache":
        return _cache_add(items, delta)
    return _db_add(items, delta)


def add(key: str, window: int, delta: int = 1) -> int:
    """Add `delta` to the count of `key` in the current window, atomically; returns the new count (0 after a give-back
    in the database store)."""
    cache_key = _key(key, window)
    return _add([(cache_key, window)], delta).get(cache_key, 0)


def count(key: str, window: int) -> int:
    """Hits counted for `key` in the current window (a read, for display and tests; never check-then-count)."""
    cache_key = _key(key, window)
    if _store() == "cache":
        return cache.get(cache_key, 0)
    return _db_count(cache_key)


def _take(rules: list[tuple[str, int, int]]) -> bool:
    """One hit on each (key, limit, window), all or none: if any count goes over its limit, every hit is given back
    at once, so a client that keeps trying does not push its counts ever higher (and `undo` stays exact). With the
    database store all of it is one statement (two when refused)."""
    # Sorted, so two requests sharing two counters always lock them in the same order (no deadlock on PostgreSQL).
    keyed = sorted((_key(key, window), window, limit) for key, limit, window in rules)
    items = [(cache_key, window) for cache_key, window, _limit in keyed]
    totals = _add(items, 1)
    if all(totals[cache_key] <= limit for cache_key, _window, limit in keyed):
        return True
    _add(items, -1)
    return False


def hit(key: str, limit: int, window: int) -> bool:
    """Count one hit; True while the count stays within `limit` (a refused hit is not counted)."""
    return _take([(key, limit, window)])


@dataclass(frozen=True)
class Limit:
    """A named limit, e.g. Limit("submit-ip", "LIMIT_SUBMIT_PER_IP_HOUR", 3600): that setting per hour per client.

    `allowed` is a setting's name (read on every hit, so settings and overrides apply at once) or a number.
    """

    name: str
    allowed: str | int
    window: int  # seconds

    @property
    def limit(self) -> int:
        return getattr(settings, self.allowed) if isinstance(self.allowed, str) else self.allowed

    def _key(self, ident: str) -> str:
        return f"{self.name}:{ident}"

    def hit(self, ident: str) -> bool:
        """Count one hit for `ident` (an IP, a device id, a key id); False (and not counted) once over the limit."""
        return hit(self._key(ident), self.limit, self.window)

    def undo(self, ident: str) -> None:
        """Give back a hit that turned out not to count (a refused form, a retry answered with the first result)."""
        add(self._key(ident), self.window, -1)

    def exceeded(self, ident: str) -> bool:
        """Whether `ident` has used up the window (a read only: to refuse, use hit(), which counts and checks)."""
        return count(self._key(ident), self.window) >= self.limit


def hit_all(limits: list[tuple["Limit", str]]) -> bool:
    """Count one hit on each (limit, ident), all or none: False (and nothing counted) if any is over its limit."""
    return _take([(limit._key(ident), limit.limit, limit.window) for limit, ident in limits])


def undo_all(limits: list[tuple["Limit", str]]) -> None:
    """Give back one hit on each (limit, ident): a request that turned out not to count."""
    _add([(_key(limit._key(ident), limit.window), limit.window) for limit, ident in limits], -1)
