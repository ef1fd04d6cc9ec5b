"""Password rules for staff accounts (等保2.0 level 3): complexity, no username, no reuse, expiry."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


class CharacterClassValidator:
    """At least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in CLASSES if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "Your password must mix at least %(count)d of: lower-case letters, upper-case letters, digits, symbols."
        ) % {"count": self.min_classes}


class NoUsernameValidator:
    """The username must not appear inside the password, in any letter case."""

    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return _("Your password must not contain your username.")


class PasswordHistoryValidator:
    """Refuses the current and the last `count` passwords; records each new one (password_changed)."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        hashes = [user.password] + list(
            user.password_history.order_by("-created", "-pk").values_list("password", flat=True)[: self.count]
        )
        if any(encoded and check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        from .models import User

        if user is None or not user.pk:
            return
        remember_password(user, count=self.count)
        user.password_changed_at = timezone.now()
        User.objects.filter(pk=user.pk).update(password_changed_at=user.password_changed_at)

    def get_help_text(self):
        return ngettext(
            "Your password must differ from your last password.",
            "Your password must differ from your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}


def remember_password(user, count: int | None = None) -> None:
    """Adds the user's current password hash to the history and keeps only what the rule needs.

    Called on every password change (the validator's password_changed hook, which also runs for the first password of
    an account: User.objects.create_user and createsuperuser, see models.UserManager) and by the demo, which writes
    its shared hash directly.
    """
    from .models import PasswordHistory

    if count is None:
        count = next((v.count for v in get_default_password_validators() if isinstance(v, PasswordHistoryValidator)), 0)
    if not user.pk or not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    old = user.password_history.order_by("-created", "-pk").values_list("pk", flat=True)[count:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()


def password_expired(user, now=None) -> bool:
    days = getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90)
    if not days or user.password_changed_at is None:
        return False
    return (now or timezone.now()) - user.password_changed_at > timedelta(days=days)


def must_change(user, now=None) -> bool:
    return bool(user.must_change_password) or password_expired(user, now)
