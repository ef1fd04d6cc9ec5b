"""Generate the roster receptions of the coming weeks; run daily from cron (idempotent: a second run adds nothing)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from renda.receptions.actions.roster import generate_all


class Command(BaseCommand):
    help = "Materialise every active roster slot into published receptions for RECEPTION_SCHEDULE_WEEKS weeks."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, date=None, **options):
        day = None
        if date:
            try:
                day = _parse(date)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, got {date!r}") from None
        result = generate_all(day=day)
        self.stdout.write(
            f"receptions_schedule: {result.slots} slots, {result.receptions} receptions and {result.duties} duties "
            f"created, {len(result.skipped)} holiday dates skipped"
        )


def _parse(text: str) -> date:
    return date.fromisoformat(text)
