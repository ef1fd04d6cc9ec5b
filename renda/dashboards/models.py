"""Summary tables the dashboards read instead of the opinion and event tables (docs/performance.md, "Dashboards").

Kept up to date by `manage.py refresh_dashboards` (`refresh.py`), a periodic, idempotent job: what changed since its
last run (new opinions, new events) is recounted per (region, month) key, so a chart sums a few thousand rows
whatever the number of opinions. `Freshness` holds where the last run stopped; pages show its time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpinionMonth(models.Model):
    """Opinions submitted in one month in one region, by category, status and rating (their state now)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=200)  # the region's path, so a subtree is one index range
    month = models.DateField()  # first day of the month (China time)
    category = models.ForeignKey("opinions.Category", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24)
    rating = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["path", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month", "category", "status", "rating"], name="dashboards_opinionmonth_key"
            )
        ]

    def __str__(self):
        return f"{self.path} {self.month:%Y-%m} {self.status}: {self.n}"


class OpinionRollup(models.Model):
    """The same counts for a region's whole legal subtree (itself and every region below), one row set per region on
    each opinion's path: a chart reads the rows of one path, or of its children's paths, never a whole subtree."""

    path = models.CharField(max_length=200)
    month = models.DateField()
    category = models.ForeignKey("opinions.Category", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24)
    rating = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["path", "month"])]

    def __str__(self):
        return f"{self.path}… {self.month:%Y-%m} {self.status}: {self.n}"


class StepMonth(models.Model):
    """Workflow steps completed for the opinions of one region submitted in one month (`month`: the opinion's, not the
    step's, as the statistics page counts a period), and how many by their due date."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=200)
    month = models.DateField()
    done = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["path", "month"])]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="dashboards_stepmonth_key")]

    def __str__(self):
        return f"{self.path} {self.month:%Y-%m}: {self.on_time}/{self.done}"


class OpenDue(models.Model):
    """Open opinions of a region's legal subtree by the day their current step is due and the month they were submitted
    (rebuilt whole at each run): one row set per region on each open opinion's path."""

    path = models.CharField(max_length=200)
    due = models.DateField()
    # First day of the month the opinions were submitted (China time). Nullable only so that an older release's
    # refresh, running while an upgrade migrates, can still insert (docs/upgrading.md); every run of this one fills it.
    month = models.DateField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["path", "due"])]

    def __str__(self):
        return f"{self.path} {self.due}: {self.n}"


class OpenCount(models.Model):
    """Open opinions of a region's legal subtree by status, escalation (督办) and the day their current step is due,
    for the regions of the first `OPEN_COUNT_LEVELS` levels (rebuilt whole at each run): what the staff home of a city
    or a district counts, in a few hundred rows instead of hundreds of thousands of opinions."""

    path = models.CharField(max_length=200)
    status = models.CharField(max_length=24)
    escalated = models.BooleanField()
    due = models.DateField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["path"])]

    def __str__(self):
        return f"{self.path} {self.status} {self.due}: {self.n}"


class Freshness(models.Model):
    """One row: the last opinion and event counted, and when."""

    last_opinion = models.BigIntegerField(default=0)
    last_event = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)

    def __str__(self):
        return f"opinions to {self.last_opinion}, events to {self.last_event}"
