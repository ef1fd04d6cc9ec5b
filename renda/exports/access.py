"""Scoped reads of export jobs: a job is its creator's alone. For anyone else it is missing (404), never forbidden."""

from django.http import Http404

from .models import ExportJob


def jobs_for(user):
    return ExportJob.objects.filter(created_by=user)


def get_job_for_user(user, pk) -> ExportJob:
    job = jobs_for(user).filter(pk=pk).first()
    if job is None:
        raise Http404("no such export")
    return job
