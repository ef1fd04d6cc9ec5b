"""Input of the projects pages, translated into action arguments. The actions re-check every rule themselves."""

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.people.models import Deputy, Unit

from .models import Body, Method, Proposal, ProposalStatus, SessionKind, SetAsideReason
from .phases import DATED, Phase

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def new_client_token() -> str:
    return str(uuid.uuid4())


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = forms.ChoiceField(label=_("Region"))
    body = forms.ChoiceField(label=_("Voting body"), choices=Body.choices)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    electorate = forms.MultipleChoiceField(
        label=_("A joint meeting also sits with the deputies elected in"), required=False
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {str(region.pk): region for region in regions}
        self.fields["region"].choices = [(pk, region.name) for pk, region in self.regions.items()]
        self.fields["electorate"].choices = list(self.fields["region"].choices)
        for phase in DATED:
            label = Phase(phase).label
            self.fields[f"{phase}_starts"] = forms.DateField(
                label=label, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"{phase}_ends"] = forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))

    def phase_fields(self):
        return [(Phase(phase).label, self[f"{phase}_starts"], self[f"{phase}_ends"]) for phase in DATED]

    def dates(self) -> dict:
        return {phase: (self.cleaned_data[f"{phase}_starts"], self.cleaned_data[f"{phase}_ends"]) for phase in DATED}

    def clean_region(self):
        return self.regions[self.cleaned_data["region"]]

    def clean_electorate(self):
        return [self.regions[pk] for pk in self.cleaned_data["electorate"]]


class ProposalForm(forms.Form):
    """A proposal from the phone (constituents) or the back office (deputies, units, staff)."""

    client_token = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Project"), max_length=100)
    description = forms.CharField(label=_("What should be done"), widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=pgettext_lazy("place", "Where"), max_length=200, required=False)
    reason = forms.CharField(
        label=pgettext_lazy("reason", "Why"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=40, required=False)
    phone = forms.CharField(label=_("Mobile phone (optional)"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that congress staff may contact me about this proposal; my name and phone are kept "
            "encrypted, shown to nobody else, and deleted when the round closes."
        ),
        required=False,
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip().replace(" ", "")
        if phone and not MOBILE_RE.match(phone):
            raise forms.ValidationError(_("Enter an 11-digit mobile number."))
        return phone

    def clean_client_token(self):
        value = self.cleaned_data["client_token"]
        try:
            return str(uuid.UUID(value)) if value else None
        except ValueError:
            return None

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("phone")) and not data.get("consent"):
            self.add_error("consent", _("Agree to be contacted, or leave your name and phone out."))
        return data


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, label) for value, label in ProposalStatus.choices if value != ProposalStatus.SUBMITTED],
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *SetAsideReason.choices], required=False)
    merged_into = forms.ModelChoiceField(label=_("Merge into"), queryset=Proposal.objects.none(), required=False)
    note = forms.CharField(label=_("Public note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = Proposal.objects.filter(round=round_, status=ProposalStatus.ACCEPTED)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(label=_("Budget (10,000 yuan)"), min_value=0, max_digits=12, decimal_places=2)
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    timeline = forms.CharField(label=pgettext_lazy("project", "Timeline"), max_length=200)
    proposals = forms.ModelMultipleChoiceField(
        label=_("Source proposals"), queryset=Proposal.objects.none(), required=False
    )

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .access import lead_units

        self.fields["lead_unit"].queryset = lead_units(round_).order_by("name")
        self.fields["proposals"].queryset = Proposal.objects.filter(round=round_, status=ProposalStatus.ACCEPTED)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    method = forms.ChoiceField(label=_("Ballots"), choices=Method.choices)
    starts_at = forms.DateTimeField(
        label=_("Voting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Voting closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    scrutineers = forms.ModelMultipleChoiceField(label=_("Scrutineers (deputies)"), queryset=Deputy.objects.none())
    counters = forms.CharField(label=_("Counters (one name a line)"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scrutineers"].queryset = deputies if deputies is not None else Deputy.objects.none()

    def counter_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["counters"].splitlines() if line.strip()]


def kind_for_phase(phase: str) -> str:
    return SessionKind.EVALUATION if phase == Phase.EVALUATION else SessionKind.VOTE


class PaperCountForm(forms.Form):
    """The five totals, then one number per project and option (fields named line_<project>_<option>)."""

    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0)
    returned = forms.IntegerField(label=_("Ballots returned"), min_value=0)
    valid = forms.IntegerField(label=_("Valid"), min_value=0)
    invalid = forms.IntegerField(label=_("Invalid"), min_value=0)
    blank = forms.IntegerField(label=_("Blank"), min_value=0)

    def __init__(self, *args, projects=(), options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.projects, self.options = list(projects), list(options)
        for project in self.projects:
            for option in self.options:
                self.fields[f"line_{project.pk}_{option}"] = forms.IntegerField(
                    label=f"{project.number} {option.label}", min_value=0, initial=0
                )

    def rows(self):
        return [
            (project, [self[f"line_{project.pk}_{option}"] for option in self.options]) for project in self.projects
        ]

    def lines(self) -> dict:
        return {
            project.pk: {option: self.cleaned_data[f"line_{project.pk}_{option}"] for option in self.options}
            for project in self.projects
        }


class TieForm(forms.Form):
    elected = forms.ModelMultipleChoiceField(label=_("Elected"), queryset=Proposal.objects.none())
    note = forms.CharField(label=_("How it was decided"), max_length=500)

    def __init__(self, *args, tied=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elected"].queryset = tied
