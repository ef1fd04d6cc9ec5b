"""What a domain's view calls: start a background export, or retry one, and let the worker run it."""

from .actions import create_export_job, retry_export_job
from .models import ExportJob
from .tasks import run_export


def start_export(user, kind: str, title: str, params: dict, download_name: str) -> ExportJob:
    """Queue an export of `kind` (a registered builder) for `user`; redirect them to `exports:detail` to watch it."""
    job = create_export_job(user, kind, title, params, download_name)
    run_export.enqueue(job.pk)
    return job


def retry_export(user, job: ExportJob) -> ExportJob:
    job = retry_export_job(user, job)
    run_export.enqueue(job.pk)
    return job
