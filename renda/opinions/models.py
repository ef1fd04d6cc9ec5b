"""Constituents' opinions (民意) and every step taken on them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.core.crypto import EncryptedCharField, mask_phone
from renda.core.uploads import RandomName

from .workflow import Action, Actor, Rating, RefusalReason, State


class Category(models.Model):
    """A configurable opinion category (城乡建设, 交通出行, …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class DeadlineRule(models.Model):
    """How long a step may take: per step, optionally per category (a category rule beats the general one)."""

    class Step(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("acknowledge (triage)")
        HANDLE = "handle", _("handle at the station")
        UNIT = "unit", _("unit reply")
        REPLY = "reply", _("reply to the constituent")
        RATE = "rate", _("rating period")

    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE)
    days = models.PositiveSmallIntegerField(_("days"))
    working_days = models.BooleanField(_("count working days"), default=True)
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=1)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [models.UniqueConstraint(fields=["step", "category"], name="deadline_rule_unique")]

    def __str__(self):
        return f"{self.get_step_display()} {self.days}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget_rules()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget_rules()
        return result


def _forget_rules():
    from .deadlines import forget_rules

    forget_rules()


PUBLIC_ID_LENGTH = 16


def new_public_id() -> str:
    """An opinion's public id (Open311 `service_request_id`): 16 random digits, never 0 first. Unlike the tracking
    code it opens nothing; random rather than sequential so that it does not tell how many opinions a place has."""
    return str(secrets.randbelow(9 * 10 ** (PUBLIC_ID_LENGTH - 1)) + 10 ** (PUBLIC_ID_LENGTH - 1))


class Opinion(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    # What may be shown to anyone (Open311 lists); the tracking code above is the constituent's secret.
    public_id = models.CharField(
        _("public id"), max_length=PUBLIC_ID_LENGTH, unique=True, default=new_public_id, editable=False
    )
    # The idempotency key a client sends with a submission: a retried POST finds the opinion it already made.
    client_token = models.CharField(_("client token"), max_length=64, unique=True, null=True, blank=True)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        db_index=False,  # the composite indexes below lead with it
        null=True,
        blank=True,
        related_name="opinions",
        on_delete=models.PROTECT,
    )
    deputy = models.ForeignKey(
        "people.Deputy",
        verbose_name=_("addressed deputy"),
        db_index=False,  # the composite indexes below lead with it
        null=True,
        blank=True,
        related_name="opinions",
        on_delete=models.PROTECT,
    )
    # The region that owns the opinion (the station's, or the addressed deputy's electoral region): scoping key.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    text = models.TextField(_("text"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    submitter_name = EncryptedCharField(_("name"), blank=True)
    submitter_phone = EncryptedCharField(_("phone"), blank=True)
    # Who to tell through WeChat template messages: the openid the silent OAuth found when the form was opened inside
    # WeChat; kept, masked nowhere and cleared like the phone (only with consent; de-identified with it).
    submitter_openid = EncryptedCharField(_("WeChat openid"), blank=True, default="", db_default="")
    consent = models.BooleanField(_("consent to be contacted"), default=False)
    status = models.CharField(_("status"), max_length=24, choices=State.choices, default=State.SUBMITTED)
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("handling unit"),
        db_index=False,  # the composite indexes below lead with it
        null=True,
        blank=True,
        related_name="opinions",
        on_delete=models.PROTECT,
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, related_name="merged", on_delete=models.PROTECT
    )
    refusal_reason = models.CharField(_("refusal reason"), max_length=20, choices=RefusalReason.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    created = models.DateTimeField(pgettext_lazy("time of", "submitted"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Overlapping character bigrams of the text, indexed for Chinese search (renda/opinions/search.py).
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "-created"]),
            models.Index(fields=["station", "-created"]),
            models.Index(fields=["unit", "status"]),
            # A unit's inbox newest first, and the search window's boundary in it (measured at 10 M opinions).
            models.Index(fields=["unit", "-created"], name="opinions_unit_created_idx"),
            models.Index(fields=["deputy", "-created"], name="opinions_deputy_created_idx"),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.submitter_phone)

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.due_at is not None and self.due_at < timezone.now()


class Supporter(models.Model):
    """Another constituent who said "mine too" instead of filing a duplicate; answered with the opinion."""

    opinion = models.ForeignKey(Opinion, related_name="supporters", on_delete=models.CASCADE)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = EncryptedCharField(_("name"), blank=True)
    phone = EncryptedCharField(_("phone"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")

    def __str__(self):
        return f"+1 {self.opinion_id}"


class Photo(models.Model):
    opinion = models.ForeignKey(Opinion, related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField(_("image"), upload_to=RandomName("opinions"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name


class Event(models.Model):
    """One step in an opinion's history: who did what, when, with the public note and the staff-only note.

    The timeline is these rows, nothing else: every transition writes one (Decidim #16582: history must be complete).
    """

    opinion = models.ForeignKey(Opinion, related_name="events", on_delete=models.CASCADE)
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_state = models.CharField(
        pgettext_lazy("workflow state", "from"), max_length=24, choices=State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_role = models.CharField(_("role"), max_length=12, choices=Actor.choices)
    # Shown publicly: a unit's or deputy's name; staff appear only as their role.
    public_actor = models.CharField(_("public actor"), max_length=100, blank=True)
    note = models.TextField(pgettext_lazy("workflow step", "note"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    unit = models.ForeignKey("people.Unit", null=True, blank=True, on_delete=models.PROTECT)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("working days asked or granted"), null=True, blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("opinion event")
        verbose_name_plural = _("opinion events")
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.opinion_id} {self.action}"


class Attachment(models.Model):
    event = models.ForeignKey(Event, related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField(_("file"), upload_to=RandomName("opinion-replies"))
    name = models.CharField(_("file name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name
