from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.crypto import EncryptedCharField


class UserManager(DjangoUserManager):
    def _create_user_object(self, username, email, password, **extra_fields):
        """Django writes the first password's hash without set_password(), so the password-changed hooks never ran
        for it: the initial password escaped the history (initial -> new -> initial was accepted). Mark it as set, so
        save() runs the hooks (passwords.PasswordHistoryValidator.password_changed) for create_user, createsuperuser
        and every other path through this manager."""
        user = super()._create_user_object(username, email, password, **extra_fields)
        if password is not None:
            user._password = password
        return user


class User(AbstractUser):
    """A staff, unit or deputy account. Constituents never need one."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = EncryptedCharField(_("mobile phone"), blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Set whenever the password changes (passwords.PasswordHistoryValidator.password_changed); drives expiry.
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Bumped by "log out everywhere": sessions carrying an older epoch are ended by the session middleware.
    session_epoch = models.PositiveIntegerField(_("session epoch"), default=0)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username


class Role(models.TextChoices):
    CONGRESS_STAFF = "congress_staff", _("congress staff")
    # 政协机关工作人员: the CPPCC committee's office, for its proposals, 社情民意 reports and sessions only.
    CPPCC_STAFF = "cppcc_staff", _("CPPCC staff")
    STATION_KEEPER = "station_keeper", _("station keeper")
    UNIT_STAFF = "unit_staff", _("unit staff")
    DEPUTY = "deputy", _("deputy")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    # 三员: accounts and settings (system admin), roles and lock policy (security admin), audit reading (audit admin).
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


# The three administrator roles (三员): granted only by security admins, and they require a second factor.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Where each role is granted: the one field of Grant that must be set for it (see Grant.clean).
ROLE_TARGET = {
    Role.CONGRESS_STAFF: "region",
    Role.CPPCC_STAFF: "region",
    Role.SYSTEM_ADMIN: "region",
    Role.SECURITY_ADMIN: "region",
    Role.AUDIT_ADMIN: "region",
    Role.STATION_KEEPER: "station",
    Role.UNIT_STAFF: "unit",
    Role.DEPUTY: "deputy",
}


class Grant(models.Model):
    """A role held by a user at one place; it reaches that place's whole subtree and nothing else."""

    user = models.ForeignKey(User, verbose_name=_("user"), related_name="grants", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), null=True, blank=True, on_delete=models.CASCADE
    )
    unit = models.ForeignKey("people.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE)
    deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("deputy"), null=True, blank=True, on_delete=models.CASCADE
    )
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.target}"

    @property
    def target(self):
        return getattr(self, ROLE_TARGET[self.role])

    def clean(self):
        wanted = ROLE_TARGET.get(self.role)
        for field in ("region", "station", "unit", "deputy"):
            value = getattr(self, f"{field}_id")
            if field == wanted and value is None:
                raise ValidationError({field: _("This role must be granted at a %(target)s.") % {"target": field}})
            if field != wanted and value is not None:
                raise ValidationError({field: _("This role is not granted at a %(target)s.") % {"target": field}})


class PasswordHistory(models.Model):
    """Hashes of a user's past passwords, so the last few cannot be reused."""

    user = models.ForeignKey(User, related_name="password_history", on_delete=models.CASCADE)
    password = models.CharField(max_length=128)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")

    def __str__(self):
        return f"{self.user_id} · {self.created:%Y-%m-%d}"


class LoginAttempt(models.Model):
    """One sign-in attempt or unlock; lockouts are computed from these rows so they hold across workers."""

    class Result(models.TextChoices):
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")
        LOCKED = "locked", _("refused while locked")
        UNLOCKED = "unlocked", _("unlocked by a security administrator")

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("time"), db_index=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")

    def __str__(self):
        return f"{self.username} · {self.result} · {self.at:%Y-%m-%d %H:%M}"
