"""Read-heavy pages read from the streaming replica; everything else, and every write, uses the primary.

Active only with DATABASE_REPLICA_URL (settings add the "replica" alias and this router). The choice is made per
request, never per model: `ReplicaMiddleware` marks a request whose view is one of settings.DB_REPLICA_VIEWS
(dashboards, reports, exports, public lists: "namespace:name" or "namespace:*") and that is a GET or HEAD, and
`ReplicaRouter` sends that request's reads to the replica. Nothing else ever reads from it: other views, task
workers, management commands, and reads inside a transaction on the primary (`atomic()`, `select_for_update()`
which Django routes as a write) all stay on the primary.

Read-your-writes: a replica is a fraction of a second behind. A client that has just written (any POST, PUT, PATCH
or DELETE) gets a cookie for DB_REPLICA_PIN_SECONDS, and while it has it every read of its requests goes to the
primary, so the dashboard it opens right after a change shows that change.
"""

import logging
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

logger = logging.getLogger("renda.dbrouter")

PIN_COOKIE = "renda_primary"
SAFE_METHODS = ("GET", "HEAD")

_reading_from_replica: ContextVar[bool] = ContextVar("renda_reading_from_replica", default=False)


def replica_alias() -> str | None:
    return getattr(settings, "DB_REPLICA_ALIAS", None)


def _read_heavy(resolver_match) -> bool:
    if resolver_match is None or not resolver_match.namespace:
        return False
    views = settings.DB_REPLICA_VIEWS
    return f"{resolver_match.namespace}:{resolver_match.url_name}" in views or f"{resolver_match.namespace}:*" in views


def choose(request, resolver_match) -> bool:
    """Whether this request's reads may go to the replica."""
    return (
        replica_alias() is not None
        and request.method in SAFE_METHODS
        and PIN_COOKIE not in request.COOKIES
        and _read_heavy(resolver_match)
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if alias and _reading_from_replica.get() and not connections["default"].in_atomic_block:
            return alias
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's WAL; nothing is ever migrated there


class ReplicaMiddleware:
    """Chooses the database of a request's reads (see the module's docstring) and pins a writer to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading_from_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reading_from_replica.reset(token)
        if replica_alias() and request.method not in SAFE_METHODS and settings.DB_REPLICA_PIN_SECONDS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DB_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if choose(request, request.resolver_match):
            _reading_from_replica.set(True)
            logger.info("%s reads from the replica", request.resolver_match.view_name)
        return None
