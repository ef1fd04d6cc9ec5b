"""Background exports: one row per file being made, so a long export shows progress instead of a hung page.

queued → running → done (the file is ready for its owner) | failed (the error says why; it may be retried). A running
job whose progress has not moved for EXPORT_STALE_MINUTES (its worker was killed) is shown as stopped and may be
retried too. Finished files are private (they hold names and masked phones) and are deleted after EXPORT_KEEP_DAYS
(`manage.py expire_exports`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.core.uploads import RandomName


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", pgettext_lazy("export", "running")
    DONE = "done", pgettext_lazy("export", "ready")
    FAILED = "failed", pgettext_lazy("export", "failed")


class ExportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=40)  # a builder registered in renda/exports/registry.py
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # The last sign of life of the worker: set when it starts and at every progress report.
    heartbeat = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished = models.DateTimeField(pgettext_lazy("time of", "finished"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=RandomName("exports"), blank=True)
    download_name = models.CharField(_("file name"), max_length=200)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"]), models.Index(fields=["created"])]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def is_stale(self) -> bool:
        """Running, but the worker has not reported for EXPORT_STALE_MINUTES: it was killed or lost."""
        if self.status != ExportStatus.RUNNING:
            return False
        last = self.heartbeat or self.created
        return timezone.now() - last > timedelta(minutes=settings.EXPORT_STALE_MINUTES)

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED) or self.is_stale

    @property
    def may_retry(self) -> bool:
        return self.status == ExportStatus.FAILED or self.is_stale

    @property
    def expires(self):
        return self.created + timedelta(days=settings.EXPORT_KEEP_DAYS)
