"""Import pages: upload a roster, watch its progress, read its error report. Congress staff only."""

from django.http import Http404
from django.shortcuts import redirect, render

from renda.accounts.decorators import congress_staff_required
from renda.core.excel import xlsx_response
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate

from .access import get_job_for_user, jobs_for
from .actions import create_import_job
from .blank import blank_template
from .forms import UploadForm
from .models import ImportKind
from .tasks import run_import

SHOWN_ERRORS = 200  # the page lists this many; the Excel report has them all


def _upload_form(kind: str, data=None, files=None) -> UploadForm:
    return UploadForm(data, files, initial={"kind": kind}, auto_id=f"id_{kind}_%s")


@congress_staff_required
def job_list(request):
    forms = {kind: _upload_form(kind) for kind in ImportKind.values}
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = _upload_form(kind if kind in forms else ImportKind.DEPUTIES, request.POST, request.FILES)
        if form.is_valid():
            job = create_import_job(request.user, form.cleaned_data["kind"], form.cleaned_data["file"])
            run_import.enqueue(job.pk)
            return redirect("imports:detail", pk=job.pk)
        forms[form.initial["kind"]] = form
    page = paginate(request, jobs_for(request.user).defer("errors"), per_page=20)
    context = {
        "page": page,
        "uploads": [(kind, label, forms[kind]) for kind, label in ImportKind.choices],
    }
    return render(request, "imports/list.html", context, status=400 if request.method == "POST" else 200)


@congress_staff_required
def job_detail(request, pk: int):
    job = get_job_for_user(request.user, pk)
    context = {"job": job, "errors": job.errors[:SHOWN_ERRORS], "more_errors": max(0, len(job.errors) - SHOWN_ERRORS)}
    return render_page_or_fragment(request, "imports/detail.html", context, "imports/_progress.html")


@congress_staff_required
def job_errors(request, pk: int):
    job = get_job_for_user(request.user, pk)
    rows = ([error["row"], error["column"], error["message"]] for error in job.errors)
    return xlsx_response(f"导入错误报告-{job.pk}.xlsx", "错误报告", ["行", "列", "问题"], rows)


@congress_staff_required
def template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404("no such roster")
    return blank_template(kind)
