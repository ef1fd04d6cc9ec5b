"""Staff-side forms: the inbox filters and one form per workflow action. Scoped choices are checked here."""

import zipfile
from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.accounts.scope import scope_for
from renda.people.access import units_for
from renda.people.models import Unit
from renda.stations.access import stations_for

from . import search
from .access import opinions_for, scope_parts, served_stations
from .models import Category
from .rules import bulk_forward_units, forward_units, merge_targets
from .workflow import OPEN_STATES, TRANSITIONS, Action, Actor, RefusalReason, State

MINE = "mine"
MAX_BULK = 200
# The roles a staff user may hold on an opinion, in the order the home shows them (`role` filter of the inbox).
WORKFLOW_ROLES = (Actor.STAFF, Actor.KEEPER, Actor.DEPUTY, Actor.UNIT)
# "Due soon" (the `due=week` filter): open opinions due within this many days from now.
DUE_SOON_DAYS = 7


def waiting_states(role: str) -> list[str]:
    """States in which `role` has something to do (a note alone does not count)."""
    return [
        str(state)
        for state in State
        if any(
            state in sources and role in roles
            for action, (sources, _t, roles) in TRANSITIONS.items()
            if action != Action.NOTE
        )
    ]


def role_q(user, role: str) -> Q:
    """The part of `opinions_for(user)` the user reaches in one workflow role (e.g. only as a station's keeper): a
    user with several grants reads each role's opinions apart (the home's per-role counts link to these)."""
    scope = scope_for(user)
    if role == Actor.STAFF and scope.is_congress_staff:
        return scope.region_q("region__path")
    if role == Actor.KEEPER and scope.station_ids:
        return Q(station_id__in=scope.station_ids)
    if role == Actor.DEPUTY and scope.deputy_ids:
        # The served stations as a list, as opinions_for does: OR-ed with a subquery the planner scans every opinion.
        return Q(station_id__in=served_stations(user, scope)) | Q(deputy_id__in=scope.deputy_ids)
    if role == Actor.UNIT and scope.unit_ids:
        return Q(unit_id__in=scope.unit_ids)
    return Q(pk__in=[])


def needs_action_q(user, roles=WORKFLOW_ROLES) -> Q:
    """Opinions waiting on the user in one of the roles they hold: a filter inside `opinions_for(user)`, so it never
    widens what the user sees; it only picks, per role, the states where that role has a button to press."""
    q = Q(pk__in=[])
    for role in roles:
        q |= role_q(user, role) & Q(status__in=waiting_states(role))
    return q


def default_status(user) -> str:
    """Deputies, keepers and units open their inbox on what waits for them; congress staff on everything."""
    return "" if scope_for(user).is_congress_staff else MINE


class OpinionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("status"), required=False)
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.all(), required=False)
    station = forms.CharField(label=_("station"), required=False, max_length=100)
    unit = forms.ModelChoiceField(label=_("handling unit"), queryset=Unit.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    escalated = forms.BooleanField(label=_("escalated (督办) only"), required=False)
    due = forms.ChoiceField(label=_("due"), required=False, choices=[("", "—"), ("week", _("within a week"))])
    role = forms.ChoiceField(label=_("role"), required=False)
    date_from = forms.DateField(
        label=_("submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("submitted to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, user):
        data = data.copy()
        if "status" not in data:
            data["status"] = default_status(user)
        super().__init__(data)
        self.user = user
        self.fields["status"].choices = [("", _("All")), (MINE, _("Needs my action")), *State.choices]
        self.fields["role"].choices = [("", "—"), *((str(r), r.label) for r in WORKFLOW_ROLES)]
        self.fields["unit"].queryset = units_for(user).order_by("name", "id")
        self.fields["category"].queryset = Category.objects.order_by("position", "id")

    def parts(self) -> list:
        """The user's scope as parts (access.scope_parts), each narrowed by this form's filters but not the text
        search: what `views.inbox_page` merges, for the web inbox and the staff API alike."""
        return [self.filter(part, search_text=False) for part in scope_parts(self.user)]

    def filter(self, opinions, *, search_text: bool = True):
        """Narrow `opinions` (already scoped) by the valid filters; invalid values are ignored, shown as errors.

        `search_text=False` leaves the text search out (`self.query` holds it): the inbox's first page looks for it
        with `search.recent_first`."""
        self.is_valid()  # cleaned_data then holds the valid fields only
        data = self.cleaned_data
        self.query = data.get("q", "").strip()
        status = data.get("status")
        role = data.get("role")
        if role:
            opinions = opinions.filter(role_q(self.user, role))
        if status == MINE:
            opinions = opinions.filter(needs_action_q(self.user, [role] if role else WORKFLOW_ROLES))
        elif status:
            opinions = opinions.filter(status=status)
        if data.get("category"):
            opinions = opinions.filter(category=data["category"])
        if data.get("station"):
            text = data["station"].strip()
            stations = stations_for(self.user).filter(Q(public_code=text.upper()) | Q(name__contains=text))
            opinions = opinions.filter(station_id__in=stations.values("pk"))
        if data.get("unit"):
            opinions = opinions.filter(unit=data["unit"])
        if data.get("overdue"):
            opinions = opinions.filter(due_at__lt=timezone.now(), status__in=[str(s) for s in OPEN_STATES])
        if data.get("escalated"):
            opinions = opinions.filter(escalated_at__isnull=False, status__in=[str(s) for s in OPEN_STATES])
        if data.get("due") == "week":
            now = timezone.now()
            opinions = opinions.filter(
                due_at__gte=now,
                due_at__lt=now + timedelta(days=DUE_SOON_DAYS),
                status__in=[str(s) for s in OPEN_STATES],
            )
        if data.get("date_from"):
            opinions = opinions.filter(created__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            opinions = opinions.filter(created__lt=_day_start(data["date_to"] + timedelta(days=1)))
        if self.query and search_text:
            opinions = opinions.filter(search.matching_q(self.query))
        return opinions


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Action forms -----------------------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# What a file must start with, per allowed extension; docx and xlsx are zip packages checked for their main part.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
PACKAGE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def check_attachment(upload) -> None:
    """Raise ValidationError unless `upload` is a PDF, JPEG, PNG, Word or Excel file of at most 10 MB."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(
            _("“%(name)s” is larger than 10 MB."), code="too_large", params={"name": upload.name}
        )
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if extension not in SIGNATURES:
        raise forms.ValidationError(
            _("“%(name)s”: only PDF, JPG, PNG, Word (.docx) or Excel (.xlsx) files are accepted."),
            code="type",
            params={"name": upload.name},
        )
    upload.seek(0)
    head = upload.read(16)
    ok = head.startswith(SIGNATURES[extension])
    if ok and extension in PACKAGE_PART:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as package:
                ok = PACKAGE_PART[extension] in package.namelist()
        except zipfile.BadZipFile:
            ok = False
    upload.seek(0)
    if not ok:
        raise forms.ValidationError(
            _("“%(name)s” is not really a %(kind)s file."),
            code="content",
            params={"name": upload.name, "kind": extension.upper()},
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most %(n)d files."), params={"n": MAX_ATTACHMENTS})
        errors = []
        for upload in files:
            try:
                check_attachment(upload)
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return files


# Which inputs each action asks for (besides the optional internal note every action takes).
ACTION_FIELDS = {
    Action.ACCEPT: (),
    Action.REFUSE: ("reason", "note"),
    Action.MERGE: ("merge_into", "note"),
    Action.ANSWER_ON_SPOT: ("note",),
    Action.HANDLE: ("note",),
    Action.FORWARD: ("unit", "note"),
    Action.TO_SUGGESTION: ("note",),
    Action.UNIT_REPLY: ("note", "attachments"),
    Action.REQUEST_REASSIGN: ("note",),
    Action.REQUEST_EXTENSION: ("days", "note"),
    Action.GRANT_EXTENSION: ("days", "note"),
    Action.REFUSE_EXTENSION: ("note",),
    Action.REPLY: ("note",),
    Action.NOTE: (),
}
STAFF_ACTIONS = list(ACTION_FIELDS)
NOTE_REQUIRED = {
    Action.ANSWER_ON_SPOT,
    Action.UNIT_REPLY,
    Action.REQUEST_REASSIGN,
    Action.REQUEST_EXTENSION,
    Action.REFUSE_EXTENSION,
    Action.REPLY,
}


class ActionForm(forms.Form):
    """One workflow action on one opinion. `state` is the status the page showed: if the opinion has moved on since,
    the form says so instead of acting on a state the user never saw."""

    state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=pgettext_lazy("refusal", "reason"), choices=RefusalReason.choices)
    merge_into = forms.CharField(
        label=_("merge into (tracking code)"), max_length=12, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    unit = forms.ModelChoiceField(label=_("handling unit"), queryset=Unit.objects.none())
    days = forms.IntegerField(label=_("working days"), min_value=1, max_value=60)
    note = forms.CharField(
        label=_("note (shown to the constituent)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("attachments (PDF, JPG, PNG, DOCX, XLSX; at most 10 MB each)"))
    internal_note = forms.CharField(
        label=_("internal note (staff only)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, action: str, opinion, user, **kwargs):
        kwargs.setdefault("initial", {"state": opinion.status})
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action, self.opinion, self.user = action, opinion, user
        self.action_label = Action(action).label
        wanted = {"state", "internal_note", *ACTION_FIELDS[action]}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in ("merge_into", "unit", "reason"):
            if name in self.fields:
                self.fields[name].required = True
        if "unit" in self.fields:
            self.fields["unit"].queryset = forward_units(user, opinion)
        if "note" in self.fields:
            self.fields["note"].required = action in NOTE_REQUIRED
        if "days" in self.fields:
            self.fields["days"].required = action == Action.REQUEST_EXTENSION
            if action == Action.GRANT_EXTENSION:
                self.fields["days"].help_text = _("Empty: the days the unit asked for.")
        if "attachments" in self.fields:
            self.fields["attachments"].required = False
        self.fields["internal_note"].required = action == Action.NOTE
        if action == Action.NOTE:
            self.fields["internal_note"].label = _("internal note (staff only)")

    def clean(self):
        cleaned = super().clean()
        # A hidden field's error would read oddly beside a label: the stale page is a form-wide error.
        if self.action != Action.NOTE and cleaned.get("state") != self.opinion.status:
            raise forms.ValidationError(
                _("This opinion has changed meanwhile: it is now “%(state)s”. Check the page and try again."),
                code="stale",
                params={"state": State(self.opinion.status).label},
            )
        return cleaned

    def clean_merge_into(self):
        code = self.cleaned_data["merge_into"].strip().upper()
        if not opinions_for(self.user).filter(tracking_code=code).exclude(pk=self.opinion.pk).exists():
            raise forms.ValidationError(_("No other opinion in your area has this tracking code."))
        target = merge_targets(self.user, self.opinion).filter(tracking_code=code).first()
        if target is None:
            raise forms.ValidationError(_("Choose another open opinion to merge into."))
        return target

    def perform_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "note": data.get("note") or "",
            "internal_note": data.get("internal_note") or "",
            "reason": data.get("reason") or "",
            "unit": data.get("unit"),
            "merge_into": data.get("merge_into"),
            "days": data.get("days"),
            "attachments": data.get("attachments") or (),
        }


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(item) for item in value or ()]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Select at least one opinion.")) from None


class BulkForm(forms.Form):
    """Several opinions at once: accept them, or forward them to one unit (each through `actions.perform`)."""

    ids = IdListField()
    action = forms.ChoiceField(
        label=_("action"), choices=[(Action.ACCEPT, _("accept")), (Action.FORWARD, _("forward to a handling unit"))]
    )
    unit = forms.ModelChoiceField(label=_("handling unit"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=pgettext_lazy("workflow step", "note"), required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = bulk_forward_units(user)
        self.fields["ids"].error_messages["required"] = _("Select at least one opinion.")

    def clean_ids(self):
        # Ids outside the user's inbox are reported as not found by the view, like missing ones.
        return list(dict.fromkeys(self.cleaned_data["ids"]))[:MAX_BULK]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == Action.FORWARD and not cleaned.get("unit"):
            self.add_error("unit", _("Choose a handling unit."))
        return cleaned
