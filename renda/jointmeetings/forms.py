"""Input only: the choices a form offers come from access.py, and the actions re-check them under the lock."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from renda.activities.forms import DATETIME, DATETIME_FORMATS
from renda.activities.models import Kind
from renda.opinions.models import Category
from renda.people.models import Deputy

from . import access
from .models import JointMeeting, Membership, ReportLevel, Stream


class MeetingForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("development zone"), queryset=None)
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = access.zones_without_meeting(user)


class MemberForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("deputy"), queryset=None)
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    since = forms.DateField(label=_("since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, meeting: JointMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = (
            access.eligible_deputies(meeting).exclude(joint_memberships__meeting=meeting).order_by("name", "id")
        )


class SittingForm(forms.Form):
    """A sitting of the meeting (an activity it organises in its zone; its members are invited)."""

    kind = forms.ModelChoiceField(label=_("kind"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("starts"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("ends"), widget=DATETIME, input_formats=DATETIME_FORMATS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = Kind.objects.filter(is_active=True)
        self.fields["kind"].initial = Kind.objects.filter(code="meeting").values_list("pk", flat=True).first()


class TopicForm(forms.Form):
    month = forms.DateField(
        label=_("month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "month"})
    )
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class TopicEditForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class WorkForm(forms.Form):
    """One form for the four streams; the fields a stream does not use are ignored by the action."""

    stream = forms.ChoiceField(label=_("stream"), choices=Stream.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    detail = forms.CharField(label=_("details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None, required=False)
    due = forms.DateField(label=_("due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.ModelChoiceField(label=_("supervision activity"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("unit asked"), queryset=None, required=False)
    opinion = forms.ModelChoiceField(label=_("opinion"), queryset=None, required=False, widget=forms.NumberInput)
    problem = forms.ModelChoiceField(label=_("problem item"), queryset=None, required=False, widget=forms.NumberInput)
    category = forms.ModelChoiceField(
        label=_("category of a new matter"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        help_text=_(
            "A jointly handled matter without an opinion or problem item is filed as a new opinion in the zone."
        ),
    )
    sent_to = forms.ChoiceField(label=_("sent to"), choices=[("", "—"), *ReportLevel.choices], required=False)
    sent_on = forms.DateField(label=_("sent on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, meeting: JointMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Deputy.objects.filter(joint_memberships__meeting=meeting).order_by("name", "id")
        self.fields["activity"].queryset = access.supervision_activities(user, meeting).order_by("-starts_at", "-id")
        self.fields["unit"].queryset = access.addressable_units(meeting).order_by("name", "id")
        self.fields["opinion"].queryset = access.linkable_opinions(user, meeting)
        self.fields["problem"].queryset = access.linkable_problems(user, meeting)

    def link(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("activity", "unit", "opinion", "problem", "category", "sent_to", "sent_on")}


class AdoptionForm(forms.Form):
    adopted = forms.TypedChoiceField(
        label=_("adopted"),
        choices=[("1", _("adopted")), ("0", _("not adopted"))],
        coerce=lambda value: value == "1",
    )
    level = forms.ChoiceField(label=_("adopted at"), choices=[("", "—"), *ReportLevel.choices], required=False)
    adopted_on = forms.DateField(label=_("adopted on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(MaxLengthValidator(settings.JOINT_MEETING_ANSWER_MAX_CHARS))
