import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.audit.purge import PurgeRefused, purge_before


class Command(BaseCommand):
    help = "Remove audit records older than --before (YYYY-MM-DD); refuses dates inside AUDIT_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, type=datetime.date.fromisoformat)

    def handle(self, *args, before, **options):
        start = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
        try:
            count = purge_before(start)
        except PurgeRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"removed {count} audit records before {before.isoformat()}")
