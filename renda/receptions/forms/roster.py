"""Roster forms. The deputies offered (and accepted) are those serving the station or elected in its region."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.people.models import Deputy
from renda.stations.models import Assignment

from .. import rules
from ..actions import roster
from ..models import Weekday


def eligible_deputies(station):
    """Active deputies who serve the station, or whose electoral region lies in the station's region."""
    serving = Assignment.objects.filter(station=station).values("deputy_id")
    return (
        Deputy.objects.filter(is_active=True)
        .filter(Q(pk__in=serving) | station.region.subtree_q("electoral_region__path"))
        .defer("phone")
        .order_by("name", "id")
    )


class DeputiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, deputy):
        return f"{deputy.name} ({deputy.get_level_display()})"


def _deputies_field(station, required: bool):
    return DeputiesField(
        label=_("deputies on duty"),
        queryset=eligible_deputies(station),
        required=required,
        help_text=_("Deputies who serve this station or were elected in its region."),
        error_messages={
            "invalid_choice": _("%(value)s does not serve this station."),
            "required": _("Choose at least one deputy on duty."),
        },
    )


class TimesMixin:
    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and starts >= ends:
            self.add_error("ends", _("The end must be after the start."))
        return cleaned


class SlotForm(TimesMixin, forms.Form):
    weekday = forms.TypedChoiceField(label=_("weekday"), choices=Weekday.choices, coerce=int)
    every_weeks = forms.IntegerField(
        label=_("every n weeks"), min_value=1, max_value=8, initial=1, help_text=_("1 = every week, 2 = fortnightly.")
    )
    starts = forms.TimeField(label=_("starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    valid_from = forms.DateField(label=_("valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    skip_holidays = forms.BooleanField(
        label=_("skip official holidays"),
        required=False,
        initial=True,
        help_text=_("No reception on official holidays (国庆, 春节 …) from the working-day calendar."),
    )

    def __init__(self, *args, station, slot=None, **kwargs):
        if slot is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(slot, name) for name in roster.SLOT_FIELDS}
            kwargs["initial"]["deputies"] = list(slot.deputies.values_list("pk", flat=True))
        super().__init__(*args, **kwargs)
        self.fields["deputies"] = _deputies_field(station, required=False)
        if slot is None:
            self.fields["valid_from"].initial = rules.today()

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and until and until < start:
            self.add_error("valid_until", _("The slot must end on or after the day it starts."))
        return cleaned

    def slot_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in roster.SLOT_FIELDS}


class OneOffForm(TimesMixin, forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"] = _deputies_field(station, required=True)
        self.fields["date"].initial = rules.earliest_public_date()

    def clean_date(self):
        day = self.cleaned_data["date"]
        rules.check_publish_lead(day)
        return day

    def one_off_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in roster.ONE_OFF_FIELDS}


class DeputiesForm(forms.Form):
    def __init__(self, *args, station, reception=None, **kwargs):
        if reception is not None and "initial" not in kwargs:
            kwargs["initial"] = {"deputies": list(reception.duties.values_list("deputy_id", flat=True))}
        super().__init__(*args, **kwargs)
        self.fields["deputies"] = _deputies_field(station, required=True)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling"),
        max_length=200,
        error_messages={"required": _("Give a reason for cancelling.")},
        help_text=_("Shown on the public schedule and sent to the deputies on duty."),
    )
