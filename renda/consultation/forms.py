"""Input only: choices come from access.py; the actions re-check them under the lock."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.regions.models import Region

from . import access
from .models import Form


def _office_regions(user):
    from renda.accounts.scope import scope_for

    scope = scope_for(user)
    if not scope.is_congress_staff:
        return Region.objects.none()
    # The committees' regions: counties and above (no towns, villages or communities).
    return Region.objects.filter(scope.region_q("path"), depth__lte=2).order_by("path")


class TopicForm(forms.Form):
    region = forms.ModelChoiceField(label=_("region"), queryset=None)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    proposed_by = forms.CharField(label=_("proposed by"), max_length=100, required=False)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _office_regions(user)
        self.fields["year"].initial = timezone.localdate().year


class MeetingForm(forms.Form):
    region = forms.ModelChoiceField(label=_("region"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=120)
    form = forms.ChoiceField(label=_("form"), choices=Form.choices)
    starts_at = forms.DateTimeField(label=_("starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    theme = forms.CharField(label=_("theme"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    topics = forms.ModelMultipleChoiceField(label=_("consultation topics"), queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(label=_("invited members"), queryset=None, required=False)
    is_public = forms.BooleanField(label=_("public"), required=False)

    def __init__(self, *args, user, **kwargs):
        from renda.people.access import members_for

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _office_regions(user)
        self.fields["topics"].queryset = access.topics_for(user).order_by("-year", "position", "id")
        self.fields["members"].queryset = members_for(user).filter(is_active=True).order_by("name", "id")


class InviteForm(forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("invited members"), queryset=None)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = access.invitable_members(region).order_by("name", "id")


class SpeechForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(MaxLengthValidator(settings.CONSULTATION_SPEECH_MAX_CHARS))


class OfficeSpeechForm(SpeechForm):
    member = forms.ModelChoiceField(label=_("CPPCC member"), queryset=None)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, required=False)

    def __init__(self, *args, meeting, **kwargs):
        from renda.people.models import Member

        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(invitations__activity_id=meeting.activity_id).order_by(
            "name", "id"
        )


class ResultForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 6}))
    units = forms.ModelMultipleChoiceField(label=_("sent to units"), queryset=None)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = access.addressable_units(region).order_by("name", "id")


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("feedback"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(MaxLengthValidator(settings.CONSULTATION_SPEECH_MAX_CHARS))
