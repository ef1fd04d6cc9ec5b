"""De-identify constituents of opinions closed more than PII_RETENTION_DAYS ago (run daily from cron)."""

from django.core.management.base import BaseCommand

from renda.opinions.privacy import deidentify_opinions


class Command(BaseCommand):
    help = "Clear submitter and supporter names and phones of opinions closed more than PII_RETENTION_DAYS ago."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="de-identify every closed opinion, whatever its age")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, now, batch, **options):
        counts = deidentify_opinions(days=0 if now else None, batch=batch)
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
