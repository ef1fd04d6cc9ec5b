"""Who reads the audit log: audit administrators (三员), within the regions of their audit_admin grants.

Separation of duties: a user who also administers the system or security does not read the log (it records what
they did). Superusers read nothing: they have no business role (三员). Records with no region (account and system
events) are read only by audit administrators granted at a top-level region.
"""

from django.db.models import Q

from renda.accounts.models import Role
from renda.accounts.scope import _prefixes, scope_for
from renda.audit.models import AuditEvent
from renda.regions.models import Region, path_range_q


def audit_paths(user) -> tuple[str, ...] | None:
    """Path prefixes the user may read; () = nothing. (None = everything is no longer answered: nobody reads all.)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_superuser:
        return ()
    scope = scope_for(user)
    if scope.admin_paths or getattr(scope, "security_paths", ()):
        return ()
    paths = getattr(scope, "audit_paths", None)
    if paths is None:  # a Scope without the 三员 fields: read the grants directly
        regions = [g.region for g in user.grants.filter(role=Role.AUDIT_ADMIN).select_related("region")]
        if user.grants.filter(role=Role.SECURITY_ADMIN).exists():
            return ()
        paths = _prefixes(regions)
    return tuple(paths)


def may_read_audit(user) -> bool:
    paths = audit_paths(user)
    return paths is None or bool(paths)


def audit_events_for(user):
    paths = audit_paths(user)
    if paths is None:
        return AuditEvent.objects.all()
    if not paths:
        return AuditEvent.objects.none()
    reach = Q()
    for prefix in paths:
        reach |= path_range_q(prefix, "region_path")
    if Region.objects.filter(parent__isnull=True, path__in=paths).exists():
        reach |= Q(region_path="")
    return AuditEvent.objects.filter(reach)
