"""Receptions: the regular duty roster of a station and the unified reception day (统一接待日).

One model carries both: a `Reception` is one sitting at one station on one date — generated from a roster slot, added
once, or planned by a campaign — and a `Duty` is one deputy expected there. Attendance, check-in, visitors and the
opinions taken on a visitor's behalf hang off these rows, so the station page, the deputy's performance record and
the reports read one table whatever the reception's origin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .workflow import Attendance, CampaignStatus, ReceptionKind, ReceptionStatus


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class RosterSlot(models.Model):
    """A station's recurring reception (每周三上午 9:00–11:30) and the deputies on duty at it."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), related_name="roster_slots", on_delete=models.CASCADE
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    every_weeks = models.PositiveSmallIntegerField(_("every n weeks"), default=1)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Official holidays (and weekends when the slot falls on a 调休 working day) are skipped unless this is off.
    skip_holidays = models.BooleanField(_("skip official holidays"), default=True)
    deputies = models.ManyToManyField("people.Deputy", verbose_name=_("deputies on duty"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("roster slot")
        verbose_name_plural = _("roster slots")
        ordering = ["station", "weekday", "starts", "id"]
        constraints = [models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="slot_starts_before_end")]

    def __str__(self):
        return f"{self.station} {self.get_weekday_display()} {self.starts:%H:%M}"


class Campaign(models.Model):
    """A unified reception day for a region: one date and time window, a theme, deputies sent to stations."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), related_name="campaigns", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=100)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    date = models.DateField(_("date"), db_index=True)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    # Optimistic lock: every change bumps it; a form carrying an older version is refused, so no edit is lost.
    version = models.PositiveIntegerField(_("version"), default=1)
    planned_at = models.DateTimeField(_("planned"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="campaign_starts_before_end")
        ]

    def __str__(self):
        return self.title


class Unavailability(models.Model):
    """A deputy who has said they cannot come on the campaign's day; the planner leaves them out."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("reception day"), related_name="unavailabilities", on_delete=models.CASCADE
    )
    deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("deputy"), related_name="unavailabilities", on_delete=models.CASCADE
    )
    reason = models.CharField(_("reason"), max_length=200)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [models.UniqueConstraint(fields=["campaign", "deputy"], name="unavailability_unique")]

    def __str__(self):
        return f"{self.deputy} ✗ {self.campaign}"


class Absence(models.Model):
    """A period a deputy has said they are away (出差, 住院, 学习): every reception day planned inside it counts them
    as unavailable, so nobody has to repeat it day by day."""

    deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("deputy"), related_name="absences", on_delete=models.CASCADE
    )
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts", "id"]
        indexes = [models.Index(fields=["deputy", "ends"])]
        constraints = [models.CheckConstraint(condition=Q(starts__lte=models.F("ends")), name="absence_starts_first")]

    def __str__(self):
        return f"{self.deputy} {self.starts}–{self.ends}"


class Reception(models.Model):
    """One sitting at one station on one date."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), related_name="receptions", on_delete=models.PROTECT
    )
    date = models.DateField(_("date"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReceptionKind.choices)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        related_name="receptions",
        on_delete=models.CASCADE,
    )
    slot = models.ForeignKey(
        RosterSlot,
        verbose_name=_("roster slot"),
        null=True,
        blank=True,
        related_name="receptions",
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReceptionStatus.choices, default=ReceptionStatus.SCHEDULED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Public once set; a roster reception is published when generated, a campaign's when the campaign is.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set when anything the public sees changes after publishing: the schedule highlights it.
    changed_at = models.DateTimeField(_("changed after publishing"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        ordering = ["date", "starts", "id"]
        indexes = [models.Index(fields=["station", "date"]), models.Index(fields=["date", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "station"], condition=Q(campaign__isnull=False), name="one_reception_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["slot", "date"], condition=Q(slot__isnull=False), name="one_reception_per_slot_date"
            ),
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="reception_starts_before_end"),
        ]

    def __str__(self):
        return f"{self.station} {self.date}"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None


class Duty(models.Model):
    """One deputy expected at one reception, and what came of it (the performance record's entry)."""

    reception = models.ForeignKey(
        Reception, verbose_name=_("reception"), related_name="duties", on_delete=models.CASCADE
    )
    deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("deputy"), related_name="duties", on_delete=models.PROTECT
    )
    # Copied from the reception: a campaign's conflicts and board group by it without a join.
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        related_name="duties",
        on_delete=models.CASCADE,
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.EXPECTED
    )
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checkin_latitude = models.DecimalField(
        _("check-in latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_longitude = models.DecimalField(
        _("check-in longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_distance = models.PositiveIntegerField(_("distance from the station (m)"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed after publishing"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["reception__date", "id"]
        indexes = [
            models.Index(fields=["deputy", "attendance"]),
            models.Index(fields=["campaign", "deputy"]),
            models.Index(fields=["campaign", "attendance"]),
        ]
        constraints = [models.UniqueConstraint(fields=["reception", "deputy"], name="duty_unique")]

    def __str__(self):
        return f"{self.deputy} @ {self.reception}"


class Visit(models.Model):
    """Visitors a deputy received at a reception: how many, about what."""

    reception = models.ForeignKey(
        Reception, verbose_name=_("reception"), related_name="visits", on_delete=models.CASCADE
    )
    duty = models.ForeignKey(
        Duty, verbose_name=_("duty"), null=True, blank=True, related_name="visits", on_delete=models.SET_NULL
    )
    count = models.PositiveIntegerField(_("visitors"))
    topics = models.CharField(_("topics"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.count} @ {self.reception}"


class ReceptionOpinion(models.Model):
    """An opinion a deputy recorded at a reception on a visitor's behalf; it follows the normal opinion workflow.

    The tag lives here, not on the opinion, so the opinion loop does not depend on receptions.
    """

    opinion = models.OneToOneField(
        "opinions.Opinion", verbose_name=_("opinion"), related_name="reception_tag", on_delete=models.CASCADE
    )
    reception = models.ForeignKey(
        Reception, verbose_name=_("reception"), related_name="reception_opinions", on_delete=models.PROTECT
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        related_name="reception_opinions",
        on_delete=models.PROTECT,
    )
    duty = models.ForeignKey(Duty, verbose_name=_("duty"), null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion taken at a reception")
        verbose_name_plural = _("opinions taken at receptions")
        indexes = [models.Index(fields=["campaign", "reception"])]

    def __str__(self):
        return f"{self.opinion_id} @ {self.reception_id}"
