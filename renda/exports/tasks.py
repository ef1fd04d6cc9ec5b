"""Background entry point: a thin task over an ExportJob row; the logic is in actions.run_export_job."""

from django_tasks import task

from .actions import run_export_job


@task()
def run_export(job_id: int) -> None:
    run_export_job(job_id)
