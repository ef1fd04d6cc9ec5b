"""Switch off the Django superuser once the three administrators exist (三员, GB/T 22239-2019 level 3).

The superuser has no business role: it only sets up the system, security and audit administrators. Afterwards no
single account should be able to do everything, so this command disables every superuser account (the account stays
for the audit trail; its sessions end). It refuses while any of the three administrator roles has no active,
non-superuser holder, so a deployment cannot lock itself out. To set up again: `manage.py createsuperuser` on the
server (which needs shell access, itself the deployer's controlled path), then run this command again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from renda.accounts.models import ADMIN_ROLES, Grant, User
from renda.audit.actions import record


class Command(BaseCommand):
    help = "Disable every superuser account once system, security and audit administrators exist (三员)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="disable even if an administrator role has no active holder"
        )

    def handle(self, *args, force=False, **options):
        held = set(
            Grant.objects.filter(role__in=ADMIN_ROLES, user__is_active=True, user__is_superuser=False).values_list(
                "role", flat=True
            )
        )
        missing = sorted(set(ADMIN_ROLES) - held)
        if missing and not force:
            raise CommandError(
                "refusing: no active account holds "
                + ", ".join(missing)
                + " (grant the three administrator roles first, or pass --force)"
            )
        with transaction.atomic():
            superusers = list(User.objects.select_for_update().filter(is_superuser=True, is_active=True))
            for user in superusers:
                user.is_active = False
                user.session_epoch += 1
                user.save(update_fields=["is_active", "session_epoch"])
                record(None, "account.superuser_disable", user, changes={"forced": force})
        self.stdout.write(f"disabled superusers: {len(superusers)}")
