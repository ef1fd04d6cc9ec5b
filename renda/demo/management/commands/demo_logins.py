"""manage.py demo_logins [--port N]: where to open the demo and which accounts to sign in with."""

from django.core.management.base import BaseCommand

from renda.accounts.models import User
from renda.demo.logins import demo_logins, demo_password

# Accounts made by the demo's parts rather than by the grant table (logins.py): a CPPCC member logs in through their
# MemberAccount, with no staff grant.
MEMBER_LOGINS = ("member.demo",)


def _where(user) -> str:
    account = getattr(user, "member_account", None)
    if account is not None:
        return f"{account.member.name} ({account.member.region.name}, {account.member.sector})"
    grant = user.grants.select_related("region", "station", "unit", "deputy").first()
    if grant is None:
        return "sets up the three administrators (Django superuser)" if user.is_superuser else "-"
    return f"{grant.target}"


def _role(user) -> str:
    if getattr(user, "member_account", None) is not None:
        return "cppcc_member"
    grant = user.grants.first()
    if grant is None:
        return "superuser" if user.is_superuser else "-"
    return grant.role


class Command(BaseCommand):
    help = "Print the demo's address and its logins (only the accounts that exist)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        base = f"http://127.0.0.1:{port}"
        usernames = [login.username for login in demo_logins({})] + list(MEMBER_LOGINS)
        users = {user.username: user for user in User.objects.filter(username__in=usernames, is_active=True)}
        self.stdout.write(f"Public pages: {base}/")
        self.stdout.write(f"Staff pages:  {base}/staff/")
        if not users:
            self.stdout.write("No demo logins yet: run `manage.py load_demo` first.")
            return
        password = demo_password()
        rows = [("username", "password", "role", "where")]
        rows += [(name, password, _role(users[name]), _where(users[name])) for name in usernames if name in users]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]  # "where" is last: Chinese is double width
        self.stdout.write("Demo logins (password from DEMO_PASSWORD):")
        for *cells, where in rows:
            padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=True)]
            self.stdout.write("  " + "  ".join([*padded, where]))
