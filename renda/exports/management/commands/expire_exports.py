"""Delete export files older than EXPORT_KEEP_DAYS; run daily (cron or a systemd timer). Idempotent."""

from django.core.management.base import BaseCommand

from renda.exports.actions import expire_exports


class Command(BaseCommand):
    help = "Delete finished and abandoned exports older than EXPORT_KEEP_DAYS, with their files."

    def handle(self, *args, **options):
        count = expire_exports()
        self.stdout.write(f"{count} export(s) expired")
