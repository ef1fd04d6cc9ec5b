"""Scoped reads of import jobs: a job is its creator's. For anyone else it is missing (404), never forbidden."""

from django.http import Http404

from .models import ImportJob


def jobs_for(user):
    return ImportJob.objects.filter(created_by=user)


def get_job_for_user(user, pk) -> ImportJob:
    job = jobs_for(user).filter(pk=pk).first()
    if job is None:
        raise Http404("no such import job")
    return job
