"""Sessions in the cache (SESSION_STORE=cache) that tell a Redis outage from a missing session.

Django's cache session store reads any error of the cache as "no such session": while Redis restarts, every staff
member would be treated as logged out and their session cookie deleted (a session that loads empty is cleared), so
they would stay logged out after Redis is back. Here an unreachable Redis raises, and the request answers 503 with
Retry-After (core/channel_errors.py); the session, kept in Redis' append-only file, is there again afterwards.
"""

from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

from .channel_errors import UNAVAILABLE


class SessionStore(CacheSessionStore):
    def load(self):
        try:
            session_data = self._cache.get(self.cache_key)
        except UNAVAILABLE:
            raise
        except Exception:  # as Django: e.g. a key the cache refuses means no session
            session_data = None
        if session_data is not None:
            return session_data
        self._session_key = None
        return {}
