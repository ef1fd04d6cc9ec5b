"""New rows of several tables written by one statement: a row may hold the primary key of a row before it.

Why: a submission writes an opinion, its Submit event and the queued task that routes the event. As three ORM saves in
a transaction that is five round trips to PostgreSQL (BEGIN, three INSERTs, COMMIT) and the ORM's work for each save;
as one statement of data-modifying CTEs in autocommit it is one round trip, and the submission's throughput went up by
half (docs/performance.md, "One statement per submission"). The rows are the caller's model instances, built as for
`save()`: defaults, `auto_now`/`auto_now_add` and each field's own conversion to the database apply as there.

On PostgreSQL:

    WITH r0 AS (INSERT INTO "opinions_opinion" (…) VALUES (…) RETURNING "id"),
         r1 AS (INSERT INTO "opinions_event" (…, "opinion_id", …) VALUES (…, (SELECT "id" FROM r0), …) RETURNING "id")
    SELECT (SELECT "id" FROM r0), (SELECT "id" FROM r1)

Every part runs once, in one snapshot; foreign keys (deferred) are checked at the commit, when both rows exist.
Elsewhere (SQLite, which has no data-modifying CTEs) each row is saved with the ORM in order, in one transaction.

As `save()` does, `pre_save` is sent for every row before the statement (django-tasks-db fills in a task's
`run_after` there) and `post_save` (created) after it. A model that overrides `save()` or inherits a concrete model is
refused (what its `save()` does would be skipped). Files are saved by their fields' `pre_save` as with the ORM. The
statement is atomic by itself; inside a transaction it is part of it.
"""

import copy
from dataclasses import dataclass

from django.db import connections, models, transaction
from django.db.models.expressions import DatabaseDefault
from django.db.models.signals import post_save, pre_save

from renda.core.dbcursor import bound_cursor


@dataclass(frozen=True)
class Ref:
    """The primary key of the row at position `row` of the same insert (an earlier one)."""

    row: int


@dataclass(frozen=True)
class JsonRef:
    """A JSON value whose element at `path` (keys and list positions) is the primary key of row `row`."""

    value: object
    path: tuple
    row: int


def one_statement(using: str = "default") -> bool:
    """Whether `insert` is one statement committed by itself here: PostgreSQL, outside any transaction. Elsewhere
    it is part of a transaction (the caller's, or its own on SQLite), which a caller writing more rows with the
    same guarantee opens around it."""
    connection = connections[using]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def insert(rows: list[tuple[models.Model, dict]], using: str = "default") -> None:
    """Insert every (instance, links) in order; `links` maps a field's attname to a Ref or a JsonRef. Sets each
    instance's primary key and marks it saved. Raises IntegrityError as the ORM would: nothing is written, and a
    caller's transaction must be rolled back (to a savepoint: wrap the call in atomic() to go on after it)."""
    for index, (instance, links) in enumerate(rows):
        model = type(instance)
        if model._meta.parents:
            raise TypeError(f"{model.__name__} inherits a concrete model; rowchain writes one table per row")
        if model.save is not models.Model.save:
            raise TypeError(f"{model.__name__} overrides save(), which rowchain would skip")
        for link in links.values():
            if not 0 <= link.row < index:
                raise ValueError(f"row {index} refers to row {link.row}, which is not before it")
    connection = connections[using]
    if connection.vendor != "postgresql":
        # Its own transaction, or the caller's (no savepoint: a refused row breaks the caller's transaction, as the
        # one statement does on PostgreSQL; a caller that goes on after one wraps the call in atomic()).
        with transaction.atomic(using=using, savepoint=False):
            for instance, links in rows:
                _resolve(instance, links, rows)
                instance.save(force_insert=True, using=using)
        return
    for instance, _links in rows:
        pre_save.send(sender=type(instance), instance=instance, raw=False, using=using, update_fields=None)
    sql, params = _statement(rows, connection)
    with bound_cursor(connection) as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchone()
    for (instance, _links), key in zip(rows, keys, strict=True):
        setattr(instance, instance._meta.pk.attname, key)
    for instance, links in rows:
        _resolve(instance, links, rows)
        instance._state.adding = False
        instance._state.db = using
        post_save.send(
            sender=type(instance), instance=instance, created=True, update_fields=None, raw=False, using=using
        )


def _resolve(instance, links: dict, rows) -> None:
    """Put the referred rows' keys into `instance` (after they are known)."""
    for attname, link in links.items():
        key = rows[link.row][0].pk
        setattr(instance, attname, key if isinstance(link, Ref) else _with_key(link, key))


def _with_key(link: JsonRef, key):
    """A copy of the JSON value with `key` at the path."""
    value = copy.deepcopy(link.value)
    target = value
    for step in link.path[:-1]:
        target = target[step]
    target[link.path[-1]] = key
    return value


# How each column of a row is written: a parameter, a NULL, the column's DEFAULT, an earlier row's key (an int: the
# row's position) or a JSON value with an earlier row's key in it (("json", position)). NULL is spelled out rather
# than sent: psycopg caches a statement's parsing only up to 50 parameters, and a submission's three rows have 58.
SKIP, PARAM, NULL, DEFAULT = "skip", "param", "null", "default"
_SQL: dict[tuple, str] = {}  # the statement for a shape of rows (models and their columns' codes)
SQL_CACHE_MAX = 256


def _fields(model) -> list:
    return [field for field in model._meta.local_concrete_fields if not field.generated]


def _statement(rows, connection) -> tuple[str, list]:
    shape, params = [], []
    for instance, links in rows:
        codes = []
        for field in _fields(type(instance)):
            link = links.get(field.attname)
            if field.primary_key and getattr(instance, field.attname) is None:
                codes.append(SKIP)  # the database's sequence gives it
            elif isinstance(link, Ref):
                codes.append(link.row)
            elif isinstance(value := field.pre_save(instance, add=True), DatabaseDefault):
                codes.append(DEFAULT)
            elif isinstance(link, JsonRef):
                codes.append(("json", link.row))
                params += [field.get_db_prep_save(link.value, connection), [str(step) for step in link.path]]
            elif (prepared := field.get_db_prep_save(value, connection)) is None:
                codes.append(NULL)
            else:
                codes.append(PARAM)
                params.append(prepared)
        shape.append((type(instance), tuple(codes)))
    key = (connection.alias, tuple(shape))
    sql = _SQL.get(key)
    if sql is None:
        if len(_SQL) >= SQL_CACHE_MAX:
            _SQL.clear()
        sql = _SQL[key] = _compose(shape, connection)
    return sql, params


def _compose(shape, connection) -> str:
    quote = connection.ops.quote_name

    def key_of(row: int) -> str:
        return f"(SELECT {quote(shape[row][0]._meta.pk.column)} FROM r{row})"

    parts = []
    for index, (model, codes) in enumerate(shape):
        columns, values = [], []
        for field, code in zip(_fields(model), codes, strict=True):
            if code == SKIP:
                continue
            columns.append(quote(field.column))
            if isinstance(code, int):
                values.append(key_of(code))
            elif isinstance(code, tuple):
                values.append(f"jsonb_set(%s::jsonb, %s::text[], to_jsonb({key_of(code[1])}))")
            else:
                values.append({PARAM: "%s", NULL: "NULL", DEFAULT: "DEFAULT"}[code])
        parts.append(
            f"r{index} AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
            f"VALUES ({', '.join(values)}) RETURNING {quote(model._meta.pk.column)})"
        )
    return f"WITH {', '.join(parts)} SELECT {', '.join(key_of(row) for row in range(len(shape)))}"
