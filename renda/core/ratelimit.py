"""Rate limits over Django's cache: "at most `limit` hits per `window` seconds for this key".

A fixed window (the current `window`-second slot of the clock) is enough here: the limits stop floods and code
guessing, they are not billing. Keys are hashed so the cache never holds an IP address or a cookie in clear, and any
key length suits any backend. The counts live in the default cache (settings.CACHES): with a per-process cache
(LocMem) each worker counts on its own; the database cache shares counts between processes.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


def _cache_key(key: str, window: int) -> str:
    slot = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"rl:{window}:{slot}:{digest}"


def count(key: str, window: int) -> int:
    """Hits counted for `key` in the current window."""
    return cache.get(_cache_key(key, window), 0)


def hit(key: str, limit: int, window: int) -> bool:
    """Count one hit; True while the count stays within `limit` (the hit that goes over returns False)."""
    cache_key = _cache_key(key, window)
    # add() is a no-op when the key exists, so concurrent first hits do not reset each other's counts.
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        total = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window + 1)
        total = 1
    return total <= limit


@dataclass(frozen=True)
class Limit:
    """A named limit, e.g. Limit("submit-ip", 10, 3600): ten per hour for each client of that kind."""

    name: str
    limit: int
    window: int  # seconds

    def _key(self, ident: str) -> str:
        return f"{self.name}:{ident}"

    def hit(self, ident: str) -> bool:
        """Count one hit for `ident` (an IP, a device id); False once over the limit."""
        return hit(self._key(ident), self.limit, self.window)

    def exceeded(self, ident: str) -> bool:
        """Whether `ident` has already used up the window, without counting (check first, count on success)."""
        return count(self._key(ident), self.window) >= self.limit
