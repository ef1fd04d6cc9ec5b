"""CPPCC consultation (协商议政): the year's consultation topics, consultation meetings (双周协商座谈会, 专题协商会 …),
members' speeches (发言) and the meeting's results (建言成果) sent to units, with each unit's feedback.

A consultation meeting is an activity (activities.Activity, body=cppcc, kind `consultation`) with its invited members
as activities.Invitation rows; `Meeting` adds the meeting's form and the topics it consults on.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Topic(models.Model):
    """A consultation topic of one year's plan (年度协商计划), at the CPPCC committee's region."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proposed_by = models.CharField(_("proposed by"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        ordering = ["-year", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "title"], name="consultation_topic_unique")]

    def __str__(self):
        return f"{self.year} {self.title}"


class Form(models.TextChoices):
    BIWEEKLY = "biweekly", _("biweekly consultation forum (双周协商座谈会)")
    THEMATIC = "thematic", _("thematic consultation (专题协商会)")
    COUNTERPART = "counterpart", _("counterpart consultation (对口协商)")
    SECTOR = "sector", _("sector consultation (界别协商)")
    PROPOSAL = "proposal", _("proposal-handling consultation (提案办理协商)")


class Meeting(models.Model):
    activity = models.OneToOneField(
        "activities.Activity", verbose_name=_("activity"), related_name="consultation", on_delete=models.PROTECT
    )
    form = models.CharField(_("form"), max_length=12, choices=Form.choices, default=Form.BIWEEKLY)
    topics = models.ManyToManyField(Topic, verbose_name=_("consultation topics"), related_name="meetings", blank=True)

    class Meta:
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")
        ordering = ["-id"]

    def __str__(self):
        return self.activity.title

    @property
    def region(self):
        return self.activity.region


class Speech(models.Model):
    """A member's speech (发言) at the meeting: submitted by the member from their login, or recorded by the office."""

    meeting = models.ForeignKey(Meeting, related_name="speeches", on_delete=models.CASCADE)
    member = models.ForeignKey(
        "people.Member", verbose_name=_("CPPCC member"), related_name="speeches", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        ordering = ["meeting_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="speech_one_per_member")]

    def __str__(self):
        return self.title

    @property
    def region(self):
        return self.meeting.activity.region


class Result(models.Model):
    """One result of the meeting (建言成果), sent to units that give feedback."""

    meeting = models.ForeignKey(Meeting, related_name="results", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    sent_at = models.DateTimeField(pgettext_lazy("time of", "sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation result")
        verbose_name_plural = _("consultation results")
        ordering = ["meeting_id", "id"]

    def __str__(self):
        return self.title

    @property
    def region(self):
        return self.meeting.activity.region


class Feedback(models.Model):
    """A unit's feedback on a result (反馈), given once from the unit's login."""

    result = models.ForeignKey(Result, related_name="feedback", on_delete=models.CASCADE)
    unit = models.ForeignKey(
        "people.Unit", verbose_name=_("unit"), related_name="consultation_feedback", on_delete=models.PROTECT
    )
    due = models.DateField(_("due"), null=True, blank=True)
    text = models.TextField(_("feedback"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("unit feedback")
        verbose_name_plural = _("unit feedback")
        ordering = ["result_id", "id"]
        constraints = [models.UniqueConstraint(fields=["result", "unit"], name="feedback_one_per_unit")]

    def __str__(self):
        return f"{self.result_id} → {self.unit_id}"

    @property
    def region(self):
        return self.result.meeting.activity.region
