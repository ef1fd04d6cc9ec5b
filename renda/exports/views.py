"""Export pages: my exports, one export's progress (htmx polling) and its download, retry. The owner's alone."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from renda.accounts.decorators import staff_required
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate
from renda.core.uploads import serve_file

from .access import get_job_for_user, jobs_for
from .actions import NotRetryable
from .jobs import retry_export
from .models import ExportStatus


@require_safe
@staff_required
def job_list(request):
    page = paginate(request, jobs_for(request.user).defer("params", "error"), per_page=20)
    return render(request, "exports/list.html", {"page": page, "keep_days": settings.EXPORT_KEEP_DAYS})


@require_safe
@staff_required
def job_detail(request, pk: int):
    job = get_job_for_user(request.user, pk)
    return render_page_or_fragment(request, "exports/detail.html", {"job": job}, "exports/_progress.html")


@require_safe
@staff_required
def job_download(request, pk: int):
    job = get_job_for_user(request.user, pk)
    if job.status != ExportStatus.DONE or not job.file.name:
        raise Http404("the file is not ready")
    return serve_file(job.file, download_name=job.download_name)


@require_POST
@staff_required
def job_retry(request, pk: int):
    job = get_job_for_user(request.user, pk)
    try:
        retry_export(request.user, job)
    except NotRetryable:
        messages.error(request, _("Only a failed or stopped export can be run again."))
    return redirect("exports:detail", pk=job.pk)
