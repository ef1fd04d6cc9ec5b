"""Account writes: each one transaction with an audit record, each re-checking who may do it (三员, access.py)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renda.audit.actions import record

from .access import may_grant, may_manage
from .models import Grant, User


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("not allowed for this administrator")


@transaction.atomic
def create_user(actor, *, username: str, display_name: str, password: str, grant: Grant, ip=None) -> User:
    """A new account always comes with its first role, so it is never invisible to the admin who made it."""
    _check(may_grant(actor, grant))
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
    _check(may_grant(actor, grant))
    grant.granted_by = actor
    grant.save()
    record(actor, "grant.add", grant.user, changes={"role": grant.role, "target": str(grant.target)}, ip=ip)
    return grant


@transaction.atomic
def remove_grant(actor, grant: Grant, ip=None) -> None:
    _check(may_grant(actor, grant))
    user = grant.user
    changes = {"role": grant.role, "target": str(grant.target)}
    grant.delete()
    record(actor, "grant.remove", user, changes=changes, ip=ip)


@transaction.atomic
def set_active(actor, user: User, active: bool, ip=None) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    _check(may_manage(actor, user))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(actor, "account.activate" if active else "account.deactivate", user, ip=ip)


@transaction.atomic
def reset_password(actor, user: User, password: str, ip=None) -> None:
    """An administrator sets a new initial password: the account must change it at next login, its sessions end,
    and the password joins the history like any other (so the user cannot simply keep it)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    _check(may_manage(actor, locked))
    locked.set_password(password)
    locked.must_change_password = True
    locked.session_epoch += 1
    locked.save(update_fields=["password", "must_change_password", "session_epoch"])
    record(actor, "account.password_reset", locked, ip=ip)


def record_attempt(username: str, ip, result: str, user: User | None = None, now=None) -> None:
    """A sign-in attempt: a LoginAttempt row for the lockout (under the account's lock key, so every spelling of a
    name counts once), and an audit record naming the username as typed."""
    from django.utils import timezone

    from .lockout import lock_key
    from .models import LoginAttempt

    with transaction.atomic():
        LoginAttempt.objects.create(username=lock_key(username), ip=ip, at=now or timezone.now(), result=result)
        action = {"ok": "login", "failed": "login.failed", "locked": "login.locked"}[result]
        record(user, action, user, changes={"username": username[:150]}, ip=ip, result=result)


@transaction.atomic
def unlock(actor, user: User, ip=None) -> None:
    """Clears an account's lock: an "unlocked" attempt row resets its failure count."""
    from django.utils import timezone

    from .lockout import lock_key
    from .models import LoginAttempt

    LoginAttempt.objects.create(
        username=lock_key(user.username), ip=None, at=timezone.now(), result=LoginAttempt.Result.UNLOCKED
    )
    record(actor, "account.unlock", user, ip=ip)


@transaction.atomic
def logout_everywhere(user: User, ip=None) -> None:
    """Ends every session of the user: the session middleware refuses sessions with an older epoch."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.session_epoch += 1
    locked.save(update_fields=["session_epoch"])
    user.session_epoch = locked.session_epoch
    record(user, "account.logout_everywhere", user, ip=ip)


@transaction.atomic
def password_changed(user: User, ip=None) -> None:
    """After a successful change the first-login / expiry gate opens."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.must_change_password:
        locked.must_change_password = False
        locked.save(update_fields=["must_change_password"])
    user.must_change_password = False
    record(user, "account.password_change", user, ip=ip)


def otp_verified(user: User, device, *, enrolled: bool, ip=None) -> None:
    """A correct TOTP code: on first use it confirms the device (enrolment)."""
    with transaction.atomic():
        if enrolled:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        record(user, "otp.enroll" if enrolled else "otp.verify", user, ip=ip)
