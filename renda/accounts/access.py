"""Scoped reads of accounts and who may change them (三员): system admins manage accounts, security admins grant
roles, the superuser only sets up the three administrators."""

from django.db.models import Q
from django.http import Http404

from renda.regions.models import path_range_q

from .models import ADMIN_ROLES, Role, User
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
    """Accounts on the account pages: those holding a role somewhere in the regions where the admin is system admin
    (accounts) or security admin (roles); the superuser, which sets up the administrators, finds every account."""
    scope = scope_for(admin)
    if scope.sets_up_admins:
        return User.objects.all()
    paths = scope.admin_paths + scope.security_paths
    if not paths:
        return User.objects.none()
    return _users_in(paths)


def users_for_security(admin):
    """Accounts a security admin oversees (locks, sessions): those holding a role in the admin's regions."""
    scope = scope_for(admin)
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


def may_manage(admin, account) -> bool:
    """Who creates, disables and resets an account (三员: accounts are the system admin's): a system admin for the
    accounts holding a role in their regions; the superuser for the administrators it sets up (accounts holding an
    administrator role, or none yet). Nobody acts on their own account, and no administrator on a superuser."""
    if account.pk == admin.pk:
        return False
    scope = scope_for(admin)
    if scope.sets_up_admins:
        roles = set(account.grants.values_list("role", flat=True))
        return not roles or bool(roles & ADMIN_ROLES)
    if not scope.admin_paths or account.is_superuser:
        return False
    return _users_in(scope.admin_paths).filter(pk=account.pk).exists()


def grantable_roles(admin) -> list[str]:
    """The roles the admin may grant somewhere (the grant form offers only these)."""
    scope = scope_for(admin)
    if scope.audit_paths:
        return []
    roles = set()
    if scope.security_paths:
        roles |= set(Role.values)
    if scope.admin_paths:
        roles |= set(Role.values) - ADMIN_ROLES
    if scope.sets_up_admins:
        roles |= ADMIN_ROLES
    return [role for role in Role.values if role in roles]


def target_path(grant) -> str:
    target = grant.target
    if hasattr(target, "path"):
        return target.path
    if hasattr(target, "electoral_region"):
        return target.electoral_region.path
    return target.region.path


def may_grant(admin, grant) -> bool:
    """Who grants what (三员), never to oneself, only inside the granter's regions:
    - a security admin grants every role, the administrator roles included;
    - a system admin grants ordinary roles (an account's first role comes with it), never an administrator role;
    - the superuser grants only the three administrator roles (it sets them up, then can be disabled);
    - an account holding audit_admin grants nothing."""
    scope = scope_for(admin)
    if grant.user_id is not None and grant.user_id == admin.pk:
        return False
    if scope.audit_paths:
        return False
    if grant.role in ADMIN_ROLES:
        if scope.sets_up_admins:
            return True
        paths = scope.security_paths
    else:
        paths = scope.security_paths + scope.admin_paths
    return bool(paths) and scope.covers_path(target_path(grant), paths=paths)
