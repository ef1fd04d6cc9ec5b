"""Re-encrypt personal data with the newest key of FIELD_ENCRYPTION_KEYS (new key first, run, then drop the old)."""

from django.core.management.base import BaseCommand

from renda.core.privacy import rotate_field_keys


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS (idempotent, in batches)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        counts = rotate_field_keys(batch=batch)
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"total: {sum(counts.values())}"))
