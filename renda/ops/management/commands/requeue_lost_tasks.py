"""Give back to the queue the tasks of a worker that died while running them (killed, out of memory, machine lost).

A `db_worker` marks a task RUNNING when it claims it; a worker killed before it records the result leaves the task
RUNNING for ever, and nothing else would run it. Every task of the project may run twice (the outbox keeps one
message per event and recipient, an import already started is left alone), so a task RUNNING for longer than
TASK_LOST_SECONDS (far beyond any task's run) is made READY again. Run it every few minutes from cron, beside the
workers (docs/deploy.md).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Make READY again the tasks left RUNNING longer than TASK_LOST_SECONDS by a worker that died."

    def add_arguments(self, parser):
        parser.add_argument("--after", type=int, default=None, help="seconds (default: TASK_LOST_SECONDS)")

    def handle(self, *args, after=None, **options):
        from django_tasks_db.models import DBTaskResult, TaskResultStatus

        seconds = settings.TASK_LOST_SECONDS if after is None else after
        cutoff = timezone.now() - timedelta(seconds=seconds)
        count = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).update(
            status=TaskResultStatus.READY, started_at=None
        )
        self.stdout.write(f"{count} lost tasks requeued")
