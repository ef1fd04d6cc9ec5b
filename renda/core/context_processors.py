from django.conf import settings


def site(request):
    """Site-wide values, and which back-office sections the user's roles open (for the navigation only)."""
    context = {"PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from renda.accounts.scope import scope_for
        from renda.audit.access import may_read_audit

        scope = scope_for(user)
        context["nav"] = {
            "congress_staff": scope.is_congress_staff,
            "system_admin": bool(scope.admin_paths) or scope.is_superuser,
            "audit_admin": may_read_audit(user),
            "unit_staff": bool(scope.unit_ids),
            "deputy": bool(scope.deputy_ids),
        }
    return context
