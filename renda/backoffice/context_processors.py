from renda.accounts.scope import scope_for

from .audit_access import may_read_audit


def nav(request):
    """Which back-office sections the user's roles open (for the navigation only; every page checks again)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "nav": {
            "congress_staff": scope.is_congress_staff,
            "system_admin": bool(scope.admin_paths) or scope.is_superuser,
            "audit_admin": may_read_audit(user),
        }
    }
