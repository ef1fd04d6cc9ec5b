"""Deputies' suggestions (代表建议), CPPCC proposals (政协提案), the units handling them, and 社情民意 reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.core.uploads import RandomName

from .workflow import Action, Actor, ContactMethod, Disposition, Kind, Rating, ReplyCategory, ReportState, State


class Disclosure(models.TextChoices):
    NONE = "none", _("not yet due for publication")
    REVIEW = "review", _("awaiting redaction review")
    PUBLISHED = "published", pgettext_lazy("disclosure", "published")
    WITHHELD = "withheld", _("withheld (confidential)")


class MemberAccount(models.Model):
    """The login a CPPCC member submits and rates with (deputies use Deputy.user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), related_name="member_account", on_delete=models.CASCADE
    )
    member = models.OneToOneField(
        "people.Member", verbose_name=_("CPPCC member"), related_name="account", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("CPPCC member account")
        verbose_name_plural = _("CPPCC member accounts")

    def __str__(self):
        return f"{self.member} · {self.user}"


class Category(models.Model):
    """A subject category of suggestions or proposals (城乡建设, 教育, …), per kind."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("suggestion category")
        verbose_name_plural = _("suggestion categories")
        ordering = ["kind", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="suggestion_category_unique")]

    def __str__(self):
        return self.name


class Suggestion(models.Model):
    class SubmitterType(models.TextChoices):
        PERSON = "person", _("a deputy or member")
        DELEGATION = "delegation", _("a delegation")
        GROUP = "group", _("a sector group")
        COMMITTEE = "committee", _("a special committee")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    # The congress or committee the item goes to: the scoping key (its office works at this region or above).
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), related_name="suggestions", on_delete=models.PROTECT
    )
    submitter_type = models.CharField(
        _("submitted as"), max_length=12, choices=SubmitterType.choices, default=SubmitterType.PERSON
    )
    submitter_name = models.CharField(_("submitter"), max_length=100)
    deputy = models.ForeignKey("people.Deputy", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    member = models.ForeignKey("people.Member", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    opinions = models.ManyToManyField(
        "opinions.Opinion", verbose_name=_("source opinions"), blank=True, related_name="suggestions"
    )
    during_session = models.BooleanField(_("submitted during the session (大会期间)"), default=False)
    status = models.CharField(_("status"), max_length=24, choices=State.choices, default=State.SUBMITTED)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, related_name="merged", on_delete=models.PROTECT
    )
    decision_reason = models.TextField(_("reason of the registration decision"), blank=True)
    disposition = models.CharField(_("disposition"), max_length=16, choices=Disposition.choices, blank=True)
    lead_unit = models.ForeignKey(
        "people.Unit", verbose_name=_("lead unit"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    reply_category = models.CharField(_("reply category"), max_length=1, choices=ReplyCategory.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)  # 2 after 不满意
    extension_days = models.PositiveSmallIntegerField(_("extension granted (working days)"), default=0)
    is_key = models.BooleanField(_("key item (重点督办)"), default=False)
    key_leader = models.CharField(_("supervising leader"), max_length=60, blank=True)
    sign_deadline = models.DateTimeField(_("signing deadline"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("replied on time"), null=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("time of", "closed"), null=True, blank=True)
    created = models.DateTimeField(pgettext_lazy("time of", "submitted"), default=timezone.now, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # 答复公开: the deadline job queues an answered item for review; the office redacts and publishes (or withholds).
    disclosure = models.CharField(
        _("public disclosure"), max_length=10, choices=Disclosure.choices, default=Disclosure.NONE, db_index=True
    )
    public_title = models.CharField(_("published title"), max_length=200, blank=True)
    public_text = models.TextField(_("published text"), blank=True)
    public_reply = models.TextField(_("published reply"), blank=True)
    published_at = models.DateTimeField(pgettext_lazy("disclosure", "published"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion or proposal")
        verbose_name_plural = _("suggestions and proposals")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["region", "kind", "status", "-created"]),
            models.Index(fields=["kind", "year", "status"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["author", "-created"]),
            models.Index(fields=["disclosure", "year", "-published_at"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def periods(self) -> dict:
        return settings.SUGGESTION_PERIODS[self.kind]

    @property
    def is_overdue(self) -> bool:
        from .workflow import OPEN_STATES

        return self.due_at is not None and self.due_at < timezone.now() and self.status in OPEN_STATES


class Signature(models.Model):
    """A joint signer (联名): invited by name, signs online before the deadline, or the invitation lapses."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        SIGNED = "signed", _("signed")
        DECLINED = "declined", _("declined")
        LAPSED = "lapsed", _("lapsed unsigned")

    suggestion = models.ForeignKey(Suggestion, related_name="signatures", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="suggestion_signatures", on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint signature")
        verbose_name_plural = _("joint signatures")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "user"], name="signature_once")]

    def __str__(self):
        return f"{self.name} · {self.get_status_display()}"


class UnitTask(models.Model):
    """One unit's part in handling an item: the lead unit (主办) or a co-unit (协办/会办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead unit (主办)")
        ASSIST = "assist", _("assisting unit (协办)")
        JOINT = "joint", _("joint unit (会办)")

    suggestion = models.ForeignKey(Suggestion, related_name="tasks", on_delete=models.CASCADE)
    unit = models.ForeignKey(
        "people.Unit", verbose_name=_("unit"), related_name="suggestion_tasks", on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)  # False once returned or replaced
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    return_by = models.DateTimeField(_("may return until"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    views = models.TextField(_("co-unit views"), blank=True)
    views_at = models.DateTimeField(_("views sent"), null=True, blank=True)
    return_reason = models.TextField(_("reason for the return"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unit task")
        verbose_name_plural = _("unit tasks")
        ordering = ["id"]
        indexes = [models.Index(fields=["unit", "is_active", "due_at"])]

    def __str__(self):
        return f"{self.suggestion_id} {self.unit_id} {self.role}"


class Contact(models.Model):
    """见面沟通: the lead unit's contact with the submitters, confirmed by one of them before the reply may go."""

    suggestion = models.ForeignKey(Suggestion, related_name="contacts", on_delete=models.CASCADE)
    round = models.PositiveSmallIntegerField(default=1)
    unit = models.ForeignKey("people.Unit", related_name="+", on_delete=models.PROTECT)
    method = models.CharField(_("method"), max_length=10, choices=ContactMethod.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("what was discussed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact with the submitter")
        verbose_name_plural = _("contacts with the submitter")
        ordering = ["id"]

    def __str__(self):
        return f"{self.suggestion_id} {self.method} {self.happened_on}"


class Reply(models.Model):
    """The lead unit's reply of one round; the office may correct its category before it reaches the submitters."""

    suggestion = models.ForeignKey(Suggestion, related_name="replies", on_delete=models.CASCADE)
    round = models.PositiveSmallIntegerField(default=1)
    unit = models.ForeignKey("people.Unit", related_name="+", on_delete=models.PROTECT)
    category = models.CharField(_("category"), max_length=1, choices=ReplyCategory.choices)
    unit_category = models.CharField(_("category given by the unit"), max_length=1, choices=ReplyCategory.choices)
    text = models.TextField(_("reply"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    accepted_at = models.DateTimeField(_("accepted by the office"), null=True, blank=True)
    sent_back = models.BooleanField(_("sent back by the office"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["id"]

    def __str__(self):
        return f"{self.suggestion_id} r{self.round} {self.category}"


class SuggestionRating(models.Model):
    """One submitter's or joint signer's rating of one round's reply, from their own login."""

    suggestion = models.ForeignKey(Suggestion, related_name="ratings", on_delete=models.CASCADE)
    round = models.PositiveSmallIntegerField(default=1)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    value = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["suggestion", "round", "user"], name="suggestion_rated_once")]

    def __str__(self):
        return f"{self.suggestion_id} r{self.round} {self.value}"


class Event(models.Model):
    """One step in an item's history; every transition writes one (history must be complete)."""

    suggestion = models.ForeignKey(Suggestion, related_name="events", on_delete=models.CASCADE)
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_state = models.CharField(pgettext_lazy("state", "from"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    actor_role = models.CharField(_("role"), max_length=10, choices=Actor.choices)
    actor_name = models.CharField(_("by"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    unit = models.ForeignKey("people.Unit", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    days = models.PositiveSmallIntegerField(_("working days asked or granted"), null=True, blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.suggestion_id} {self.action}"


class Attachment(models.Model):
    suggestion = models.ForeignKey(Suggestion, related_name="attachments", on_delete=models.CASCADE)
    event = models.ForeignKey(Event, null=True, blank=True, related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField(_("file"), upload_to=RandomName("suggestions"))
    name = models.CharField(_("file name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class SocialReport(models.Model):
    """社情民意信息: a CPPCC member's short report of social conditions, edited and rated as adopted by the office."""

    class Level(models.TextChoices):
        LOCAL = "local", _("adopted locally")
        PROVINCIAL = "provincial", _("adopted by the province")
        NATIONAL = "national", _("adopted nationally")

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    member = models.ForeignKey("people.Member", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    source = models.OneToOneField(
        Suggestion, null=True, blank=True, related_name="social_report", on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportState.choices, default=ReportState.SUBMITTED, db_index=True
    )
    edited_text = models.TextField(_("text as edited by the office"), blank=True)
    adopted_level = models.CharField(_("adopted at"), max_length=12, choices=Level.choices, blank=True)
    instructions = models.TextField(_("leaders' instructions (批示)"), blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    created = models.DateTimeField(pgettext_lazy("time of", "submitted"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("social-conditions report")
        verbose_name_plural = _("social-conditions reports")
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.title


class Session(models.Model):
    """A plenary session (大会) of the congress or CPPCC committee of a region: items submitted on its days are marked
    "during the session" (大会期间), and, where submissions between sessions are closed, are only taken then. The
    office of the region records its sessions (sessions.py is the rule)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        ordering = ["-first_day", "-pk"]
        indexes = [models.Index(fields=["region", "kind", "first_day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="suggestions_session_days"
            )
        ]

    def __str__(self):
        return self.name
