"""Deputies' and members' activities (代表活动 / 委员活动): planned by an organiser, invitees answer, the organiser
records attendance ("谁组织谁记录"); problems raised during an activity (e.g. 人大代表助民企) are listed and pushed to
handling as opinions, or linked to a suggestion.

The state machine of an activity is `workflow.TRANSITIONS`; a problem item's handling is the opinion's own workflow
(renda/opinions/workflow.py) once it is pushed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.core.uploads import RandomName


class Body(models.TextChoices):
    """Whose work it is: the people's congress side (deputies) or the CPPCC side (members)."""

    CONGRESS = "congress", pgettext_lazy("body", "people's congress")
    CPPCC = "cppcc", pgettext_lazy("body", "CPPCC")


class Kind(models.Model):
    """A configurable kind of activity (主题活动, 专题调研, 视察, 执法检查, 专题询问, 代表小组活动, 培训, 会议, …)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    body = models.CharField(pgettext_lazy("activity", "body"), max_length=10, choices=Body.choices, blank=True)
    # The kinds of supervision (视察, 执法检查, 专题询问): a joint meeting's 监督联动 links activities of these kinds.
    is_supervision = models.BooleanField(_("a kind of supervision"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    """A thematic campaign in which deputies of every level act together (e.g. 人大代表助民企 2025): many activities."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity campaign")
        verbose_name_plural = _("activity campaigns")
        ordering = ["-year", "title", "id"]

    def __str__(self):
        return f"{self.year} {self.title}"


class OrganiserKind(models.TextChoices):
    REGION = "region", _("congress or CPPCC office of the region")
    DELEGATION = "delegation", _("delegation or deputies' group")
    STATION = "station", pgettext_lazy("organiser", "station")
    JOINT_MEETING = "joint_meeting", _("deputies' joint meeting")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("activity status", "draft")
    PUBLISHED = "published", pgettext_lazy("activity status", "published")
    FINISHED = "finished", pgettext_lazy("activity status", "finished")
    CANCELLED = "cancelled", pgettext_lazy("activity status", "cancelled")
    # An activity a deputy or member recorded after taking part outside the platform, until its organiser confirms.
    REPORTED = "reported", pgettext_lazy("activity status", "awaiting confirmation")
    REJECTED = "rejected", pgettext_lazy("activity status", "not confirmed")


class Origin(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("activity origin", "planned on the platform")
    SELF_REPORTED = "self_reported", pgettext_lazy("activity origin", "recorded by a participant")


class Activity(models.Model):
    # The organiser's region: the scoping key (a zone for its joint meeting, the station's region for a station's).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), related_name="activities", on_delete=models.PROTECT
    )
    body = models.CharField(
        pgettext_lazy("activity", "body"), max_length=10, choices=Body.choices, default=Body.CONGRESS
    )
    kind = models.ForeignKey(Kind, verbose_name=_("kind"), on_delete=models.PROTECT)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("activity campaign"),
        null=True,
        blank=True,
        related_name="activities",
        on_delete=models.PROTECT,
    )
    organiser_kind = models.CharField(
        _("organiser"), max_length=20, choices=OrganiserKind.choices, default=OrganiserKind.REGION
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=pgettext_lazy("organiser", "station"),
        null=True,
        blank=True,
        related_name="activities",
        on_delete=models.PROTECT,
    )
    delegation = models.CharField(_("delegation or group"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=120)
    theme = models.TextField(_("theme"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    origin = models.CharField(_("origin"), max_length=15, choices=Origin.choices, default=Origin.PLANNED)
    is_public = models.BooleanField(_("public"), default=False)
    findings = models.TextField(_("findings"), blank=True)
    report = models.TextField(_("report"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("time of", "finished"), null=True, blank=True)
    # Optimistic concurrency: an edit carries the version it was made on.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class Answer(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation answer", "not answered")
    ATTEND = "attend", pgettext_lazy("invitation answer", "will attend")
    EXCUSED = "excused", pgettext_lazy("invitation answer", "excused")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", pgettext_lazy("activity attendance", "not recorded")
    PRESENT = "present", pgettext_lazy("activity attendance", "present")
    EXCUSED = "excused", pgettext_lazy("activity attendance", "excused absence")
    ABSENT = "absent", pgettext_lazy("activity attendance", "absent without leave")


class Invitation(models.Model):
    """One invited deputy or member (exactly one of the two): their answer, then the attendance the organiser
    recorded."""

    activity = models.ForeignKey(Activity, related_name="invitations", on_delete=models.CASCADE)
    deputy = models.ForeignKey(
        "people.Deputy", null=True, blank=True, related_name="invitations", on_delete=models.PROTECT
    )
    member = models.ForeignKey(
        "people.Member", null=True, blank=True, related_name="invitations", on_delete=models.PROTECT
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["activity_id", "id"]
        indexes = [models.Index(fields=["deputy", "activity"]), models.Index(fields=["member", "activity"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(deputy__isnull=False) & Q(member__isnull=True))
                | (Q(deputy__isnull=True) & Q(member__isnull=False)),
                name="invitation_one_person",
            ),
            models.UniqueConstraint(fields=["activity", "deputy"], name="invitation_unique_deputy"),
            models.UniqueConstraint(fields=["activity", "member"], name="invitation_unique_member"),
        ]

    def __str__(self):
        return f"{self.activity_id} {self.deputy_id or self.member_id}"

    @property
    def person(self):
        return self.deputy or self.member


class ActivityFile(models.Model):
    """A photo or document attached to an activity (findings, report). Private unless the activity is public and
    the file is marked public."""

    activity = models.ForeignKey(Activity, related_name="files", on_delete=models.CASCADE)
    file = models.FileField(_("file"), upload_to=RandomName("activities"))
    name = models.CharField(_("file name"), max_length=200)
    is_photo = models.BooleanField(_("photo"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")
        ordering = ["id"]

    def __str__(self):
        return self.name


class ProblemStatus(models.TextChoices):
    RECORDED = "recorded", pgettext_lazy("problem item", "recorded")
    LISTED = "listed", pgettext_lazy("problem item", "on the compiled list")
    PUSHED = "pushed", pgettext_lazy("problem item", "pushed to handling")
    LINKED = "linked", pgettext_lazy("problem item", "linked to a suggestion")
    DROPPED = "dropped", pgettext_lazy("problem item", "not taken up")


class RaisedBy(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise")
    RESIDENT = "resident", _("resident")
    OTHER = "other", pgettext_lazy("raised by", "other")


class ProblemItem(models.Model):
    """A problem raised during an activity (by an enterprise or resident), recorded by a deputy or member; the
    organiser compiles the list and pushes each item to handling: an opinion (the opinion workflow, rated by the
    deputy who recorded it) or a link to a suggestion. Never both, never twice."""

    activity = models.ForeignKey(Activity, related_name="problems", on_delete=models.PROTECT)
    number = models.PositiveIntegerField(_("number"))
    recorded_by_deputy = models.ForeignKey(
        "people.Deputy", null=True, blank=True, related_name="problem_items", on_delete=models.PROTECT
    )
    recorded_by_member = models.ForeignKey(
        "people.Member", null=True, blank=True, related_name="problem_items", on_delete=models.PROTECT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    raised_by_kind = models.CharField(
        _("raised by"), max_length=12, choices=RaisedBy.choices, default=RaisedBy.ENTERPRISE
    )
    raised_by = models.CharField(_("raised by (name)"), max_length=100, blank=True)
    text = models.TextField(_("problem"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    category = models.ForeignKey(
        "opinions.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.RECORDED)
    opinion = models.OneToOneField(
        "opinions.Opinion", null=True, blank=True, related_name="problem_item", on_delete=models.PROTECT
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion", null=True, blank=True, related_name="problem_items", on_delete=models.PROTECT
    )
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    pushed_at = models.DateTimeField(_("pushed"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("problem item")
        verbose_name_plural = _("problem items")
        ordering = ["activity_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "number"], name="problem_number_unique"),
            models.CheckConstraint(
                condition=Q(opinion__isnull=True) | Q(suggestion__isnull=True), name="problem_one_destination"
            ),
        ]

    def __str__(self):
        return f"{self.activity_id}-{self.number}"
