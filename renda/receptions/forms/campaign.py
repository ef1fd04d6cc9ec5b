"""Forms of the reception-day back office. Every choice that depends on scope (region, deputy, station) is checked
here, server-side, through the scoped reads; the actions check the rules of the day itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.accounts.region_access import regions_for
from renda.people.access import deputies_for
from renda.stations.access import stations_for
from renda.stations.forms import RegionCodeField

from .. import rules


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=100)
    theme = forms.CharField(label=_("theme"), max_length=200, required=False)
    region = RegionCodeField(label=_("region code"), help_text=_("The 12-digit code of the city, district or town."))
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    # The version the user saw: saving over a newer one is refused (campaign.update_campaign).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, campaign=None, **kwargs):
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(campaign, name) for name in ("title", "theme", "date", "starts", "ends")}
            kwargs["initial"].update(region=campaign.region.code, version=campaign.version)
        super().__init__(*args, **kwargs)
        self.user, self.campaign = user, campaign

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        region = regions_for(self.user).filter(code=code).prefetch_related("zone_members").first()
        if region is None:
            raise forms.ValidationError(_("There is no region with this code in your area."))
        return region

    def clean_date(self):
        day = self.cleaned_data["date"]
        if self.campaign is None or day != self.campaign.date:
            rules.check_not_past(day)
        return day

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and starts >= ends:
            self.add_error("ends", _("The reception must end after it starts."))
        if self.campaign is not None and cleaned.get("version") is None:
            self.add_error(None, _("Reload the page: the form lacks the version it was based on."))
        return cleaned

    def campaign_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("region", "title", "theme", "date", "starts", "ends")}


class DeputyChoiceForm(forms.Form):
    """A deputy picked from a search list: only deputies the user may see exist."""

    deputy = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_deputy(self):
        deputy = deputies_for(self.user).filter(pk=self.cleaned_data["deputy"]).first()
        if deputy is None:
            raise forms.ValidationError(_("There is no such deputy in your area."))
        return deputy


class MoveForm(forms.Form):
    """Where a deputy goes, and where the form saw them: a move over someone else's move is refused."""

    station = forms.IntegerField(widget=forms.HiddenInput)
    expected_reception = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_station(self):
        station = stations_for(self.user).filter(pk=self.cleaned_data["station"]).select_related("region").first()
        if station is None:
            raise forms.ValidationError(_("There is no such station in your area."))
        return station


class RemoveDutyForm(forms.Form):
    expected_reception = forms.IntegerField(widget=forms.HiddenInput)


class UnavailabilityForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
