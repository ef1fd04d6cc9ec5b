"""What a constituent types on a phone: an opinion, a "mine too", a tracking code, a rating.

Contact details are optional; when a name or phone is given, the consent tick is required (PIPL: told what, why and
for how long, then asked). Photos are re-encoded here, so a view only ever hands clean files to the actions.
"""

import re
import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.core.images import reencode_image

from .models import Category
from .workflow import Rating

TEXT_MIN = 5
TEXT_MAX = 2000
MAX_PHOTOS = 6
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MINE_TOO_SALT = "opinions.mine-too"
CODE_CLEAN_RE = re.compile(r"[\s\-]+")


def new_client_token() -> str:
    return str(uuid.uuid4())


def sign_opinion(opinion_pk: int) -> str:
    """The reference a "mine too" button carries: only opinions the page suggested can be joined, not any id."""
    return signing.dumps(opinion_pk, salt=MINE_TOO_SALT, compress=False)


def unsign_opinion(value: str) -> int | None:
    try:
        return int(signing.loads(value or "", salt=MINE_TOO_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; each is checked and re-encoded, each error names its file."""

    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/*")

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(max)d photos, please (you chose %(count)d).") % {"max": MAX_PHOTOS, "count": len(files)},
                code="too_many",
            )
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(reencode_image(upload))
            except ValidationError as exc:
                for message in exc.messages:
                    errors.append(
                        ValidationError(
                            _("%(name)s: %(error)s") % {"name": upload.name, "error": message}, code="image"
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return cleaned


def clean_mobile(value) -> str:
    """A mainland mobile number without spaces, dashes or +86; empty stays empty; anything else is refused."""
    phone = re.sub(r"[\s\-]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not MOBILE_RE.match(phone):
        raise ValidationError(_("Enter an 11-digit mobile number, e.g. 13800138000."), code="phone")
    return phone


def clean_client_token(value) -> str:
    """The form's idempotency token: a form rendered by us always carries a valid one (a double tap sends it twice
    and files once); anything else gets a fresh token (no idempotency)."""
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return new_client_token()


class ContactForm(forms.Form):
    """Optional name and mobile phone, with the consent tick required as soon as either is given."""

    name = forms.CharField(label=_("Your name"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label=_("I agree that my name and phone are used as described above."), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, wechat: bool = False, **kwargs):
        # Opened inside WeChat with the openid known: the tick also lets the official account tell the constituent,
        # so it means something even without a name or phone (the notice says so).
        self.wechat = wechat
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        return clean_mobile(self.cleaned_data.get("phone"))

    def clean_client_token(self):
        return clean_client_token(self.cleaned_data.get("client_token"))

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("name") or cleaned.get("phone")) and not cleaned.get("consent"):
            self.add_error(
                "consent",
                ValidationError(
                    _("To leave your name or phone, tick the box to agree to how they are used; or leave both empty."),
                    code="consent",
                ),
            )
        if not cleaned.get("name") and not cleaned.get("phone") and not self.wechat:
            cleaned["consent"] = False  # nothing to consent to: store no consent either
        return cleaned


# The active categories, read once a minute per process (REFERENCE_CACHE_SECONDS): every submission names one, and
# they change a few times a year. A category switched off is refused at the latest a minute later.
_categories: dict = {"by_pk": None, "at": 0.0}


def active_categories() -> dict:
    if _categories["by_pk"] is None or time.monotonic() - _categories["at"] > settings.REFERENCE_CACHE_SECONDS:
        by_pk = {category.pk: category for category in Category.objects.filter(is_active=True)}
        _categories["by_pk"], _categories["at"] = by_pk, time.monotonic()
    return _categories["by_pk"]


def forget_categories() -> None:
    _categories["by_pk"] = None


class CategoryField(forms.ModelChoiceField):
    """The form's category choice, checked against the process's copy of the active categories (no query per
    submission); the rendered choices still come from the queryset."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            category = active_categories().get(int(str(value)))
        except (TypeError, ValueError):
            category = None
        if category is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return category


class OpinionForm(ContactForm):
    category = CategoryField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose a category"),
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    text = forms.CharField(
        label=_("Your opinion"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write your opinion."),
            "min_length": _("Write at least %(limit_value)d characters."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    photos = MultipleImageField(label=_("Photos (up to 6)"))
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)

    field_order = ["category", "text", "photos", "place", "name", "phone", "consent", "client_token"]


class SupportForm(ContactForm):
    """ "Mine too": the signed reference of the opinion to join, and the same optional contact details."""

    opinion = forms.CharField(widget=forms.HiddenInput)

    def clean_opinion(self):
        pk = unsign_opinion(self.cleaned_data["opinion"])
        if pk is None:
            raise ValidationError(_("This suggestion has expired; please type your opinion again."), code="opinion")
        return pk


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the tracking code you were given.")},
    )

    def clean_code(self):
        # People read codes aloud and type them back with spaces or dashes ("ABCDE FGHJK").
        return CODE_CLEAN_RE.sub("", self.cleaned_data["code"]).upper()


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
