"""Station forms. Every choice that depends on scope (region, deputy) is checked here, server-side."""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.accounts.region_access import regions_for
from renda.people.access import deputies_for
from renda.people.models import Member
from renda.regions.models import Region, ancestor_paths

from .access import can_place_station
from .actions import PROFILE_FIELDS
from .models import Station, StationKind
from .rosters import PUBLIC_PHONE_RE


class RegionCodeField(forms.CharField):
    """A 12-digit region code typed or picked from a list; the form turns it into a Region in the user's scope."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("min_length", 12)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]{12}", "list": "region-options"})


class StationForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=StationKind.choices)
    region = RegionCodeField(
        label=_("region code"), help_text=_("The 12-digit code of the town, street, village or community.")
    )
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("public phone"),
        max_length=30,
        required=False,
        help_text=_("The station's desk, shown on its public page; never a person's own number."),
        validators=[RegexValidator(PUBLIC_PHONE_RE, _("Enter a phone number: digits, spaces and hyphens."))],
    )
    opening_hours = forms.CharField(label=_("opening hours"), max_length=200, required=False)
    reception_hours = forms.CharField(label=_("reception hours"), max_length=200, required=False)
    theme = forms.CharField(label=_("theme (一站一品)"), max_length=100, required=False)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    latitude = forms.DecimalField(
        label=_("latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    longitude = forms.DecimalField(
        label=_("longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )

    def __init__(self, *args, user, station: Station | None = None, profile_only: bool = False, **kwargs):
        if station is not None and "initial" not in kwargs:
            kwargs["initial"] = {field: getattr(station, field) for field in self.base_fields}
            kwargs["initial"]["region"] = station.region.code
        super().__init__(*args, **kwargs)
        self.user, self.station = user, station
        if profile_only:
            for field in list(self.fields):
                if field not in PROFILE_FIELDS:
                    del self.fields[field]

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None or not can_place_station(self.user, region):
            raise forms.ValidationError(_("There is no region with this code in your area."))
        return region

    def clean(self):
        cleaned = super().clean()
        name, region = cleaned.get("name"), cleaned.get("region")
        if name and region:
            others = Station.objects.filter(region=region, name=name)
            if self.station is not None:
                others = others.exclude(pk=self.station.pk)
            if others.exists():
                self.add_error("name", _("This region already has a station with this name."))
        return cleaned

    def station_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.fields}


class StationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", _("All kinds")), *StationKind.choices], required=False)
    region = forms.CharField(label=_("region code"), required=False, max_length=12)
    active = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("All")), ("1", pgettext_lazy("station status", "active")), ("0", _("inactive"))],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("name or address")})
        self.fields["region"].widget.attrs.update({"inputmode": "numeric", "list": "region-options"})

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = regions_for(self.user).filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("There is no region with this code in your area."))
        return region

    def filter(self, queryset):
        """The queryset narrowed by the valid filters; an invalid filter matches nothing rather than everything."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(address__icontains=data["q"]))
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["region"] is not None:
            queryset = queryset.filter(data["region"].subtree_q("region__path"))
        if data["active"]:
            queryset = queryset.filter(is_active=data["active"] == "1")
        return queryset


class MemberAssignForm(forms.Form):
    """A CPPCC member on duty at a studio: members of the committees of the studio's region, of the regions above it
    (a county committee's members staff a town's studio) and below it."""

    member = forms.ModelChoiceField(
        label=_("CPPCC member"),
        queryset=None,
        error_messages={"invalid_choice": _("This member is not in the studio's region.")},
    )

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        region = station.region
        self.fields["member"].queryset = Member.objects.filter(
            region.subtree_q("region__path") | Q(region__path__in=ancestor_paths(region.path)), is_active=True
        ).order_by("name", "id")


class AssignForm(forms.Form):
    deputy = forms.ModelChoiceField(
        label=_("deputy"), queryset=None, error_messages={"invalid_choice": _("This deputy is not in your area.")}
    )
    is_head = forms.BooleanField(label=_("station head"), required=False)

    def __init__(self, *args, user, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        self.fields["deputy"].queryset = deputies_for(user)
        self.fields["deputy"].widget = forms.HiddenInput()

    def clean_deputy(self):
        deputy = self.cleaned_data["deputy"]
        if self.station.assignments.filter(deputy=deputy).exists():
            raise forms.ValidationError(_("%(name)s already serves at this station.") % {"name": deputy.name})
        return deputy


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"


class CaptionForm(forms.Form):
    caption = forms.CharField(label=_("caption"), max_length=100, required=False)
