"""Readiness: can this node serve? Each check answers "ok" or a short reason, never a person's data.

`readiness()` is what /readyz returns and what `check_deployment` reuses for the database-side checks. The checks are
cheap: one `SELECT 1`, the migration plan (read from disk once; a process that has seen every migration applied does
not look again), a cache round trip, and two indexed counts (the outbox's pending messages, the task queue's ready
rows).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.utils import timezone

from renda.notifications.models import Message, MessageStatus
from renda.workdays.coverage import year_needing_holidays

_migrated = {"all": False}


def check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def unapplied_migrations() -> list[str]:
    """Names of the migrations on disk that the database has not applied ("app.0001_name")."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_migrations() -> str:
    if _migrated["all"]:
        return "ok"
    missing = unapplied_migrations()
    if missing:
        return f"{len(missing)} migrations not applied"
    _migrated["all"] = True
    return "ok"


def check_cache() -> str:
    key, token = "ops:readyz", uuid.uuid4().hex
    cache.set(key, token, 30)
    if cache.get(key) != token:
        return "cache does not keep values"
    return "ok"


def task_backend_is_database() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def stale_tasks(now) -> int:
    """Tasks waiting for a worker longer than READY_TASK_STALE_MINUTES (0 with a backend that has no queue)."""
    if not task_backend_is_database():
        return 0
    from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max

    cutoff = now - timedelta(minutes=settings.READY_TASK_STALE_MINUTES)
    # A task without run_after carries the maximum date there: its waiting starts when it was enqueued.
    waiting = Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff)
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(waiting).count()


def check_tasks(now) -> str:
    count = stale_tasks(now)
    if count > settings.READY_TASK_MAX_STALE:
        return f"{count} tasks waiting over {settings.READY_TASK_STALE_MINUTES} minutes"
    return "ok"


def stale_messages(now) -> int:
    """Outbox messages still pending READY_OUTBOX_STALE_MINUTES after they were written."""
    cutoff = now - timedelta(minutes=settings.READY_OUTBOX_STALE_MINUTES)
    return Message.objects.filter(status=MessageStatus.PENDING, created__lt=cutoff).count()


def check_outbox(now) -> str:
    count = stale_messages(now)
    if count > settings.READY_OUTBOX_MAX_STALE:
        return f"{count} messages pending over {settings.READY_OUTBOX_STALE_MINUTES} minutes"
    return "ok"


def _run(check, *args) -> str:
    try:
        return check(*args)
    except Exception as exc:  # any failure means "not ready"; the class name says which kind, without details
        return f"error: {type(exc).__name__}"


def readiness(now=None) -> tuple[bool, dict]:
    """(ready, body): ready when every check is "ok"; warnings never make a node unready."""
    now = now or timezone.now()
    checks = {
        "database": _run(check_database),
        "migrations": _run(check_migrations),
        "cache": _run(check_cache),
        "tasks": _run(check_tasks, now),
        "outbox": _run(check_outbox, now),
    }
    warnings = []
    try:
        year = year_needing_holidays(timezone.localdate(now))
    except Exception:  # the database check above already says why
        year = None
    if year is not None:
        warnings.append(f"no holiday data for {year}: enter CalendarOverride rows or upgrade chinese-calendar")
    ready = all(value == "ok" for value in checks.values())
    return ready, {"status": "ok" if ready else "fail", "checks": checks, "warnings": warnings}
