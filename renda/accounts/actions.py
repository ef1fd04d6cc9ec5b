"""Account writes: each one transaction with an audit record."""

from django.db import transaction

from renda.audit.actions import record

from .models import Grant, User


@transaction.atomic
def create_user(actor, *, username: str, display_name: str, password: str, grant: Grant, ip=None) -> User:
    """A new account always comes with its first role, so it is never invisible to the admin who made it."""
    user = User.objects.create_user(
        username=username, password=password, display_name=display_name, must_change_password=True
    )
    grant.user = user
    grant.granted_by = actor
    grant.save()
    record(actor, "account.create", user, changes={"role": grant.role, "target": str(grant.target)}, ip=ip)
    return user


@transaction.atomic
def add_grant(actor, grant: Grant, ip=None) -> Grant:
    grant.granted_by = actor
    grant.save()
    record(actor, "grant.add", grant.user, changes={"role": grant.role, "target": str(grant.target)}, ip=ip)
    return grant


@transaction.atomic
def remove_grant(actor, grant: Grant, ip=None) -> None:
    user = grant.user
    changes = {"role": grant.role, "target": str(grant.target)}
    grant.delete()
    record(actor, "grant.remove", user, changes=changes, ip=ip)


@transaction.atomic
def set_active(actor, user: User, active: bool, ip=None) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(actor, "account.activate" if active else "account.deactivate", user, ip=ip)
