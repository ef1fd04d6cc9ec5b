"""Give back to the queue the tasks of a worker that died while running them (killed, out of memory, its database
connection lost in a PostgreSQL restart, machine lost).

A `db_worker` marks a task RUNNING when it claims it; a worker that dies before it records the result leaves the task
RUNNING for ever, and nothing else would run it. Every task of the project may run twice (the outbox keeps one
message per event and recipient, an import already started is left alone), so:

- `requeue_lost_tasks --worker ID`: the worker with this id has exited (its supervisor knows: run this before
  starting it again, as deploy/cluster/cluster.sh does); its RUNNING tasks are READY again at once;
- `requeue_lost_tasks`: every task RUNNING for longer than TASK_LOST_SECONDS (far beyond any task's run) is READY
  again; from cron every few minutes, for workers whose machine died with them (docs/deploy.md).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Make READY again the tasks a dead worker left RUNNING (by its --worker id, or after TASK_LOST_SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--after", type=int, default=None, help="seconds (default: TASK_LOST_SECONDS)")
        parser.add_argument("--worker", default="", help="the id of a worker that has exited: all its RUNNING tasks")

    def handle(self, *args, after=None, worker="", **options):
        from django_tasks_db.models import DBTaskResult, TaskResultStatus

        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        if worker:
            # A task's last claim is the last id in worker_ids; RUNNING tasks are few: read and matched here.
            ids = [pk for pk, claims in running.values_list("pk", "worker_ids") if claims and claims[-1] == worker]
            lost = running.filter(pk__in=ids)
        else:
            seconds = settings.TASK_LOST_SECONDS if after is None else after
            lost = running.filter(started_at__lt=timezone.now() - timedelta(seconds=seconds))
        count = lost.update(status=TaskResultStatus.READY, started_at=None)
        self.stdout.write(f"{count} lost tasks requeued")
