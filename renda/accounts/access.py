"""Scoped reads of accounts, for system administrators: the users holding a role somewhere in their regions."""

from django.db.models import Q
from django.http import Http404

from renda.regions.models import path_range_q

from .models import ADMIN_ROLES, User
from .scope import scope_for

# The path column of each kind of grant target, seen from a user through `grants`.
GRANT_TARGET_PATHS = (
    "grants__region__path",
    "grants__station__region__path",
    "grants__unit__region__path",
    "grants__deputy__electoral_region__path",
)


def _users_in(paths):
    q = Q()
    for prefix in paths:
        for field in GRANT_TARGET_PATHS:
            q |= path_range_q(prefix, field)
    return User.objects.filter(pk__in=User.objects.filter(q).values("pk"))


def users_for(admin):
    """Accounts a system admin manages: those holding a role somewhere in the admin's regions."""
    scope = scope_for(admin)
    if scope.is_superuser:
        return User.objects.all()
    if not scope.admin_paths:
        return User.objects.none()
    return _users_in(scope.admin_paths)


def users_for_security(admin):
    """Accounts a security admin oversees (locks, sessions): those holding a role in the admin's regions."""
    scope = scope_for(admin)
    if scope.is_superuser:
        return User.objects.all()
    if not scope.security_paths:
        return User.objects.none()
    return _users_in(scope.security_paths)


def get_user_for_security(admin, pk) -> User:
    user = users_for_security(admin).filter(pk=pk).first()
    if user is None:
        raise Http404("no such user")
    return user


def get_user_for_admin(admin, pk) -> User:
    user = users_for(admin).filter(pk=pk).first()
    if user is None:
        raise Http404("no such user")
    return user


def target_path(grant) -> str:
    target = grant.target
    if hasattr(target, "path"):
        return target.path
    if hasattr(target, "electoral_region"):
        return target.electoral_region.path
    return target.region.path


def may_grant(admin, grant) -> bool:
    """Roles are granted only inside the granter's regions, never to oneself, and never by an audit reader (三员)."""
    scope = scope_for(admin)
    if grant.user_id == admin.pk:
        return False
    if scope.is_superuser:
        return True
    if scope.audit_paths:
        # 三员: an account that reads the audit log never changes grants.
        return False
    # The administrator roles themselves are granted by security admins, everything else by system admins.
    paths = scope.security_paths if grant.role in ADMIN_ROLES else scope.admin_paths
    return scope.covers_path(target_path(grant), paths=paths)
