"""Station back office: thin views over access functions (reads) and actions (writes)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import congress_staff_required, staff_required
from renda.accounts.region_access import get_region_for_user, regions_for
from renda.audit.actions import client_ip, record
from renda.core.excel import percent, xlsx_response
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate, query_without_page
from renda.people.access import deputies_for
from renda.regions.models import VILLAGE_KINDS, ancestor_codes

from . import actions
from .access import (
    can_assign_deputies,
    can_assign_members,
    can_edit_station,
    can_manage_station,
    get_assignment_for_user,
    get_editable_station,
    get_managed_station,
    get_member_assignment_for_user,
    get_photo_for_user,
    get_station_for_user,
    may_create_stations,
    may_list_stations,
    stations_for,
)
from .coverage import coverage
from .forms import AssignForm, CaptionForm, MemberAssignForm, PhotoForm, StationFilterForm, StationForm
from .models import Assignment, StationKind
from .rosters import STATION_COLUMNS, station_row

REGION_OPTIONS_LIMIT = 1000


def _region_options(user):
    """Regions offered in code inputs (a datalist): county and town level, enough to pick without typing codes."""
    return (
        regions_for(user)
        .exclude(kind__in=[str(kind) for kind in VILLAGE_KINDS])
        .only("code", "name")[:REGION_OPTIONS_LIMIT]
    )


def _filtered(request):
    user = request.user
    if not may_list_stations(user):
        raise Http404("no stations here")
    form = StationFilterForm(request.GET, user=user)
    return form, form.filter(stations_for(user)).select_related("region")


@staff_required
def station_list(request):
    form, stations = _filtered(request)
    # Subqueries rather than a join + GROUP BY: the page's count query then drops them and stays a plain count.
    head = Assignment.objects.filter(station=OuterRef("pk"), is_head=True).values("deputy__name")[:1]
    count = (
        Assignment.objects.filter(station=OuterRef("pk"))
        .order_by()
        .values("station")
        .annotate(n=Count("pk"))
        .values("n")
    )
    stations = stations.annotate(deputy_count=Coalesce(Subquery(count), 0), head_name=Subquery(head)).order_by(
        "name", "id"
    )
    context = {
        "form": form,
        "page": paginate(request, stations),
        "query": query_without_page(request),
        "region_options": _region_options(request.user) if not getattr(request, "htmx", False) else (),
        "may_create": may_create_stations(request.user),
    }
    return render_page_or_fragment(request, "stations/list.html", context, "stations/_table.html")


@staff_required
def station_export(request):
    form, stations = _filtered(request)
    record(request.user, "stations.export", changes={"filters": request.GET.urlencode()}, ip=client_ip(request))
    assignments = Assignment.objects.select_related("deputy").only("station_id", "is_head", "deputy__public_code")
    stations = stations.prefetch_related(Prefetch("assignments", queryset=assignments)).order_by("name", "id")

    def rows():
        for station in stations.iterator(chunk_size=500):
            codes = [a.deputy.public_code for a in station.assignments.all()]
            head = next((a.deputy.public_code for a in station.assignments.all() if a.is_head), "")
            yield station_row(station, codes, head)

    filename = f"{_('Stations')}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(filename, _("Stations"), STATION_COLUMNS, rows())


def _detail_context(request, station, **extra):
    user = request.user
    may_assign = can_assign_deputies(user, station)
    assignments = station.assignments.select_related("deputy").order_by("-is_head", "deputy__name", "deputy_id")
    context = {
        "station": station,
        "assignments": assignments,
        "photos": station.photos.all(),
        # A members' studio (委员工作室): the CPPCC members on duty there.
        "is_studio": station.kind == StationKind.STUDIO,
        "member_assignments": station.member_assignments.select_related("member").order_by("member__name", "id"),
        "may_assign_members": station.kind == StationKind.STUDIO and can_assign_members(user, station),
        "member_form": MemberAssignForm(station=station) if station.kind == StationKind.STUDIO else None,
        "may_edit": can_edit_station(user, station),
        "may_manage": can_manage_station(user, station),
        "may_assign": may_assign,
        "max_photos": actions.MAX_PHOTOS,
        "photo_form": PhotoForm(),
        "dq": request.GET.get("dq", "").strip(),
        # The public app serves the station at /s/<code>/; the full address is what goes on posters and QR codes.
        "public_url": f"{settings.PUBLIC_BASE_URL}/s/{station.public_code}/",
    }
    if may_assign and context["dq"]:
        context["candidates"] = _candidates(user, station, context["dq"])
    context.update(extra)
    return context


def _candidates(user, station, text):
    return (
        deputies_for(user)
        .filter(name__icontains=text, is_active=True)
        .exclude(assignments__station=station)
        .select_related("electoral_region")
        .order_by("name", "id")[:20]
    )


@staff_required
def station_detail(request, pk):
    station = get_station_for_user(request.user, pk)
    return render(request, "stations/detail.html", _detail_context(request, station))


@congress_staff_required
def station_create(request):
    form = StationForm(request.POST or None, user=request.user, initial={"region": request.GET.get("region", "")})
    if request.method == "POST" and form.is_valid():
        try:
            station = actions.create_station(request.user, form.station_data(), ip=client_ip(request))
        except IntegrityError:  # the same name saved meanwhile by someone else
            form.add_error("name", _("This region already has a station with this name."))
        else:
            messages.success(request, _("Station created."))
            return redirect("stations:detail", pk=station.pk)
    context = {"form": form, "region_options": _region_options(request.user)}
    return render(request, "stations/form.html", context)


@staff_required
def station_edit(request, pk):
    station = get_editable_station(request.user, pk)
    profile_only = not can_manage_station(request.user, station)
    form = StationForm(request.POST or None, user=request.user, station=station, profile_only=profile_only)
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.update_station(request.user, station, form.station_data(), ip=client_ip(request))
        except IntegrityError:
            form.add_error("name", _("This region already has a station with this name."))
        else:
            messages.success(request, _("Station saved.") if changes else _("Nothing changed."))
            return redirect("stations:detail", pk=station.pk)
    context = {
        "form": form,
        "station": station,
        "profile_only": profile_only,
        "region_options": () if profile_only else _region_options(request.user),
    }
    return render(request, "stations/form.html", context)


@require_POST
@staff_required
def station_deactivate(request, pk):
    station = get_managed_station(request.user, pk)
    actions.deactivate_station(request.user, station, ip=client_ip(request))
    messages.success(request, _("Station deactivated."))
    return redirect("stations:detail", pk=station.pk)


@require_POST
@staff_required
def station_reactivate(request, pk):
    station = get_managed_station(request.user, pk)
    actions.reactivate_station(request.user, station, ip=client_ip(request))
    messages.success(request, _("Station reactivated."))
    return redirect("stations:detail", pk=station.pk)


@staff_required
def deputy_candidates(request, pk):
    """htmx autocomplete: deputies in the user's scope, by name, not yet serving here."""
    station = get_managed_station(request.user, pk)
    text = request.GET.get("dq", "").strip()
    candidates = _candidates(request.user, station, text) if text else ()
    return render(request, "stations/_candidates.html", {"station": station, "candidates": candidates, "dq": text})


@require_POST
@staff_required
def assign(request, pk):
    station = get_managed_station(request.user, pk)
    form = AssignForm(request.POST, user=request.user, station=station)
    if form.is_valid():
        deputy = form.cleaned_data["deputy"]
        try:
            actions.assign_deputy(
                request.user, station, deputy, is_head=form.cleaned_data["is_head"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s now serves at this station.") % {"name": deputy.name})
            return redirect("stations:detail", pk=station.pk)
    context = _detail_context(request, station, assign_errors=form.errors.values())
    return render(request, "stations/detail.html", context, status=400)


@require_POST
@staff_required
def unassign(request, pk, assignment_pk):
    station = get_managed_station(request.user, pk)
    assignment = get_assignment_for_user(request.user, station, assignment_pk)
    actions.unassign_deputy(request.user, assignment, ip=client_ip(request))
    messages.success(request, _("%(name)s no longer serves at this station.") % {"name": assignment.deputy.name})
    return redirect("stations:detail", pk=station.pk)


@require_POST
@staff_required
def assign_member(request, pk):
    station = get_station_for_user(request.user, pk)
    if not can_assign_members(request.user, station):
        raise Http404("no such station")
    form = MemberAssignForm(request.POST, station=station)
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            actions.assign_member(request.user, station, member, ip=client_ip(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is now on duty at this studio.") % {"name": member.name})
            return redirect("stations:detail", pk=station.pk)
    context = _detail_context(request, station, member_errors=form.errors.values())
    return render(request, "stations/detail.html", context, status=400)


@require_POST
@staff_required
def unassign_member(request, pk, member_assignment_pk):
    station = get_station_for_user(request.user, pk)
    assignment = get_member_assignment_for_user(request.user, station, member_assignment_pk)
    actions.unassign_member(request.user, assignment, ip=client_ip(request))
    messages.success(request, _("%(name)s is no longer on duty at this studio.") % {"name": assignment.member.name})
    return redirect("stations:detail", pk=station.pk)


@require_POST
@staff_required
def set_head(request, pk, assignment_pk):
    station = get_managed_station(request.user, pk)
    assignment = get_assignment_for_user(request.user, station, assignment_pk)
    actions.set_head(request.user, assignment, ip=client_ip(request))
    messages.success(request, _("%(name)s is now the station head.") % {"name": assignment.deputy.name})
    return redirect("stations:detail", pk=station.pk)


@require_POST
@staff_required
def photo_add(request, pk):
    station = get_editable_station(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_photo(
                request.user,
                station,
                form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("image", error)
        else:
            messages.success(request, _("Photo added."))
            return redirect("stations:detail", pk=station.pk)
    return render(request, "stations/detail.html", _detail_context(request, station, photo_form=form), status=400)


@require_POST
@staff_required
def photo_delete(request, pk, photo_pk):
    station = get_editable_station(request.user, pk)
    photo = get_photo_for_user(request.user, station, photo_pk)
    actions.remove_photo(request.user, photo, ip=client_ip(request))
    messages.success(request, _("Photo removed."))
    return redirect("stations:detail", pk=station.pk)


@require_POST
@staff_required
def photo_caption(request, pk, photo_pk):
    station = get_editable_station(request.user, pk)
    photo = get_photo_for_user(request.user, station, photo_pk)
    form = CaptionForm(request.POST)
    if form.is_valid():
        actions.set_photo_caption(request.user, photo, form.cleaned_data["caption"], ip=client_ip(request))
        messages.success(request, _("Caption saved."))
    else:
        messages.error(request, _("The caption is too long."))
    return redirect("stations:detail", pk=station.pk)


def _coverage_region(request):
    code = request.GET.get("region", "").strip()
    if code:
        return get_region_for_user(request.user, code)
    region = regions_for(request.user).order_by("depth", "path").first()
    if region is None:
        raise Http404("no region")
    return region


@congress_staff_required
def coverage_view(request):
    region = _coverage_region(request)
    rows, total = coverage(region)
    codes = ancestor_codes(region.path)
    context = {
        "region": region,
        "rows": rows,
        "total": total,
        "breadcrumbs": regions_for(request.user).filter(code__in=codes).order_by("depth"),
        "region_options": _region_options(request.user),
    }
    return render(request, "stations/coverage.html", context)


def _fraction(share: float | None) -> float | str:
    """A share in percent (25.3) as the fraction a percentage cell holds (0.253); no share stays empty."""
    return "" if share is None else round(share / 100, 4)


@congress_staff_required
def coverage_export(request):
    region = _coverage_region(request)
    rows, total = coverage(region)
    headers = [
        _("Region code"),
        _("Region"),
        _("Towns and streets"),
        _("With a station"),
        percent(_("Share %")),
        _("Villages and communities"),
        _("Covered"),
        percent(_("Share %")),
        _("Deputies' homes"),
        _("Liaison stations"),
        _("Contact points"),
        _("Deputies"),
        _("Deputies per station"),
    ]

    def line(row, code, name):
        return [
            code,
            name,
            row.towns,
            row.towns_covered,
            _fraction(row.town_share),
            row.villages,
            row.villages_covered,
            _fraction(row.village_share),
            row.home,
            row.liaison,
            row.point,
            row.deputies,
            row.deputies_per_station,
        ]

    lines = [line(row, row.region.code, row.region.name) for row in rows]
    lines.append(line(total, region.code, _("Total")))
    filename = f"{_('Station coverage')}-{region.name}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(filename, _("Station coverage"), headers, lines)
