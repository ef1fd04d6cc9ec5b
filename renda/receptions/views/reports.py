"""Reports of the receptions app: a reception day's report (page, Excel, PDF), attendance after a reception, a
deputy's performance record, and the roster reports (idle stations, deputies not on duty this year).

Every object comes through access.py (or people access for deputies): outside the user's scope it is missing (404).
"""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.accounts.decorators import congress_staff_required, staff_required
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip, record
from renda.core.excel import xlsx_response
from renda.core.paging import paginate, query_without_page
from renda.people.access import get_deputy_for_user, own_deputies

from .. import access, reports, rules
from ..actions import attendance
from ..forms.onsite import VisitForm
from ..record import deputy_record
from ..workflow import Attendance, CampaignStatus, ReceptionStatus

STATIONS_PER_PAGE = 200


def _may_read_reports(user) -> bool:
    """Reports are for the congress office and station keepers; a deputy reads their own record instead."""
    scope = scope_for(user)
    return scope.is_congress_staff or bool(scope.station_ids)


def _campaign_report(request, campaign_pk):
    if not _may_read_reports(request.user):
        raise Http404("no reports")
    campaign = access.get_campaign_for_user(request.user, campaign_pk)
    region = reports.report_region(request.user, campaign, request.GET.get("region", "").strip())
    return reports.campaign_report(request.user, campaign, region)


# The reception day's report ---------------------------------------------------------------------------------------


@staff_required
def campaign_report(request, campaign_pk):
    report = _campaign_report(request, campaign_pk)
    # The station table is paged: a province's day has 20,000 stations; the totals above cover them all, and the
    # Excel file lists every one.
    stations = paginate(request, report.stations, STATIONS_PER_PAGE)
    for _station, _figures, reception in stations.object_list:
        reception.may_record = reception.status == ReceptionStatus.SCHEDULED and access.may_record_attendance(
            request.user, reception
        )
    query = f"?region={report.region.code}" if report.region != report.campaign.region else ""
    context = {"report": report, "query": query, "stations": stations, "page_query": query_without_page(request)}
    return render(request, "receptions/report_campaign.html", context)


@staff_required
def campaign_report_xlsx(request, campaign_pk):
    report = _campaign_report(request, campaign_pk)
    record(
        request.user,
        "receptions.report_export",
        report.campaign,
        changes={"region": report.region.code},
        ip=client_ip(request),
    )
    filename = f"{report.campaign.title}-{report.region.name}.xlsx"
    headers = reports.report_headers(report, rates_as_percent=True)
    return xlsx_response(filename, _("Report"), headers, reports.report_rows(report))


@staff_required
def campaign_report_pdf(request, campaign_pk):
    report = _campaign_report(request, campaign_pk)
    record(
        request.user,
        "receptions.report_pdf",
        report.campaign,
        changes={"region": report.region.code},
        ip=client_ip(request),
    )
    response = HttpResponse(reports.report_pdf(report), content_type="application/pdf")
    filename = quote(f"{report.campaign.title}-{report.region.name}.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# Attendance ---------------------------------------------------------------------------------------------------------


def _recordable_reception(user, reception_pk):
    reception = access.get_reception_for_user(user, reception_pk)
    if not access.may_record_attendance(user, reception):
        raise Http404("not yours to record")
    return reception


@require_POST
@staff_required
def reception_visitors(request, reception_pk):
    """The station's reception record: visitors entered afterwards by the keeper or staff, on the attendance page."""
    reception = _recordable_reception(request.user, reception_pk)
    form = VisitForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("receptions:attendance", reception_pk=reception.pk)
    try:
        attendance.record_reception_visitors(
            request.user, reception, form.cleaned_data["count"], form.cleaned_data["topics"], ip=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Visitors recorded."))
    return redirect("receptions:attendance", reception_pk=reception.pk)


@staff_required
def reception_attendance(request, reception_pk):
    reception = _recordable_reception(request.user, reception_pk)
    duties = list(reception.duties.select_related("deputy").order_by("deputy__name", "id"))
    errors, posted = {}, {}
    if request.method == "POST":
        entries = {}
        for duty in duties:
            value = request.POST.get(f"attendance-{duty.pk}", "")
            reason = request.POST.get(f"reason-{duty.pk}", "")
            posted[duty.pk] = (value, reason)
            entries[duty.pk] = (value, reason)
        try:
            changed = attendance.record_attendance(request.user, reception, entries, ip=client_ip(request))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {pk: [str(m) for e in errs for m in e.messages] for pk, errs in error.error_dict.items()}
            else:
                messages.error(request, " ".join(error.messages))
        else:
            if changed:
                messages.success(request, _("Attendance saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("receptions:attendance", reception_pk=reception.pk)
    rows = []
    for duty in duties:
        value, reason = posted.get(duty.pk, (duty.attendance, duty.absence_reason))
        rows.append({"duty": duty, "value": value, "reason": reason, "errors": errors.get(duty.pk, [])})
    context = {
        "reception": reception,
        "rows": rows,
        "visits": list(reception.visits.select_related("duty__deputy").order_by("created", "pk")),
        "visit_form": VisitForm(),
        "may_record_visitors": rules.visitors_problem(reception) is None,
        "started": rules.has_started(reception),
        "choices": [(Attendance.ATTENDED, Attendance.ATTENDED.label), (Attendance.ABSENT, Attendance.ABSENT.label)],
    }
    return render(request, "receptions/report_attendance.html", context, status=400 if errors else 200)


# The performance record ---------------------------------------------------------------------------------------------


@staff_required
def deputy_record_page(request, deputy_pk):
    deputy = get_deputy_for_user(request.user, deputy_pk)
    context = {"deputy": deputy, "years": deputy_record(request.user, deputy)}
    return render(request, "receptions/record_deputy.html", context)


@staff_required
def my_record(request):
    """A deputy's own record; someone who is not a deputy is told there is none (the page exists for every role)."""
    deputies = list(own_deputies(request.user).order_by("name"))
    if len(deputies) == 1:
        deputy = deputies[0]
        context = {"deputy": deputy, "years": deputy_record(request.user, deputy), "own": True}
        return render(request, "receptions/record_deputy.html", context)
    return render(request, "receptions/record_mine.html", {"deputies": deputies})


RECORD_HEADERS = (
    gettext_lazy("Date"),
    gettext_lazy("Station"),
    gettext_lazy("Region"),
    gettext_lazy("Kind"),
    gettext_lazy("Reception day"),
    gettext_lazy("Attendance"),
    gettext_lazy("Reason for absence"),
    gettext_lazy("Visitors"),
    gettext_lazy("Opinions"),
)


@staff_required
def deputy_record_xlsx(request, deputy_pk):
    deputy = get_deputy_for_user(request.user, deputy_pk)
    years = deputy_record(request.user, deputy)
    record(request.user, "receptions.record_export", deputy, changes={"deputy": deputy.pk}, ip=client_ip(request))
    labels = dict(Attendance.choices) | {"cancelled": _("cancelled"), "upcoming": _("upcoming")}

    def rows():
        for year in years:
            for entry in year.entries:
                reception = entry.duty.reception
                yield [
                    reception.date,
                    reception.station.name,
                    reception.station.region.name,
                    reception.get_kind_display(),
                    reception.campaign.title if reception.campaign_id else "",
                    str(labels.get(entry.status, entry.status)),
                    entry.duty.absence_reason,
                    entry.visitors,
                    entry.opinions,
                ]
            yield [
                _("%(year)d total") % {"year": year.year},
                "",
                "",
                "",
                "",
                _("%(attended)d of %(duties)d attended, %(absent)d absent")
                % {"attended": year.attended, "duties": year.duties, "absent": year.absent},
                "",
                year.visitors,
                year.opinions,
            ]

    headers = [str(header) for header in RECORD_HEADERS]
    return xlsx_response(f"{deputy.name}-{_('Performance record')}.xlsx", _("Performance record"), headers, rows())


# Roster reports -----------------------------------------------------------------------------------------------------


def _weeks(request) -> int:
    weeks, ok = reports.idle_weeks(request.GET.get("weeks"))
    if not ok:
        messages.error(
            request,
            _("The number of weeks must be a whole number from 1 to 104; showing %(weeks)d weeks.") % {"weeks": weeks},
        )
    return weeks


@congress_staff_required
def idle_stations(request):
    weeks = _weeks(request)
    stations = reports.idle_stations(request.user, weeks, timezone.localdate())
    context = {"weeks": weeks, "page": paginate(request, stations), "query": query_without_page(request)}
    return render(request, "receptions/report_idle_stations.html", context)


@congress_staff_required
def idle_stations_xlsx(request):
    weeks, _ok = reports.idle_weeks(request.GET.get("weeks"))
    stations = reports.idle_stations(request.user, weeks, timezone.localdate())
    record(request.user, "receptions.idle_stations_export", changes={"weeks": weeks}, ip=client_ip(request))
    rows = (
        [s.name, s.get_kind_display(), s.region.name, s.last_held, s.next_scheduled]
        for s in stations.iterator(chunk_size=500)
    )
    headers = [_("Station"), _("Kind"), _("Region"), _("Last held reception"), _("Next scheduled reception")]
    return xlsx_response(f"{_('Idle stations')}.xlsx", _("Idle stations"), headers, rows)


@congress_staff_required
def not_on_duty(request):
    today = timezone.localdate()
    page = paginate(request, reports.deputies_not_on_duty(request.user, today))
    served = reports.served_stations(request.user, page.object_list)
    rows = [(deputy, served.get(deputy.pk, [])) for deputy in page.object_list]
    context = {"year": today.year, "page": page, "rows": rows, "query": query_without_page(request)}
    return render(request, "receptions/report_not_on_duty.html", context)


@congress_staff_required
def not_on_duty_xlsx(request):
    today = timezone.localdate()
    deputies = reports.deputies_not_on_duty(request.user, today)
    served = reports.served_stations(request.user, deputies.values("pk"))
    record(request.user, "receptions.not_on_duty_export", changes={"year": today.year}, ip=client_ip(request))
    rows = (
        [
            d.name,
            d.get_level_display(),
            d.electoral_region.name,
            "、".join(served.get(d.pk, [])),
            d.last_attended,
            d.upcoming or 0,
            d.next_duty,
        ]
        for d in deputies.iterator(chunk_size=500)
    )
    headers = [
        _("Deputy"),
        _("Level"),
        _("Electoral region"),
        _("Stations served"),
        _("Last attended"),
        _("Scheduled duties coming"),
        _("Next duty"),
    ]
    return xlsx_response(f"{_('Deputies not on duty')}-{today.year}.xlsx", _("Not on duty"), headers, rows)


@staff_required
def pending_attendance(request):
    """Receptions held up to today whose attendance is still to be recorded, for staff and keepers."""
    if not _may_read_reports(request.user):
        raise Http404("no reports")
    receptions = access.awaiting_attendance(request.user, timezone.localdate())
    context = {"page": paginate(request, receptions), "query": query_without_page(request)}
    return render(request, "receptions/report_pending_attendance.html", context)


@staff_required
def campaign_reports(request):
    """The reception days whose report the user may read: published or finished, newest first."""
    if not _may_read_reports(request.user):
        raise Http404("no reports")
    campaigns = (
        access.campaigns_for(request.user)
        .filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.FINISHED])
        .select_related("region")
        .order_by("-date", "-id")
    )
    context = {"page": paginate(request, campaigns), "query": query_without_page(request)}
    return render(request, "receptions/report_campaigns.html", context)
