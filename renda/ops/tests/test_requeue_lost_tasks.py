"""requeue_lost_tasks: a task left RUNNING by a worker that died is given back to the queue, a running one is not."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max


def _task(status, started_seconds_ago=None):
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": ["opinions.event", 1], "kwargs": {}},
        task_path="renda.notifications.tasks.route_task",
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=["worker1"],
    )
    if started_seconds_ago is not None:
        started = timezone.now() - timedelta(seconds=started_seconds_ago)
        DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return row


def test_only_tasks_running_longer_than_the_setting_are_requeued(db, settings):
    settings.TASK_LOST_SECONDS = 600
    lost = _task(TaskResultStatus.RUNNING, started_seconds_ago=601)
    running = _task(TaskResultStatus.RUNNING, started_seconds_ago=30)
    done = _task(TaskResultStatus.SUCCESSFUL, started_seconds_ago=3600)
    out = StringIO()
    call_command("requeue_lost_tasks", stdout=out)
    assert out.getvalue().strip() == "1 lost tasks requeued"
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY and lost.started_at is None
    assert DBTaskResult.objects.get(pk=running.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=done.pk).status == TaskResultStatus.SUCCESSFUL
    # --after overrides the setting (the end-to-end test uses a few seconds).
    call_command("requeue_lost_tasks", "--after", "10", stdout=out)
    assert DBTaskResult.objects.get(pk=running.pk).status == TaskResultStatus.READY


def test_the_tasks_of_an_exited_worker_are_requeued_at_once(db):
    mine = _task(TaskResultStatus.RUNNING, started_seconds_ago=1)
    other = _task(TaskResultStatus.RUNNING, started_seconds_ago=1)
    DBTaskResult.objects.filter(pk=other.pk).update(worker_ids=["worker1", "worker2"])  # re-claimed by worker2 since
    out = StringIO()
    call_command("requeue_lost_tasks", "--worker", "worker1", stdout=out)
    assert out.getvalue().strip() == "1 lost tasks requeued"
    assert DBTaskResult.objects.get(pk=mine.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=other.pk).status == TaskResultStatus.RUNNING
