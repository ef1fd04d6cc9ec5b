"""Reminders, escalation (督办) and auto-closing; run every 10 minutes from cron (see README, Deploying)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.opinions.reminders import run


class Command(BaseCommand):
    help = "Remind before due dates, escalate overdue opinions to the parent region, close unrated opinions."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="act as if it were this time (ISO 8601, e.g. 2026-10-09T09:00+08:00)")

    def handle(self, *args, now=None, **options):
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now must be an ISO 8601 time, got {now!r}") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        summary = run(moment)
        self.stdout.write(f"opinion_deadlines at {moment.isoformat()}: {summary}")
