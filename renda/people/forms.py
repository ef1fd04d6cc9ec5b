"""Forms for the people pages. Regions are typed as codes and checked against the user's scope on the server.

Phones are never put back into a form: the field starts empty, shows the masked number as a hint, and an empty
submission keeps the stored number (a checkbox removes it). So an edit page never reveals a full number.
"""

import re

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from renda.core.images import reencode_image
from renda.regions.models import CODE_LENGTH, VILLAGE_KINDS, Region

from .access import can_use_region
from .models import Deputy, DeputyLevel, Member, MemberLevel, Unit

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Units give office numbers too: 0512-66000000, 051266000000, or a mobile.
OFFICE_PHONE_RE = re.compile(r"^\d{3,4}-?\d{7,8}(-\d{1,6})?$|^1[3-9]\d{9}$")
REGION_CODE_RE = re.compile(r"^\d{6}(\d{3}){0,2}$")


def normalise_code(value: str) -> str:
    """Accept the 6-digit county code or the 9-digit town code people know, as the 12-digit code."""
    value = re.sub(r"\s", "", value or "")
    return value.ljust(CODE_LENGTH, "0") if REGION_CODE_RE.match(value) else value


def region_in_scope(user, code: str) -> Region:
    """The region with `code` if the user's scope covers it; missing and outside give the same error."""
    code = normalise_code(code)
    region = Region.objects.filter(code=code).first() if len(code) == CODE_LENGTH and code.isdigit() else None
    if region is None or not can_use_region(user, region):
        raise forms.ValidationError(
            _("There is no region with code %(code)s in your area."), code="region", params={"code": code}
        )
    return region


def region_choices_for(user):
    """Suggestions for the region code box: the user's regions down to towns and streets (villages are many)."""
    from renda.accounts.scope import scope_for

    return (
        Region.objects.filter(scope_for(user).region_q("path"))
        .exclude(kind__in=VILLAGE_KINDS)
        .only("code", "name")
        .order_by("path")[:600]
    )


def clean_phone_value(value: str, pattern: re.Pattern, message) -> str:
    value = re.sub(r"[\s()]", "", value or "")
    if value and not pattern.match(value):
        raise forms.ValidationError(message, code="phone")
    return value


class RepresentativeForm(forms.ModelForm):
    """What deputy and member forms share: region by code, phone kept private, photo re-encoded."""

    region_field = "region"
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=20,
        help_text=_("12-digit division code, e.g. 320506108000; a 6-digit county code also works."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "list": "region-codes"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    clear_phone = forms.BooleanField(label=_("Remove the stored phone number"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        region = getattr(self.instance, f"{self.region_field}_id", None) and getattr(self.instance, self.region_field)
        if region:
            self.fields["region_code"].initial = region.code
            self.fields["region_code"].help_text = _("Now: %(name)s (%(code)s)") % {
                "name": region.name,
                "code": region.code,
            }
        if self.instance.pk and self.instance.phone:
            self.fields["phone"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.masked_phone
            }
        else:
            del self.fields["clear_phone"]
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"

    def clean_region_code(self):
        return region_in_scope(self.user, self.cleaned_data["region_code"]).code

    def clean_phone(self):
        return clean_phone_value(
            self.cleaned_data.get("phone"), MOBILE_RE, _("Enter an 11-digit mobile number, e.g. 13800138000.")
        )

    def clean_term(self):
        term = self.cleaned_data["term"]
        if term is not None and not 1 <= term <= 99:
            raise forms.ValidationError(_("The term must be between 1 and 99."), code="term")
        return term

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            photo.seek(0)
            return reencode_image(photo)
        return photo

    def action_data(self) -> dict:
        """The cleaned data in model terms, as the actions take it."""
        data = dict(self.cleaned_data)
        data[self.region_field] = Region.objects.get(code=data.pop("region_code"))
        return data


class DeputyForm(RepresentativeForm):
    region_field = "electoral_region"

    class Meta:
        model = Deputy
        fields = ["name", "gender", "level", "term", "delegation", "occupation", "work_unit", "photo", "biography"]
        labels = {"name": _("Full name")}

    field_order = [
        "name",
        "gender",
        "level",
        "term",
        "region_code",
        "delegation",
        "occupation",
        "work_unit",
        "phone",
        "clear_phone",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].label = _("Electoral region code")


class MemberForm(RepresentativeForm):
    region_field = "region"

    class Meta:
        model = Member
        fields = ["name", "gender", "level", "term", "sector", "occupation", "work_unit", "photo", "biography"]
        labels = {"name": _("Full name")}

    field_order = [
        "name",
        "gender",
        "level",
        "term",
        "region_code",
        "sector",
        "occupation",
        "work_unit",
        "phone",
        "clear_phone",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].label = _("Committee region code")


class UnitContactForm(forms.ModelForm):
    """What unit staff may change about their own unit."""

    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    clear_contact_phone = forms.BooleanField(label=_("Remove the stored phone number"), required=False)

    class Meta:
        model = Unit
        fields = ["contact_name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk and self.instance.contact_phone:
            self.fields["contact_phone"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.masked_phone
            }
        else:
            del self.fields["clear_contact_phone"]

    def clean_contact_phone(self):
        return clean_phone_value(
            self.cleaned_data.get("contact_phone"),
            OFFICE_PHONE_RE,
            _("Enter an office number such as 0512-66000000 or an 11-digit mobile number."),
        )

    def action_data(self) -> dict:
        return dict(self.cleaned_data)


class UnitForm(UnitContactForm):
    """Everything about a unit, for congress staff of its region."""

    region_code = forms.CharField(
        label=_("Region code"),
        max_length=20,
        help_text=_("12-digit division code, e.g. 320506000000; a 6-digit county code also works."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "list": "region-codes"}),
    )

    class Meta:
        model = Unit
        fields = ["name", "contact_name"]
        labels = {"name": _("Unit name")}

    field_order = ["name", "region_code", "contact_name", "contact_phone", "clear_contact_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.region_id:
            self.fields["region_code"].initial = self.instance.region.code

    def clean_region_code(self):
        return region_in_scope(self.user, self.cleaned_data["region_code"]).code

    def clean(self):
        cleaned = super().clean()
        name, code = cleaned.get("name"), cleaned.get("region_code")
        if name and code:
            clash = Unit.objects.filter(name=name, region__code=code).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("A unit with this name already exists in this region."))
        return cleaned

    def action_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["region"] = Region.objects.get(code=data.pop("region_code"))
        return data


# List filters. An invalid filter shows its error and an empty list, never a wider one.

PERSON_STATUS = [("1", _("Serving")), ("0", _("Inactive")), ("all", _("All"))]
UNIT_STATUS = [("1", _("In use")), ("0", _("Inactive")), ("all", _("All"))]


class ListFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Full name"), required=False, max_length=60, widget=forms.SearchInput(attrs={"autocomplete": "off"})
    )
    region = forms.CharField(
        label=_("Region code"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    active = forms.ChoiceField(label=_("Status"), choices=PERSON_STATUS, required=False)

    region_path_field = "region__path"

    def __init__(self, data, *, user):
        data = data.copy()
        if not data.get("active"):
            data["active"] = "1"
        super().__init__(data)
        self.user = user
        self.region_obj = None

    def clean_region(self):
        code = self.cleaned_data.get("region")
        if not code:
            return ""
        self.region_obj = region_in_scope(self.user, code)
        return self.region_obj.code

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(name__icontains=data["q"].strip())
        if self.region_obj is not None:
            queryset = queryset.filter(self.region_obj.subtree_q(self.region_path_field))
        if data["active"] in ("0", "1"):
            queryset = queryset.filter(is_active=data["active"] == "1")
        return self.filter_more(queryset, data)

    def filter_more(self, queryset, data):
        return queryset


class RepresentativeFilterForm(ListFilterForm):
    term = forms.IntegerField(label=_("Term"), required=False, min_value=1, max_value=99)

    def filter_more(self, queryset, data):
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("term"):
            queryset = queryset.filter(term=data["term"])
        return queryset


class DeputyFilterForm(RepresentativeFilterForm):
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All levels")), *DeputyLevel.choices], required=False)
    region_path_field = "electoral_region__path"
    field_order = ["q", "level", "term", "region", "active"]


class MemberFilterForm(RepresentativeFilterForm):
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All levels")), *MemberLevel.choices], required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    field_order = ["q", "level", "term", "sector", "region", "active"]

    def __init__(self, data, *, user, sectors=()):
        super().__init__(data, user=user)
        self.fields["sector"].choices = [("", _("All sectors")), *((s, s) for s in sectors)]

    def filter_more(self, queryset, data):
        queryset = super().filter_more(queryset, data)
        if data.get("sector"):
            queryset = queryset.filter(sector=data["sector"])
        return queryset


class UnitFilterForm(ListFilterForm):
    field_order = ["q", "region", "active"]

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.fields["q"].label = _("Unit name")
        self.fields["active"].choices = UNIT_STATUS
