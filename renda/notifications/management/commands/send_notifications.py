"""Send the outbox's due messages; run every minute from cron or a loop (see README, Deploying)."""

from django.core.management.base import BaseCommand

from renda.notifications.actions import send_pending


class Command(BaseCommand):
    help = "Send pending messages whose next attempt is due; failures are retried with back-off."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="at most this many messages in this run")

    def handle(self, *args, limit, **options):
        summary = send_pending(limit=limit)
        self.stdout.write(
            f"send_notifications: sent {summary.sent}, retry later {summary.retried}, failed {summary.failed}"
        )
