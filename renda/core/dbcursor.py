"""A cursor that binds its parameters on the server, for the few hot statements the app sends most often.

Why: Django's PostgreSQL backend binds parameters on the client by default (psycopg's ClientCursor quotes each value
into the statement's text), which keeps every ORM query working and every pooler happy, but costs the app's CPU for
each value and makes PostgreSQL parse and plan the text afresh. A submission's statement has about fifty values and
is sent at every submission: bound on the server, its values are sent apart (no quoting), and with prepared statements
allowed (not through PgBouncer in transaction mode, DB_PGBOUNCER) psycopg prepares it after a few executions on a
connection, so PostgreSQL plans it once (docs/performance.md, "Fourth pass").

Only statements written for it use it: the ORM's queries stay client-bound (some of Django's expressions need the
client-side binding's literal types).
"""

from django.db.backends.base.base import BaseDatabaseWrapper

_classes: dict[str, type] = {}  # by database alias


def _cursor_class(connection: BaseDatabaseWrapper) -> type:
    """Django's server-binding cursor, counted at /metrics like the backend's own (django-prometheus wraps them)."""
    cls = _classes.get(connection.alias)
    if cls is None:
        from django.db.backends.postgresql.base import ServerBindingCursor
        from django_prometheus.db.common import DatabaseWrapperMixin, ExportingCursorWrapper

        cls = ServerBindingCursor
        if isinstance(connection, DatabaseWrapperMixin):
            cls = ExportingCursorWrapper(cls, connection.alias, connection.vendor)
        _classes[connection.alias] = cls
    return cls


def bound_cursor(connection: BaseDatabaseWrapper):
    """A cursor of `connection` binding parameters on the server (PostgreSQL; elsewhere the usual cursor), wrapped
    as Django's cursors are (query logging, execute wrappers, database errors)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # Django makes a cursor with the psycopg connection's cursor_factory: that factory, for this one cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    saved = raw.cursor_factory
    raw.cursor_factory = _cursor_class(connection)
    try:
        return connection.cursor()
    finally:
        raw.cursor_factory = saved
