"""Delete rate-limit counters of windows that have ended (hourly from cron; safe to run at any time, or twice)."""

from django.core.management.base import BaseCommand

from renda.core.ratelimit import purge


class Command(BaseCommand):
    help = "Delete the rate-limit counter rows of windows that have ended."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge()} expired rate-limit counters deleted.")
