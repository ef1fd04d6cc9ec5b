from django.core.management.base import BaseCommand

from ...refresh import refresh


class Command(BaseCommand):
    help = "Bring the dashboards' summary tables up to date (incremental and idempotent; run every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="rebuild every summary row from the opinions")

    def handle(self, *args, full=False, **options):
        done = refresh(full=full)
        self.stdout.write(f"dirty keys {done['keys']}, rows written {done['rows']}, open rows {done['open_rows']}")
