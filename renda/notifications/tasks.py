from django.db import router as db_router
from django_tasks import task

from renda.core.rowchain import JsonRef

from .registry import route


@task()
def route_task(router: str, pk: int) -> int:
    """Run a domain's registered router (registry.py) in the task worker, off the request that caused the event."""
    return route(router, pk)


def route_row(router: str, row: int, using: str = "default"):
    """The queued-task row that `route_task.enqueue(router, <pk>)` writes, for a caller that inserts it in the same
    statement as the domain row at position `row` of a `core.rowchain` insert (the pk is filled in by the database).

    Returns (unsaved row, rowchain links), or None when the tasks backend does not keep its queue in that database
    (tests' immediate backend, another store): then enqueue as usual. Built as django-tasks-db's
    `DatabaseBackend._task_to_db_task` builds it (a test compares the two rows). Unlike `enqueue`, the
    `task_enqueued` signal is not sent: its only receiver is django-tasks' debug log line, and building the result it
    carries cost a submission more than the row itself."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult

    backend = route_task.get_backend()
    if not isinstance(backend, DatabaseBackend) or db_router.db_for_write(DBTaskResult) != using:
        return None
    backend.validate_task(route_task)
    args_kwargs = normalize_json({"args": [router, 0], "kwargs": {}})
    queued = DBTaskResult(
        id=backend._get_id(),
        args_kwargs=args_kwargs,
        priority=route_task.priority,
        task_path=route_task.module_path,
        queue_name=route_task.queue_name,
        run_after=route_task.run_after,
        backend_name=backend.alias,
    )
    return queued, {"args_kwargs": JsonRef(args_kwargs, ("args", 1), row)}
