from django.core.management.base import BaseCommand
from django.utils import timezone

from renda.suggestions.reminders import run


class Command(BaseCommand):
    help = "Suggestions and proposals: lapse unsigned invitations, close rating periods, remind, escalate, and queue "
    help += "answered items for the disclosure review. Idempotent: run it as often as you like (e.g. hourly)."

    def handle(self, *args, **options):
        self.stdout.write(str(run(timezone.now())))
