"""Forms translate input into the actions' arguments; the actions check every rule again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import User

from .models import Category, Suggestion
from .workflow import Kind, ReplyCategory, State

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("Each file may be at most 10 MB."))
        return cleaned


class SubmitForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.none())
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)
    signers = forms.CharField(
        label=_("joint signers"),
        required=False,
        max_length=1000,
        help_text=_("Names separated by commas or spaces; each must sign online before the deadline."),
    )
    submitter_type = forms.ChoiceField(
        label=_("submitted as"), choices=Suggestion.SubmitterType.choices, initial=Suggestion.SubmitterType.PERSON
    )
    group_name = forms.CharField(label=_("delegation, group or committee"), max_length=100, required=False)
    attachments = MultipleFileField(label=_("attachments"), required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["category"].queryset = Category.objects.filter(kind=kind)

    def clean_signers(self):
        names = [
            name
            for name in self.cleaned_data["signers"].replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
            if name
        ]
        users = []
        for name in dict.fromkeys(names):
            if self.kind == Kind.CONGRESS:
                matches = list(User.objects.filter(deputy__name=name, deputy__is_active=True, is_active=True)[:2])
            else:
                matches = list(
                    User.objects.filter(member_account__member__name=name, member_account__member__is_active=True)[:2]
                )
            if len(matches) != 1:
                raise forms.ValidationError(
                    _("No single person with an account is called %(name)s.") % {"name": name}
                    if not matches
                    else _("Several people are called %(name)s; ask the office to invite the right one.")
                    % {"name": name}
                )
            users.append(matches[0])
        return users


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *Kind.choices], required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("", "—"), *State.choices], required=False)
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("reply category"), choices=[("", "—"), *ReplyCategory.choices], required=False)
    key = forms.BooleanField(label=_("key items only"), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    q = forms.CharField(label=_("number or title"), max_length=100, required=False)

    def filter(self, queryset, now):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["year"]:
            queryset = queryset.filter(year=data["year"])
        if data["category"]:
            queryset = queryset.filter(reply_category=data["category"])
        if data["key"]:
            queryset = queryset.filter(is_key=True)
        if data["overdue"]:
            from .workflow import OPEN_STATES

            queryset = queryset.filter(due_at__lt=now, status__in=OPEN_STATES)
        if data["q"]:
            q = data["q"].strip()
            queryset = queryset.filter(number=q) if q[:1] in "JT" and "-" in q else queryset.filter(title__contains=q)
        return queryset


def action_data(request) -> dict:
    """The POST fields an action may read, as plain values (co_units may repeat)."""
    post = request.POST
    data = {key: post.get(key, "") for key in post if key != "co_units"}
    data["co_units"] = post.getlist("co_units")
    return data


class SessionForm(forms.Form):
    """A plenary session: the region's choices are the office's regions down to towns (sessions.py is the rule)."""

    region = forms.ModelChoiceField(label=_("region"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=[("congress", _("congress")), ("cppcc", _("CPPCC committee"))])
    name = forms.CharField(label=_("name"), max_length=100)
    first_day = forms.DateField(label=_("first day"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, regions, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["kind"].choices = [(v, label) for v, label in self.fields["kind"].choices if v in kinds]
