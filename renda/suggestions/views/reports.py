"""社情民意 reports: members' own list and form, the report page with the office's actions, the office's list."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renda.accounts.decorators import office_staff_required
from renda.audit.actions import client_ip

from ..access import office_reports as office_reports_for
from ..access import reports_for, submitter_identity
from ..actions import TransitionError
from ..actions.reports import act_on_report, report_roles, submit_report
from ..models import SocialReport
from ..workflow import ReportAction, report_actions_for


@login_required
def my_reports(request):
    _deputy, member = submitter_identity(request.user)
    if member is None:
        raise Http404("not a member")
    error = ""
    if request.method == "POST":
        try:
            report = submit_report(
                request.user,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                ip=client_ip(request),
            )
        except TransitionError as exc:
            error = str(exc)
        else:
            return redirect("suggestions_my:report", pk=report.pk)
    rows = SocialReport.objects.filter(author=request.user).order_by("-id")[:200]
    return render(
        request, "suggestions/reports/mine.html", {"rows": rows, "error": error}, status=400 if error else 200
    )


def _report_page(request, report, error="", status=200):
    roles = report_roles(request.user, report)
    return render(
        request,
        "suggestions/reports/detail.html",
        {
            "r": report,
            "actions": [(a, ReportAction(a).label) for a in report_actions_for(report.status, roles)],
            "levels": SocialReport.Level.choices,
            "error": error,
        },
        status=status,
    )


@login_required
def report_detail(request, pk):
    report = reports_for(request.user).select_related("region", "member").filter(pk=pk).first()
    if report is None:
        raise Http404("no such report")
    return _report_page(request, report)


@login_required
@require_POST
def report_act(request, pk, action):
    report = reports_for(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404("no such report")
    try:
        act_on_report(request.user, report.pk, action, request.POST, ip=client_ip(request))
    except TransitionError as exc:
        report.refresh_from_db()
        return _report_page(request, report, str(exc), 400)
    return redirect("suggestions_my:report", pk=report.pk)


@office_staff_required
def office_reports(request):
    rows = (
        office_reports_for(request.user)
        .select_related("member", "region")
        .only("id", "title", "status", "adopted_level", "created", "member__name", "region__name")
        .order_by("-id")[:200]
    )
    return render(request, "suggestions/reports/office.html", {"rows": rows})
