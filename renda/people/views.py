"""Back-office pages for deputies, CPPCC members and handling units.

Each view: access function → form/action → response. Who may see or change what is decided in access.py only;
anything a user may not reach answers 404, exactly like a missing row.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renda.accounts.decorators import congress_staff_required, staff_required
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip, record
from renda.core.excel import xlsx_response
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate, query_without_page
from renda.exports.jobs import start_export

from . import actions, exports
from .access import (
    assignments,
    can_edit_deputy,
    can_edit_member,
    can_edit_unit,
    can_manage_unit,
    deputies_for,
    get_deputy_for_user,
    get_member_for_user,
    get_unit_for_user,
    may_list_deputies,
    may_list_units,
    members_for,
    units_for,
)
from .forms import (
    DeputyFilterForm,
    DeputyForm,
    MemberFilterForm,
    MemberForm,
    UnitContactForm,
    UnitFilterForm,
    UnitForm,
    region_choices_for,
)
from .panels import deputy_panels
from .rosters import DEPUTY_COLUMNS, MEMBER_COLUMNS, UNIT_COLUMNS, member_row, unit_row


def _list_context(request, form, page):
    is_congress_staff = scope_for(request.user).is_congress_staff
    return {"filter_form": form, "page": page, "query": query_without_page(request), "can_manage": is_congress_staff}


def _form_page(request, form, *, title, cancel_url):
    return render(
        request,
        "people/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "region_choices": region_choices_for(request.user)},
    )


def _deactivate_page(request, obj, *, title, cancel_url):
    return render(request, "people/deactivate.html", {"object": obj, "title": title, "cancel_url": cancel_url})


def _audit_export(request, action):
    # Who took a list of personal data out of the system is a security event (PIPL: log who looked).
    record(request.user, action, changes={"filters": query_without_page(request)}, ip=client_ip(request))


# Deputies

STATION_COUNT = Coalesce(
    Subquery(
        assignments().filter(deputy=OuterRef("pk")).order_by().values("deputy").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    ),
    0,
)


@staff_required
def deputy_list(request):
    if not may_list_deputies(request.user):
        raise Http404("no deputies")
    form = DeputyFilterForm(request.GET, user=request.user)
    deputies = form.filter(deputies_for(request.user)).select_related("electoral_region")
    page = paginate(request, deputies.annotate(station_count=STATION_COUNT))
    context = _list_context(request, form, page)
    return render_page_or_fragment(request, "people/deputy_list.html", context, "people/_deputy_table.html")


@staff_required
def deputy_detail(request, pk):
    deputy = get_deputy_for_user(request.user, pk)
    # The stations served and the reception record come from the apps above, each as this user may see it (panels.py).
    context, panels = deputy_panels(request.user, deputy)
    context |= {"deputy": deputy, "panels": panels, "can_edit": can_edit_deputy(request.user, deputy)}
    return render(request, "people/deputy_detail.html", context)


@congress_staff_required
def deputy_create(request):
    form = DeputyForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        deputy = actions.create_deputy(request.user, form.action_data(), ip=client_ip(request))
        messages.success(request, _("Deputy %(name)s created.") % {"name": deputy.name})
        return redirect("people:deputy_detail", pk=deputy.pk)
    return _form_page(request, form, title=_("New deputy"), cancel_url=reverse("people:deputy_list"))


@staff_required
def deputy_edit(request, pk):
    deputy = get_deputy_for_user(request.user, pk)
    if not can_edit_deputy(request.user, deputy):
        raise Http404("not editable")
    form = DeputyForm(request.POST or None, request.FILES or None, instance=deputy, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_deputy(request.user, deputy, form.action_data(), ip=client_ip(request))
        messages.success(request, _("Changes saved."))
        return redirect("people:deputy_detail", pk=deputy.pk)
    detail_url = reverse("people:deputy_detail", args=[deputy.pk])
    return _form_page(request, form, title=_("Edit deputy %(name)s") % {"name": deputy.name}, cancel_url=detail_url)


@staff_required
def deputy_deactivate(request, pk):
    deputy = get_deputy_for_user(request.user, pk)
    if not can_edit_deputy(request.user, deputy):
        raise Http404("not editable")
    if request.method == "POST":
        actions.deactivate_deputy(request.user, deputy, ip=client_ip(request))
        messages.success(request, _("%(name)s is now inactive.") % {"name": deputy.name})
        return redirect("people:deputy_detail", pk=deputy.pk)
    detail_url = reverse("people:deputy_detail", args=[deputy.pk])
    return _deactivate_page(request, deputy, title=_("Deactivate deputy"), cancel_url=detail_url)


@congress_staff_required
def deputy_export(request):
    deputies = exports.filtered_deputies(request.user, request.GET)
    _audit_export(request, "people.deputy.export")
    limit = settings.EXPORT_SYNC_MAX_ROWS
    if deputies[: limit + 1].count() > limit:  # a long roster is made in the background (renda/exports)
        query = {"query": request.GET.urlencode()}
        job = start_export(request.user, exports.DEPUTIES, _("Deputy roster"), query, exports.DEPUTIES_FILE)
        return redirect("exports:detail", pk=job.pk)
    return xlsx_response(exports.DEPUTIES_FILE, "代表", DEPUTY_COLUMNS, exports.deputy_rows(deputies))


# CPPCC members: only congress staff work with them.


def _sectors(user):
    return list(members_for(user).order_by("sector").values_list("sector", flat=True).distinct())


@congress_staff_required
def member_list(request):
    form = MemberFilterForm(request.GET, user=request.user, sectors=_sectors(request.user))
    members = form.filter(members_for(request.user)).select_related("region")
    context = _list_context(request, form, paginate(request, members))
    return render_page_or_fragment(request, "people/member_list.html", context, "people/_member_table.html")


@congress_staff_required
def member_detail(request, pk):
    member = get_member_for_user(request.user, pk)
    context = {"member": member, "can_edit": can_edit_member(request.user, member)}
    return render(request, "people/member_detail.html", context)


@congress_staff_required
def member_create(request):
    form = MemberForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        member = actions.create_member(request.user, form.action_data(), ip=client_ip(request))
        messages.success(request, _("CPPCC member %(name)s created.") % {"name": member.name})
        return redirect("people:member_detail", pk=member.pk)
    return _form_page(request, form, title=_("New CPPCC member"), cancel_url=reverse("people:member_list"))


@congress_staff_required
def member_edit(request, pk):
    member = get_member_for_user(request.user, pk)
    if not can_edit_member(request.user, member):
        raise Http404("not editable")
    form = MemberForm(request.POST or None, request.FILES or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_member(request.user, member, form.action_data(), ip=client_ip(request))
        messages.success(request, _("Changes saved."))
        return redirect("people:member_detail", pk=member.pk)
    detail_url = reverse("people:member_detail", args=[member.pk])
    title = _("Edit CPPCC member %(name)s") % {"name": member.name}
    return _form_page(request, form, title=title, cancel_url=detail_url)


@congress_staff_required
def member_deactivate(request, pk):
    member = get_member_for_user(request.user, pk)
    if not can_edit_member(request.user, member):
        raise Http404("not editable")
    if request.method == "POST":
        actions.deactivate_member(request.user, member, ip=client_ip(request))
        messages.success(request, _("%(name)s is now inactive.") % {"name": member.name})
        return redirect("people:member_detail", pk=member.pk)
    detail_url = reverse("people:member_detail", args=[member.pk])
    return _deactivate_page(request, member, title=_("Deactivate CPPCC member"), cancel_url=detail_url)


@congress_staff_required
def member_export(request):
    form = MemberFilterForm(request.GET, user=request.user, sectors=_sectors(request.user))
    members = form.filter(members_for(request.user)).select_related("region")
    rows = (member_row(member, phone=member.masked_phone) for member in members.iterator(chunk_size=2000))
    _audit_export(request, "people.member.export")
    return xlsx_response("政协委员名单.xlsx", "委员", MEMBER_COLUMNS, rows)


# Handling units: congress staff manage them; a unit's own staff keep its contact details current.


@staff_required
def unit_list(request):
    if not may_list_units(request.user):
        raise Http404("no units")
    form = UnitFilterForm(request.GET, user=request.user)
    units = form.filter(units_for(request.user)).select_related("region")
    context = _list_context(request, form, paginate(request, units))
    return render_page_or_fragment(request, "people/unit_list.html", context, "people/_unit_table.html")


@staff_required
def unit_detail(request, pk):
    unit = get_unit_for_user(request.user, pk)
    context = {
        "unit": unit,
        "can_edit": can_edit_unit(request.user, unit),
        "can_manage": can_manage_unit(request.user, unit),
    }
    return render(request, "people/unit_detail.html", context)


@congress_staff_required
def unit_create(request):
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = actions.create_unit(request.user, form.action_data(), ip=client_ip(request))
        messages.success(request, _("Handling unit %(name)s created.") % {"name": unit.name})
        return redirect("people:unit_detail", pk=unit.pk)
    return _form_page(request, form, title=_("New handling unit"), cancel_url=reverse("people:unit_list"))


@staff_required
def unit_edit(request, pk):
    unit = get_unit_for_user(request.user, pk)
    manage = can_manage_unit(request.user, unit)
    if not (manage or can_edit_unit(request.user, unit)):
        raise Http404("not editable")
    form_class = UnitForm if manage else UnitContactForm
    form = form_class(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_unit(request.user, unit, form.action_data(), contact_only=not manage, ip=client_ip(request))
        messages.success(request, _("Changes saved."))
        return redirect("people:unit_detail", pk=unit.pk)
    detail_url = reverse("people:unit_detail", args=[unit.pk])
    return _form_page(request, form, title=_("Edit %(name)s") % {"name": unit.name}, cancel_url=detail_url)


@staff_required
def unit_deactivate(request, pk):
    unit = get_unit_for_user(request.user, pk)
    if not can_manage_unit(request.user, unit):
        raise Http404("not editable")
    if request.method == "POST":
        actions.deactivate_unit(request.user, unit, ip=client_ip(request))
        messages.success(request, _("%(name)s is now inactive.") % {"name": unit.name})
        return redirect("people:unit_detail", pk=unit.pk)
    detail_url = reverse("people:unit_detail", args=[unit.pk])
    return _deactivate_page(request, unit, title=_("Deactivate handling unit"), cancel_url=detail_url)


@congress_staff_required
def unit_export(request):
    form = UnitFilterForm(request.GET, user=request.user)
    units = form.filter(units_for(request.user)).select_related("region")
    rows = (unit_row(unit, phone=unit.masked_phone) for unit in units.iterator(chunk_size=2000))
    _audit_export(request, "people.unit.export")
    return xlsx_response("承办单位名单.xlsx", "承办单位", UNIT_COLUMNS, rows)
