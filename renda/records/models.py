"""Performance records (履职档案): lines computed from other apps' events, figures and scores stored per person and
year, weight tables per region and year, disputes, and annual / term reports with the voters' evaluation.

Nothing here is typed by hand except the weights, a dispute's reasons and a report's introduction: a `Line` is
written only by `compute.refresh` from its source's events (sources.py), and it names the event (`key`, `link`).
Every person-keyed row holds exactly one of `deputy` / `member`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .workflow import DisputeState, ReportState


def _one_person(name):
    return models.CheckConstraint(
        condition=(Q(deputy__isnull=False) & Q(member__isnull=True))
        | (Q(deputy__isnull=True) & Q(member__isnull=False)),
        name=name,
    )


class PersonRow(models.Model):
    deputy = models.ForeignKey("people.Deputy", null=True, blank=True, related_name="+", on_delete=models.CASCADE)
    member = models.ForeignKey("people.Member", null=True, blank=True, related_name="+", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        abstract = True

    @property
    def person(self):
        return self.deputy or self.member


class Line(PersonRow):
    """One event in a person's record: which kind of item (the points key), when, and the event it comes from."""

    kind = models.CharField(_("item"), max_length=40)
    source = models.CharField(_("source"), max_length=30)
    key = models.CharField(_("event"), max_length=60)  # stable within the source: "duty:123"
    date = models.DateField(_("date"))
    label = models.CharField(_("event"), max_length=200)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)  # e.g. visitors received at a duty

    class Meta:
        verbose_name = _("record line")
        verbose_name_plural = _("record lines")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["deputy", "year"]), models.Index(fields=["member", "year"])]
        constraints = [
            _one_person("records_line_one_person"),
            models.UniqueConstraint(fields=["deputy", "year", "key"], name="records_line_unique_deputy"),
            models.UniqueConstraint(fields=["member", "year", "key"], name="records_line_unique_member"),
        ]

    def __str__(self):
        return f"{self.year} {self.kind} {self.key}"


class Figure(PersonRow):
    """How many lines of one kind a person has in a year, their quantity and the points they earn (after caps and
    accepted disputes)."""

    kind = models.CharField(_("item"), max_length=40)
    count = models.PositiveIntegerField(_("count"), default=0)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("record figure")
        verbose_name_plural = _("record figures")
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["deputy", "year"]), models.Index(fields=["member", "year"])]
        constraints = [
            _one_person("records_figure_one_person"),
            models.UniqueConstraint(fields=["deputy", "year", "kind"], name="records_figure_unique_deputy"),
            models.UniqueConstraint(fields=["member", "year", "kind"], name="records_figure_unique_member"),
        ]

    def __str__(self):
        return f"{self.year} {self.kind} {self.count}"


class Grade(models.TextChoices):
    GOOD = "good", pgettext_lazy("performance grade", "good")
    FAIR = "fair", pgettext_lazy("performance grade", "fair")
    POOR = "poor", pgettext_lazy("performance grade", "poor")
    UNGRADED = "", pgettext_lazy("performance grade", "no weights")


class Score(PersonRow):
    """A person's points in a year under the weight table that applies to them, and the grade they give."""

    region = models.ForeignKey("regions.Region", related_name="+", on_delete=models.PROTECT)
    table = models.ForeignKey("WeightTable", null=True, blank=True, related_name="scores", on_delete=models.PROTECT)
    total = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=0)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    lines = models.PositiveIntegerField(_("items"), default=0)
    receptions = models.PositiveIntegerField(_("receptions held"), default=0)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("record score")
        verbose_name_plural = _("record scores")
        ordering = ["-total", "id"]
        indexes = [models.Index(fields=["year", "region"])]
        constraints = [
            _one_person("records_score_one_person"),
            models.UniqueConstraint(fields=["deputy", "year"], name="records_score_unique_deputy"),
            models.UniqueConstraint(fields=["member", "year"], name="records_score_unique_member"),
        ]

    def __str__(self):
        return f"{self.year} {self.total}"


class Body(models.TextChoices):
    CONGRESS = "congress", _("deputies (people's congress)")
    CPPCC = "cppcc", _("members (CPPCC)")


class WeightTable(models.Model):
    """The points of each item kind for one region's deputies (or members) in one year, and the grade boundaries.

    A person is scored with the table of the nearest region at or above their own for the year. A past year's table
    (or one the office closed) is read-only, so changing next year's weights never changes last year's scores.
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    body = models.CharField(_("for"), max_length=10, choices=Body.choices, default=Body.CONGRESS)
    good_min = models.DecimalField(_("good from (points)"), max_digits=6, decimal_places=2, default=80)
    fair_min = models.DecimalField(_("fair from (points)"), max_digits=6, decimal_places=2, default=60)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("weight table")
        verbose_name_plural = _("weight tables")
        ordering = ["-year", "region__path", "body", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "body"], name="records_table_unique")]

    def __str__(self):
        return f"{self.region} {self.year} {self.get_body_display()}"

    def grade_for(self, total) -> str:
        if total >= self.good_min:
            return Grade.GOOD
        if total >= self.fair_min:
            return Grade.FAIR
        return Grade.POOR


class Weight(models.Model):
    table = models.ForeignKey(WeightTable, related_name="weights", on_delete=models.CASCADE)
    kind = models.CharField(_("item"), max_length=40)
    points = models.DecimalField(_("points each"), max_digits=6, decimal_places=2)  # negative: a deduction
    cap = models.DecimalField(_("at most (points)"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        ordering = ["table_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "kind"], name="records_weight_unique")]

    def __str__(self):
        return f"{self.kind} {self.points}"


class Dispute(PersonRow):
    """A deputy's or member's objection to one line of their record, decided by the office with a reason. An accepted
    dispute takes the line out of the score; the line itself is never edited."""

    line = models.ForeignKey(Line, null=True, blank=True, related_name="disputes", on_delete=models.SET_NULL)
    line_key = models.CharField(_("event"), max_length=60)
    line_label = models.CharField(_("event"), max_length=200)
    kind = models.CharField(_("item"), max_length=40)
    text = models.TextField(_("why the line is wrong"))
    status = models.CharField(_("status"), max_length=10, choices=DisputeState.choices, default=DisputeState.OPEN)
    reason = models.TextField(_("decision reason"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("record dispute")
        verbose_name_plural = _("record disputes")
        ordering = ["-filed_at", "-id"]
        constraints = [
            _one_person("records_dispute_one_person"),
            models.UniqueConstraint(
                fields=["deputy", "year", "line_key"],
                condition=Q(status=DisputeState.OPEN),
                name="records_dispute_one_open_deputy",
            ),
            models.UniqueConstraint(
                fields=["member", "year", "line_key"],
                condition=Q(status=DisputeState.OPEN),
                name="records_dispute_one_open_member",
            ),
        ]

    def __str__(self):
        return f"{self.line_label} · {self.get_status_display()}"

    @property
    def region(self):
        person = self.person
        return person.electoral_region if self.deputy_id else person.region


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("annual performance report (年度履职报告)")
    TERM = "term", _("term report to the voters (述职报告)")


class Report(PersonRow):
    """An annual report (one year) or a term report (first_year … year), with the person's own introduction: edited
    by them, approved and published by the office; a published term report collects the voters' evaluation."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.ANNUAL)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    note = models.TextField(_("office's note"), blank=True)
    published_at = models.DateTimeField(pgettext_lazy("report", "published"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("performance report")
        verbose_name_plural = _("performance reports")
        ordering = ["-year", "kind", "id"]
        constraints = [
            _one_person("records_report_one_person"),
            models.UniqueConstraint(fields=["deputy", "year", "kind"], name="records_report_unique_deputy"),
            models.UniqueConstraint(fields=["member", "year", "kind"], name="records_report_unique_member"),
        ]

    def __str__(self):
        return f"{self.person} {self.year} {self.get_kind_display()}"

    @property
    def region(self):
        person = self.person
        return person.electoral_region if self.deputy_id else person.region


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", pgettext_lazy("evaluation", "satisfied")
    BASICALLY = "basically", pgettext_lazy("evaluation", "basically satisfied")
    DISSATISFIED = "dissatisfied", pgettext_lazy("evaluation", "dissatisfied")


class Evaluation(models.Model):
    """One voter's verdict (测评) on a term report: one per phone number or WeChat identity, kept as a keyed hash."""

    report = models.ForeignKey(Report, related_name="evaluations", on_delete=models.CASCADE)
    voter = models.CharField(max_length=64)  # HMAC-SHA256 of "phone:…" or "openid:…", never the number itself
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voters' evaluation")
        verbose_name_plural = _("voters' evaluations")
        constraints = [models.UniqueConstraint(fields=["report", "voter"], name="records_evaluation_once")]

    def __str__(self):
        return f"{self.report_id} {self.verdict}"
