"""Scoped reads of accounts, for system administrators: the users holding a role somewhere in their regions."""

from django.db.models import Q
from django.http import Http404

from renda.regions.models import path_range_q

from .models import User
from .scope import scope_for

# The path column of each kind of grant target, seen from a user through `grants`.
GRANT_TARGET_PATHS = (
    "grants__region__path",
    "grants__station__region__path",
    "grants__unit__region__path",
    "grants__deputy__electoral_region__path",
)


def users_for(admin):
    scope = scope_for(admin)
    if scope.is_superuser:
        return User.objects.all()
    if not scope.admin_paths:
        return User.objects.none()
    q = Q()
    for prefix in scope.admin_paths:
        for field in GRANT_TARGET_PATHS:
            q |= path_range_q(prefix, field)
    return User.objects.filter(pk__in=User.objects.filter(q).values("pk"))


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
    """A system admin grants roles only inside their regions, and never to themselves (separation of duties)."""
    scope = scope_for(admin)
    if grant.user_id == admin.pk:
        return False
    return scope.is_superuser or scope.covers_path(target_path(grant), paths=scope.admin_paths)
