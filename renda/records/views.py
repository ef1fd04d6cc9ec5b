"""Staff pages of records (thin: access → action → response). Outside scope everything is 404."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip
from renda.core.excel import xlsx_response
from renda.regions.models import Region

from . import access, actions, compute, lists
from .kinds import KINDS
from .models import Body, Grade, Report, ReportKind, Score
from .pdf import report_pdf
from .workflow import DisputeState, ReportAction, Role, report_actions

PAGE = 100


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _office_only(user):
    if not scope_for(user).is_congress_staff:
        raise Http404("not the office")


def _record_page(request, person):
    year = _year(request)
    where = compute.person_filter(person)
    computed = dict(Score.objects.filter(**where).values_list("year", "computed_at"))
    # The current year's record catches up with its events when older than RECORDS_STALE_MINUTES.
    stale = timezone.now() - timezone.timedelta(minutes=settings.RECORDS_STALE_MINUTES)
    if year == timezone.localdate().year and (year not in computed or computed[year] < stale):
        compute.refresh_person(person, year)
        computed[year] = timezone.now()
    score, kinds, disputes = compute.breakdown(person, year)
    roles = access.roles_on(request.user, person)
    if year < timezone.localdate().year:
        closed = True
    elif score is not None and score.table_id:
        closed = score.table.closed_at is not None
    else:
        closed = actions.year_closed(person, year)
    context = {
        "person": person,
        "is_deputy": hasattr(person, "electoral_region"),
        "year": year,
        "years": sorted(set(computed) | {timezone.localdate().year}, reverse=True),
        "score": score,
        "kinds": kinds,
        "disputes": disputes,
        "may_dispute": bool(roles) and (Role.OFFICE in roles or not closed),
        "is_office": Role.OFFICE in roles,
        "reports": Report.objects.filter(**where).order_by("-year", "kind", "id"),  # the person is in scope
        "report_kinds": ReportKind.choices,
    }
    return render(request, "records/record.html", context)


@login_required
def deputy_record(request, deputy_pk):
    return _record_page(request, access.get_deputy_for_user(request.user, deputy_pk))


@login_required
def member_record(request, member_pk):
    return _record_page(request, access.get_member_for_user(request.user, member_pk))


@login_required
def my_record(request):
    """A deputy's (or member's) own record; the office is shown its lists instead."""
    scope = scope_for(request.user)
    own = access.record_deputies(request.user).filter(pk__in=scope.deputy_ids).first()
    if own is not None:
        return _record_page(request, own)
    member = access.record_members(request.user).filter(pk__in=access.own_member_ids(request.user)).first()
    if member is not None:
        return _record_page(request, member)
    if not scope.is_staff_anywhere:
        raise Http404("no record")
    return render(request, "records/no_record.html", {"is_office": scope.is_congress_staff})


@login_required
@require_POST
def refresh(request, deputy_pk):
    deputy = access.get_deputy_for_user(request.user, deputy_pk)
    compute.refresh_person(deputy, _year(request))
    return redirect(f"{_record_url(deputy)}?year={_year(request)}")


def _record_url(person):
    from django.urls import reverse

    if hasattr(person, "electoral_region"):
        return reverse("records:deputy", args=[person.pk])
    return reverse("records:member", args=[person.pk])


# disputes -----------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def dispute_line(request, line_pk):
    line = access.get_line_for_user(request.user, line_pk)
    try:
        actions.file_dispute(request.user, line.person, line, request.POST.get("text", ""), ip=client_ip(request))
        messages.success(request, _("The dispute was filed; the office will decide."))
    except actions.RecordError as error:
        messages.error(request, str(error))
    return redirect(f"{_record_url(line.person)}?year={line.year}")


@login_required
def disputes(request):
    _office_only(request.user)
    status = request.GET.get("status", DisputeState.OPEN)
    rows = (
        access.office_disputes(request.user)
        .filter(status=status)
        .select_related("deputy", "member")
        .order_by("-filed_at", "-id")
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "records/disputes.html", {"page": page, "status": status, "statuses": DisputeState.choices})


@login_required
@require_POST
def dispute_act(request, dispute_pk, action):
    dispute = access.get_dispute_for_user(request.user, dispute_pk)
    try:
        actions.decide_dispute(request.user, dispute, action, request.POST.get("reason", ""), ip=client_ip(request))
        messages.success(request, _("Done."))
    except actions.RecordError as error:
        messages.error(request, str(error))
    return redirect(f"{_record_url(dispute.person)}?year={dispute.year}")


# the office's lists -------------------------------------------------------------------------------------------------


def _region(request):
    code = request.GET.get("region", "")
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None or not scope_for(request.user).covers_path(region.path):
        raise Http404("no such region")
    return region


@login_required
def office(request):
    _office_only(request.user)
    year, grade = _year(request), request.GET.get("grade", "")
    if grade not in Grade.values:
        grade = ""
    scores = lists.scored_deputies(request.user, year, grade=grade, region=_region(request))
    page = Paginator(scores, PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "year": year,
        "grade": grade,
        "grades": Grade.choices[:3],
        "region": request.GET.get("region", ""),
    }
    return render(request, "records/office.html", context)


@login_required
def export(request):
    _office_only(request.user)
    year = _year(request)
    scores = lists.scored_deputies(request.user, year, region=_region(request))
    headers = [
        _("Deputy"),
        _("Electoral region"),
        _("Delegation or group"),
        _("Points"),
        _("Grade"),
        _("Receptions held"),
    ]
    rows = (
        [
            s.deputy.name,
            s.deputy.electoral_region.name,
            s.deputy.delegation,
            s.total,
            s.get_grade_display(),
            s.receptions,
        ]
        for s in scores.iterator(chunk_size=1000)
    )
    return xlsx_response(f"{_('Performance records')} {year}.xlsx", str(year), headers, rows)


@login_required
def attention(request):
    _office_only(request.user)
    year = _year(request)
    try:
        threshold = Decimal(request.GET["threshold"]) if request.GET.get("threshold") else None
    except InvalidOperation:
        threshold = None
    rows = lists.attention(request.user, year, threshold)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "records/attention.html", {"page": page, "year": year, "threshold": threshold})


@login_required
def delegations(request):
    _office_only(request.user)
    year = _year(request)
    return render(request, "records/delegations.html", {"rows": lists.delegations(request.user, year), "year": year})


# weights ------------------------------------------------------------------------------------------------------------


@login_required
def tables(request):
    _office_only(request.user)
    scope = scope_for(request.user)
    if request.method == "POST":
        region = Region.objects.filter(code=request.POST.get("region", "")).first()
        if region is None or not scope.covers_path(region.path):
            raise Http404("no such region")
        body = request.POST.get("body", Body.CONGRESS)
        if body not in Body.values:
            raise Http404("no such body")
        source = access.tables_for(request.user).filter(pk=request.POST.get("copy_from") or 0).first()
        try:
            table = actions.create_table(request.user, region, _year(request), body, copy_from=source)
            return redirect("records:table", table.pk)
        except actions.RecordError as error:
            messages.error(request, str(error))
    rows = access.tables_for(request.user).select_related("region")
    regions = Region.objects.filter(scope.region_q("path")).order_by("path")[:200]
    context = {"tables": rows, "regions": regions, "bodies": Body.choices, "year": timezone.localdate().year}
    return render(request, "records/tables.html", context)


@login_required
def table(request, table_pk):
    table = access.get_table_for_user(request.user, table_pk)
    read_only = actions.table_read_only(table)
    weights = {w.kind: w for w in table.weights.all()}
    if request.method == "POST":
        try:
            values = {}
            for kind in KINDS:
                points = request.POST.get(f"points_{kind.key}", "").strip()
                cap = request.POST.get(f"cap_{kind.key}", "").strip()
                if points:
                    values[kind.key] = (Decimal(points), Decimal(cap) if cap else None)
            good, fair = Decimal(request.POST.get("good_min", "")), Decimal(request.POST.get("fair_min", ""))
            actions.save_weights(request.user, table, values, good_min=good, fair_min=fair)
            messages.success(request, _("The weights were saved and the year's scores recomputed."))
            return redirect("records:table", table.pk)
        except InvalidOperation:
            messages.error(request, _("Enter numbers."))
        except actions.RecordError as error:
            messages.error(request, str(error))
    rows = [(kind, weights.get(kind.key)) for kind in KINDS]
    return render(request, "records/table.html", {"table": table, "rows": rows, "read_only": read_only})


@login_required
@require_POST
def table_close(request, table_pk):
    table = access.get_table_for_user(request.user, table_pk)
    try:
        actions.close_table(request.user, table)
    except actions.RecordError as error:
        messages.error(request, str(error))
    return redirect("records:table", table.pk)


# reports ------------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def report_start(request, deputy_pk):
    deputy = access.get_deputy_for_user(request.user, deputy_pk)
    kind = request.POST.get("kind", ReportKind.ANNUAL)
    if kind not in ReportKind.values:
        raise Http404("no such kind")
    try:
        first = int(request.POST.get("first_year") or _year(request))
        report = actions.start_report(request.user, deputy, _year(request), kind, first)
        return redirect("records:report", report.pk)
    except (ValueError, actions.RecordError) as error:
        messages.error(request, str(error))
    return redirect("records:deputy", deputy.pk)


@login_required
def reports(request):
    _office_only(request.user)
    rows = access.office_reports(request.user).select_related("deputy", "member").order_by("status", "-year", "id")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "records/reports.html", {"page": page})


@login_required
def report(request, report_pk):
    report = access.get_report_for_user(request.user, report_pk)
    roles = access.roles_on(request.user, report.person)
    counts = {}
    if report.kind == ReportKind.TERM:
        counts = _evaluation_counts(report)
    context = {
        "report": report,
        "actions": [(action, ReportAction(action).label) for action in report_actions(report.status, roles)],
        "may_edit": ReportAction.EDIT in report_actions(report.status, roles),
        "counts": counts,
    }
    return render(request, "records/report.html", context)


def _evaluation_counts(report):
    from django.db.models import Count

    from .models import Verdict

    found = dict(report.evaluations.values("verdict").annotate(n=Count("id")).values_list("verdict", "n"))
    return [(label_, found.get(value, 0)) for value, label_ in Verdict.choices]


@login_required
@require_POST
def report_act(request, report_pk, action):
    report = access.get_report_for_user(request.user, report_pk)
    try:
        actions.act_on_report(
            request.user,
            report,
            action,
            introduction=request.POST.get("introduction"),
            note=request.POST.get("note", ""),
            ip=client_ip(request),
        )
        messages.success(request, _("Done."))
    except actions.RecordError as error:
        messages.error(request, str(error))
    return redirect("records:report", report.pk)


@login_required
def report_download(request, report_pk):
    report = access.get_report_for_user(request.user, report_pk)
    return _pdf_response(report)


def _pdf_response(report):
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{report.year}-{report.pk}.pdf"'
    return response
