"""The deputy's phone forms on the day: check-in (with an optional position), visitors, an opinion on a visitor's
behalf. Each cleans and explains bad input; the rules of the day itself live in rules.py and actions/onsite.py."""

import math

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.opinions.models import Category
from renda.opinions.public_forms import TEXT_MAX, TEXT_MIN, clean_client_token, clean_mobile


class CheckInForm(forms.Form):
    """Filled by checkin.js from the phone's position; both empty when the phone gives none."""

    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            raise ValidationError(_("The position was incomplete; please try again."), code="position")
        if lat is not None and not (
            math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180
        ):
            raise ValidationError(_("The position could not be used; please try again."), code="position")
        return cleaned


class VisitForm(forms.Form):
    count = forms.IntegerField(
        label=_("Visitors"),
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how many visitors came."),
            "min_value": _("Enter at least one visitor."),
            "max_value": _("At most %(limit_value)s visitors in one record."),
            "invalid": _("Enter a whole number."),
        },
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What they came about, in a few words."),
    )


class BehalfOpinionForm(forms.Form):
    """An opinion the deputy writes down for a visitor, who must agree first; their phone is optional."""

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose a category"),
        error_messages={"required": _("Choose a category."), "invalid_choice": _("Choose a category from the list.")},
    )
    text = forms.CharField(
        label=_("The visitor's opinion"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write the visitor's opinion."),
            "min_length": _("Write at least %(limit_value)d characters."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    phone = forms.CharField(
        label=_("Visitor's mobile phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Only if the visitor wants to be called back about it."),
    )
    consent = forms.BooleanField(
        label=_("The visitor agrees that I record this opinion (and their phone, if given) for them."),
        required=True,
        error_messages={"required": _("Ask the visitor's consent and tick the box before recording.")},
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_phone(self):
        return clean_mobile(self.cleaned_data.get("phone"))

    def clean_client_token(self):
        return clean_client_token(self.cleaned_data.get("client_token"))


class CannotComeForm(forms.Form):
    """A deputy declining a published reception day's duty ahead of the day; staff find a replacement."""

    reason = forms.CharField(
        label=_("Why you cannot come"),
        max_length=200,
        error_messages={"required": _("Give a reason.")},
    )


class AbsenceForm(forms.Form):
    """A period the deputy is away; every reception day planned inside it counts them unavailable."""

    starts = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, error_messages={"required": _("Give a reason.")})
