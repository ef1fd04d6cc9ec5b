from django.core.management.base import BaseCommand, CommandError

from renda.audit.chain import verify
from renda.audit.models import AuditAnchor, AuditEvent


class Command(BaseCommand):
    help = "Recompute the audit hash chain; name the first altered, inserted or deleted record (exit 1 if any)."

    def handle(self, *args, **options):
        checked, problem = verify(AuditEvent, AuditAnchor)
        if problem is not None:
            raise CommandError(
                f"audit chain broken after {checked} good records: {problem.kind} record {problem.record_id} "
                f"({problem.detail})"
            )
        self.stdout.write(f"audit chain intact: {checked} records")
