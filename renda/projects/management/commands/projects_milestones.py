"""manage.py projects_milestones: remind lead units of overdue milestones and escalate them (run daily)."""

from django.core.management.base import BaseCommand

from renda.projects.reminders import milestone_reminders


class Command(BaseCommand):
    help = "Remind lead units of overdue milestones; escalate long-overdue ones to congress staff."

    def handle(self, *args, **options):
        summary = milestone_reminders()
        self.stdout.write(f"{summary.reminded} reminders, {summary.escalated} escalations queued.")
