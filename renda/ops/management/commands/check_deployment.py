"""Is this deployment ready? Settings, database, migrations, cache table, holidays, superusers (docs/upgrading.md).

Prints every finding ("ERROR ops.E004 …", "WARNING ops.W003 …") and exits with status 1 when there is an error, 0
otherwise (warnings only). Run it after each install or upgrade, before putting a node behind the load balancer.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.ops.checks import ERROR, deployment_findings


class Command(BaseCommand):
    help = "Say whether the deployment is ready: errors (exit status 1) and warnings."

    def handle(self, *args, **options):
        findings = deployment_findings(timezone.localdate())
        for finding in findings:
            label = "ERROR" if finding.level == ERROR else "WARNING"
            stream = self.stderr if finding.level == ERROR else self.stdout
            stream.write(f"{label} {finding.id} {finding.message}")
        errors = sum(1 for finding in findings if finding.level == ERROR)
        warnings = len(findings) - errors
        if errors:
            raise CommandError(f"not ready: {errors} errors, {warnings} warnings")
        self.stdout.write(f"ready: 0 errors, {warnings} warnings")
