"""Background entry point: a thin task over an ImportJob row; the logic is in actions.run_import_job."""

from django_tasks import task

from .actions import run_import_job


@task()
def run_import(job_id: int) -> None:
    run_import_job(job_id)
