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

A lagging replica is not read from: before a read-heavy page uses it, `replica_lag()` asks the primary where its WAL
is and the replica how many seconds it is behind that (one statement each, at most once per
DB_REPLICA_LAG_CHECK_SECONDS in each process). Further behind than DB_REPLICA_MAX_LAG_SECONDS, unreachable, or unable
to tell (not a standby, nothing replayed yet): the page reads from the primary, and a warning on "renda.dbrouter"
says why, once per measurement. A replica cut off from the primary counts as behind once the primary has written
and the last transaction it replayed is older than the limit. DB_REPLICA_MAX_LAG_SECONDS=0 turns the check off.
"""

import logging
import threading
from contextvars import ContextVar
from time import monotonic

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

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


# How far behind the replica is, in seconds. The primary's WAL position is read first; a replica that has received at
# least that much and replayed all it received is current (0), however long ago the last transaction was (an idle
# primary sends nothing, so the age of the last replayed transaction is no measure then). Otherwise its lag is the
# age of the last transaction it replayed. Comparing with the primary is what catches a replica cut off from it (its
# WAL receiver stopped, or the network gone): by itself such a replica has replayed all it *received* and would look
# current forever, while the primary moves on. NULL when the replica is not a standby or has replayed nothing yet.
PRIMARY_WAL_SQL = "SELECT pg_current_wal_lsn()::text"
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() >= %s::pg_lsn AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
    "THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)

_lag_lock = threading.Lock()
_lag_memo: tuple[float | None, float] | None = None  # (the lag, None if unknown; monotonic() when measured)


def _ask(alias: str, sql: str, params=()):
    """One value from `alias`. A database error closes that connection (no broken connection is left for the next
    request) and goes on up."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (value,) = cursor.fetchone()
    except DatabaseError:
        connection.close()
        raise
    return value


def _query_lag(alias: str) -> float | None:
    """The replica `alias`'s lag behind the primary (LAG_SQL), None if it cannot tell."""
    value = _ask(alias, LAG_SQL, [_ask(DEFAULT_DB_ALIAS, PRIMARY_WAL_SQL)])
    return None if value is None else max(0.0, float(value))


def _measure_lag() -> float | None:
    limit = settings.DB_REPLICA_MAX_LAG_SECONDS
    try:
        lag = _query_lag(replica_alias())
    except DatabaseError as error:
        # The replica unreachable, or the primary's WAL position unreadable: the error names the server.
        logger.warning("The replica's lag cannot be measured (%s): reading from the primary", error)
        return None
    if lag is None:
        logger.warning(
            "The replica cannot tell its lag (not a standby, or nothing replayed yet): reading from the primary"
        )
    elif lag > limit:
        logger.warning(
            "The replica is %.1f s behind (DB_REPLICA_MAX_LAG_SECONDS=%g): reading from the primary",
            lag,
            limit,
        )
    return lag


def replica_lag() -> float | None:
    """Seconds the replica is behind the primary; None when unknown or unreachable. Measured at most once per
    DB_REPLICA_LAG_CHECK_SECONDS in this process: until then every request gets the last answer."""
    global _lag_memo
    with _lag_lock:  # one measurement at a time; the others wait for it and read its answer
        if _lag_memo is not None and monotonic() - _lag_memo[1] < settings.DB_REPLICA_LAG_CHECK_SECONDS:
            return _lag_memo[0]
        lag = _measure_lag()
        _lag_memo = (lag, monotonic())
        return lag


def forget_replica_lag() -> None:
    """The next replica_lag() measures again (tests start from a fresh process's state)."""
    global _lag_memo
    with _lag_lock:
        _lag_memo = None


def replica_fresh() -> bool:
    """Whether the replica is close enough behind the primary to read from; always with DB_REPLICA_MAX_LAG_SECONDS=0."""
    limit = settings.DB_REPLICA_MAX_LAG_SECONDS
    if not limit:
        return True
    lag = replica_lag()
    return lag is not None and lag <= limit


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
        if choose(request, request.resolver_match) and replica_fresh():
            _reading_from_replica.set(True)
            logger.info("%s reads from the replica", request.resolver_match.view_name)
        return None
