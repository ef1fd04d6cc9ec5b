"""Development-zone joint meetings of deputies (开发区人大代表联席会议, "1+4"): a zone's meeting with member
deputies from the towns it coordinates, a topic each month (每月议题), and under each topic four linked work
streams (一题四联): joint supervision, joint inquiry, jointly handled matters and joint information reports.

The meeting's own sittings are activities (activities.Activity, organiser_kind=joint_meeting, region = the zone); its
livelihood-project rounds are projects.Round with body=joint_meeting in the zone. The topic's states are
workflow.TRANSITIONS.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .workflow import TopicStatus


class JointMeeting(models.Model):
    """One zone's joint meeting; its scoping key is the zone (staff of the zone or above see it)."""

    zone = models.OneToOneField(
        "regions.Region",
        verbose_name=pgettext_lazy("region kind", "development zone"),
        related_name="joint_meeting",
        limit_choices_to={"kind": "zone"},
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("deputies' joint meeting")
        verbose_name_plural = _("deputies' joint meetings")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def region(self):
        return self.zone


class Membership(models.Model):
    """A member deputy, elected in one of the towns the zone coordinates (or in the zone itself)."""

    class Role(models.TextChoices):
        CONVENER = "convener", pgettext_lazy("joint meeting", "convener")
        MEMBER = "member", pgettext_lazy("joint meeting", "member")

    meeting = models.ForeignKey(JointMeeting, related_name="memberships", on_delete=models.CASCADE)
    deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("deputy"), related_name="joint_memberships", on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint meeting member")
        verbose_name_plural = _("joint meeting members")
        ordering = ["meeting_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "deputy"], name="joint_member_unique")]

    def __str__(self):
        return f"{self.deputy_id} @ {self.meeting_id}"

    @property
    def region(self):
        return self.meeting.zone


class Topic(models.Model):
    """The month's topic (每月议题): chosen, published, closed (workflow.TRANSITIONS)."""

    meeting = models.ForeignKey(JointMeeting, related_name="topics", on_delete=models.PROTECT)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("time of", "closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly topic")
        verbose_name_plural = _("monthly topics")
        ordering = ["-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "month"], name="joint_topic_one_per_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.title}"

    @property
    def region(self):
        return self.meeting.zone


class Stream(models.TextChoices):
    SUPERVISION = "supervision", _("joint supervision (监督联动)")
    INQUIRY = "inquiry", _("joint inquiry (询问联通)")
    MATTER = "matter", _("jointly handled matter (事项联办)")
    REPORT = "report", _("joint information report (信息联报)")


class WorkStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("linked work", "in progress")
    DONE = "done", pgettext_lazy("linked work", "done")


class ReportLevel(models.TextChoices):
    ZONE = "zone", pgettext_lazy("report level", "the zone")
    DISTRICT = "district", pgettext_lazy("report level", "district")
    CITY = "city", pgettext_lazy("report level", "city")
    PROVINCE = "province", pgettext_lazy("report level", "province")
    NATIONAL = "national", pgettext_lazy("report level", "national")


class Work(models.Model):
    """One record of a topic's linked work, in one of the four streams, with its owner and due date.

    The stream decides which link it carries (database constraints): supervision an activity of a supervision kind,
    an inquiry a unit (and the unit's answer), a matter an opinion or a problem item, a report where it was sent and
    whether it was adopted.
    """

    topic = models.ForeignKey(Topic, related_name="works", on_delete=models.CASCADE)
    stream = models.CharField(_("stream"), max_length=12, choices=Stream.choices)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(
        "people.Deputy",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        related_name="joint_works",
        on_delete=models.PROTECT,
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=5, choices=WorkStatus.choices, default=WorkStatus.OPEN)
    done_at = models.DateTimeField(pgettext_lazy("time of", "done"), null=True, blank=True)
    # 监督联动
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        related_name="joint_works",
        on_delete=models.PROTECT,
    )
    # 询问联通
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("unit asked"),
        null=True,
        blank=True,
        related_name="joint_questions",
        on_delete=models.PROTECT,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    # 事项联办
    opinion = models.ForeignKey(
        "opinions.Opinion",
        verbose_name=_("opinion"),
        null=True,
        blank=True,
        related_name="joint_works",
        on_delete=models.PROTECT,
    )
    problem = models.ForeignKey(
        "activities.ProblemItem",
        verbose_name=_("problem item"),
        null=True,
        blank=True,
        related_name="joint_works",
        on_delete=models.PROTECT,
    )
    # 信息联报
    sent_to = models.CharField(_("sent to"), max_length=10, choices=ReportLevel.choices, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    adopted_level = models.CharField(_("adopted at"), max_length=10, choices=ReportLevel.choices, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("linked work")
        verbose_name_plural = _("linked work")
        ordering = ["topic_id", "stream", "id"]
        indexes = [models.Index(fields=["unit", "stream"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stream="supervision") | Q(activity__isnull=False), name="joint_supervision_activity"
            ),
            models.CheckConstraint(condition=~Q(stream="inquiry") | Q(unit__isnull=False), name="joint_inquiry_unit"),
            models.CheckConstraint(
                condition=~Q(stream="matter") | Q(opinion__isnull=False) | Q(problem__isnull=False),
                name="joint_matter_link",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def region(self):
        return self.topic.meeting.zone
