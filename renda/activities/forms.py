"""Forms translate input only; every rule is checked again by the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.opinions.models import Category

from .models import Activity, Answer, Attendance, Body, Campaign, Kind, RaisedBy, Status

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# What a datetime-local input sends, and the same typed by hand or by an API client.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "body",
            "kind",
            "campaign",
            "title",
            "theme",
            "place",
            "starts_at",
            "ends_at",
            "delegation",
            "is_public",
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "theme": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = Kind.objects.filter(is_active=True)
        self.fields["campaign"].queryset = campaigns if campaigns is not None else Campaign.objects.none()
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_FORMATS


class EditForm(ActivityForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(ActivityForm.Meta):
        fields = ["kind", "campaign", "title", "theme", "place", "starts_at", "ends_at", "delegation", "is_public"]


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "year", "description"]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("title"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", "—"), *Status.choices])
    kind = forms.ModelChoiceField(label=_("kind"), required=False, queryset=Kind.objects.all())
    body = forms.ChoiceField(
        label=pgettext_lazy("activity", "body"), required=False, choices=[("", "—"), *Body.choices]
    )
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(title__contains=data["q"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["body"]:
            queryset = queryset.filter(body=data["body"])
        if data["campaign"]:
            queryset = queryset.filter(campaign_id=data["campaign"])
        return queryset


class InviteForm(forms.Form):
    BY = [
        ("name", _("by name")),
        ("level", _("by level")),
        ("delegation", _("by delegation or group")),
        ("station", pgettext_lazy("invite by", "by station")),
        ("region", _("by region")),
    ]
    by = forms.ChoiceField(choices=BY)
    value = forms.CharField(max_length=200)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[(Answer.ATTEND, Answer.ATTEND.label), (Answer.EXCUSED, Answer.EXCUSED.label)])
    reason = forms.CharField(required=False, max_length=200)


class ProblemForm(forms.Form):
    raised_by_kind = forms.ChoiceField(label=_("raised by"), choices=RaisedBy.choices)
    raised_by = forms.CharField(label=_("raised by (name)"), required=False, max_length=100)
    text = forms.CharField(label=_("problem"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    place = forms.CharField(label=_("place"), required=False, max_length=200)
    category = forms.ModelChoiceField(
        label=_("category"), required=False, queryset=Category.objects.filter(is_active=True)
    )


class SelfRecordForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("kind"), queryset=Kind.objects.filter(is_active=True))
    title = forms.CharField(label=_("title"), max_length=120)
    starts_at = forms.DateTimeField(label=_("starts"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    ends_at = forms.DateTimeField(label=_("ends"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    place = forms.CharField(label=_("place"), required=False, max_length=200)
    findings = forms.CharField(label=_("findings"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


def attendance_marks(post) -> dict:
    """{invitation pk: attendance} from the sheet's fields named att-<pk>."""
    marks = {}
    for key, value in post.items():
        if key.startswith("att-") and key[4:].isdigit() and value in Attendance.values:
            marks[int(key[4:])] = value
    return marks
