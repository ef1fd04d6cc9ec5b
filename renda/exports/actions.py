"""Every write of an export job: create, run (in the worker), retry, expire.

The job's file is written only when the whole file is made; a failed or killed run leaves no file, only the error.
"""

import logging
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renda.audit.actions import record

from .models import ExportJob, ExportStatus
from .registry import builder_for

logger = logging.getLogger(__name__)

STEPS = 100  # progress is written about this many times per job, whatever its size


class NotRetryable(Exception):
    """Only a failed or stopped export may be run again."""


def create_export_job(user, kind: str, title: str, params: dict, download_name: str) -> ExportJob:
    """A queued job; the caller enqueues it (see `renda/exports/jobs.start_export`)."""
    builder_for(kind)  # an unknown kind fails here, in the request, not later in the worker
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            title=str(title)[:200],
            params=params,
            created_by=user,
            download_name=str(download_name)[:200],
        )
        record(user, "exports.start", job, changes={"kind": kind, "params": params})
    return job


def retry_export_job(user, job: ExportJob) -> ExportJob:
    """Queue a failed or stopped job again, as it was first asked for. The caller enqueues it."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if not job.may_retry:
            raise NotRetryable(job.pk)
        job.status = ExportStatus.QUEUED
        job.error = ""
        job.rows_done = job.rows_total = 0
        job.heartbeat = job.finished = None
        job.save(update_fields=["status", "error", "rows_done", "rows_total", "heartbeat", "finished"])
        record(user, "exports.retry", job, changes={"kind": job.kind, "attempts": job.attempts})
    return job


def run_export_job(job_id: int) -> None:
    """The background task's body: build the file through the registered builder and store it. Never raises."""
    job = _start(job_id)
    if job is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        try:
            built = builder_for(job.kind)(job, _progress(job))
        except Exception:
            logger.exception("export job %s crashed", job_id)
            message = _("The export stopped because of an unexpected error. No file was made; please try again.")
            _finish(job, ExportStatus.FAILED, error=message)
            return
        suffix = PurePosixPath(built.filename).suffix or ".bin"
        job.file.save(f"export{suffix}", ContentFile(built.data), save=False)
        job.download_name = built.filename[:200]
        _finish(job, ExportStatus.DONE)


def _start(job_id: int) -> ExportJob | None:
    """Mark a queued job running; a job already started (a redelivered task) is left alone."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("created_by").filter(pk=job_id).first()
        if job is None or job.status != ExportStatus.QUEUED:
            return None
        job.status = ExportStatus.RUNNING
        job.heartbeat = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "heartbeat", "attempts"])
    return job


def _progress(job: ExportJob):
    """`progress(done, total)` for the builder: written when it has moved by a hundredth, and at the end."""
    last = {"done": -1}

    def progress(done: int, total: int) -> None:
        step = max(1, total // STEPS)
        if done - last["done"] < step and done != total and total == job.rows_total:
            return
        last["done"] = done
        job.rows_done, job.rows_total, job.heartbeat = done, total, timezone.now()
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total, heartbeat=job.heartbeat)

    return progress


def _finish(job: ExportJob, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished = job.heartbeat = timezone.now()
    if status == ExportStatus.DONE:
        job.rows_done = job.rows_total
    job.save(update_fields=["status", "error", "finished", "heartbeat", "rows_done", "file", "download_name"])


def expire_exports(now=None) -> int:
    """Delete the jobs (and their files) created more than EXPORT_KEEP_DAYS ago; idempotent. Returns how many."""
    now = now or timezone.now()
    old = ExportJob.objects.filter(created__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS))
    count = 0
    for job in old.only("pk", "file").iterator():
        if job.file.name:
            job.file.storage.delete(job.file.name)
        ExportJob.objects.filter(pk=job.pk).delete()
        count += 1
    return count
