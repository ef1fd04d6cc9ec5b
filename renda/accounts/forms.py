from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .access import grantable_roles, may_grant
from .models import ROLE_TARGET, Grant, Role, User

# A grant's target → (form field, lookup field, related rows that may_grant reads).
TARGET_LOOKUPS = {
    "region": ("region_code", "code", ()),
    "station": ("station_code", "public_code", ("region",)),
    "unit": ("unit_name", "name", ("region",)),
    "deputy": ("deputy_code", "public_code", ("electoral_region",)),
}


class GrantForm(forms.Form):
    """A role and where it is held; the place is given by its code, checked against the admin's regions."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region_code = forms.CharField(label=_("Region code"), max_length=12, required=False)
    station_code = forms.CharField(label=_("Station code"), max_length=12, required=False)
    unit_name = forms.CharField(label=_("Unit name"), max_length=100, required=False)
    deputy_code = forms.CharField(label=_("Deputy code"), max_length=12, required=False)

    def __init__(self, *args, admin, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin
        self.user = user
        # Only the roles this admin may grant (三员): a system admin is not offered the administrator roles.
        roles = grantable_roles(admin)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not role:
            return data
        target = ROLE_TARGET[role]
        field, key, related = TARGET_LOOKUPS[target]
        value = (data.get(field) or "").strip()
        if not value:
            self.add_error(field, _("This role needs this field."))
            return data
        # The target's model through Grant's foreign key: accounts sits below people and stations and imports neither.
        model = Grant._meta.get_field(target).related_model
        obj = model.objects.select_related(*related).filter(**{key: value}).first()
        grant = Grant(role=role, user=self.user, **{target: obj}) if obj is not None else None
        # Missing and out of scope read the same: the form must not confirm what exists elsewhere.
        if grant is None or not may_grant(self.admin, grant):
            self.add_error(field, _("Not found in your regions."))
            return data
        if self.user is not None and self.user.grants.filter(role=role, **{target: obj}).exists():
            self.add_error(None, _("The user already holds this role there."))
        self.grant = grant
        return data


class UserCreateForm(GrantForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    display_name = forms.CharField(label=_("Display name"), max_length=60)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=_("The user must change it at first login."),
    )
    field_order = ["username", "display_name", "password", "role"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, User(username=self.data.get("username", "")))
        return password


class InitialPasswordForm(forms.Form):
    """A new initial password set by an administrator (password reset): the account must change it at next login."""

    password = forms.CharField(
        label=_("New initial password"),
        widget=forms.PasswordInput,
        help_text=_("The user must change it at first login."),
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.account)
        return password


class LockingAuthenticationForm(AuthenticationForm):
    """Django's login form plus the lockout (per account and per IP) and an audit record of every attempt."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Sign-in is locked until %(until)s; try again later."),
    }

    def clean(self):
        from django.utils import timezone

        from renda.audit.actions import client_ip

        from . import actions, lockout

        username = (self.data.get("username") or "").strip()
        ip = client_ip(self.request) if self.request else None
        lock = lockout.account_lock(username) or lockout.ip_lock(ip)
        if lock:
            actions.record_attempt(username, ip, "locked")
            until = timezone.localtime(lock.until).strftime("%H:%M")
            raise ValidationError(self.error_messages["locked"], code="locked", params={"until": until})
        try:
            data = super().clean()
        except ValidationError:
            actions.record_attempt(username, ip, "failed")
            raise
        actions.record_attempt(username, ip, "ok", user=self.get_user())
        return data
