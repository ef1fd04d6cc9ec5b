"""Excel roster imports, run in the background so a long file shows progress instead of a hung page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.core.uploads import RandomName


class ImportKind(models.TextChoices):
    DEPUTIES = "deputies", _("deputy roster")
    STATIONS = "stations", _("station roster")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("imported")
    FAILED = "failed", _("refused")


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file = models.FileField(_("file"), upload_to=RandomName("imports"))
    original_name = models.CharField(_("file name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(pgettext_lazy("time of", "finished"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    updated_count = models.PositiveIntegerField(_("rows updated"), default=0)
    # [{"row": 3, "column": "代表级别", "message": "…"}], in the user's language at the time of import.
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def unchanged_count(self) -> int:
        return max(0, self.rows_total - self.created_count - self.updated_count)
