"""Duty roster back office: a station's slots and coming receptions, one-off receptions, cancelling.

Congress staff of the station's region change the roster; the station's keeper sees it. Reads go through access.py
(outside scope → 404), writes through actions/roster.py.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.audit.actions import client_ip
from renda.core.paging import paginate, query_without_page
from renda.workdays.calendar import current_calendar

from .. import rules
from ..access import (
    can_edit_station_duties,
    get_reception_for_user,
    get_roster_station,
    get_slot_for_user,
    roster_stations,
)
from ..actions import roster
from ..forms.roster import CancelForm, DeputiesForm, OneOffForm, SlotForm
from ..models import Duty, Reception, RosterSlot
from ..slots import slot_dates
from ..workflow import ReceptionKind, ReceptionStatus


def _managed_station(user, pk):
    station = get_roster_station(user, pk)
    if not can_edit_station_duties(user, station):
        raise Http404("no such station")
    return station


def _managed_slot(user, pk):
    slot = get_slot_for_user(user, pk)
    if not can_edit_station_duties(user, slot.station):
        raise Http404("no such roster slot")
    return slot


def _managed_reception(user, pk):
    reception = get_reception_for_user(user, pk)
    if not can_edit_station_duties(user, reception.station):
        raise Http404("no such reception")
    return reception


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _count(queryset):
    return queryset.order_by().values("station").annotate(n=Count("pk")).values("n")


@staff_required
def roster_list(request):
    """The user's stations with their active slots and coming receptions: where rosters exist and where not."""
    q = request.GET.get("q", "").strip()[:100]
    today = rules.today()
    stations = roster_stations(request.user).filter(is_active=True).select_related("region")
    if q:
        stations = stations.filter(name__icontains=q)
    # Subqueries rather than joins + GROUP BY: the page's count query drops them and stays a plain count.
    slots = RosterSlot.objects.filter(station=OuterRef("pk"), is_active=True)
    coming = Reception.objects.filter(station=OuterRef("pk"), date__gte=today, status=ReceptionStatus.SCHEDULED)
    stations = stations.annotate(
        slot_count=Coalesce(Subquery(_count(slots)), 0), upcoming_count=Coalesce(Subquery(_count(coming)), 0)
    ).order_by("region__path", "name", "id")
    context = {"page": paginate(request, stations), "query": query_without_page(request), "q": q}
    return render(request, "receptions/roster_list.html", context)


@staff_required
def roster_station(request, station_pk):
    station = get_roster_station(request.user, station_pk)
    today = rules.today()
    calendar = current_calendar()
    slots = list(station.roster_slots.prefetch_related("deputies").order_by("-is_active", "weekday", "starts", "id"))
    for slot in slots:
        # Holidays the slot skips within the schedule horizon, so staff see why a week has no reception.
        slot.skipped = slot_dates(slot, today, rules.horizon_end(today), calendar)[1] if slot.is_active else []
    duties = Duty.objects.select_related("deputy").only("reception_id", "deputy__name", "attendance")
    receptions = (
        station.receptions.filter(date__gte=today)
        .prefetch_related(Prefetch("duties", queryset=duties.order_by("deputy__name", "id"), to_attr="on_duty"))
        .order_by("date", "starts", "id")[:100]
    )
    context = {
        "station": station,
        "slots": slots,
        "receptions": receptions,
        "may_manage": can_edit_station_duties(request.user, station),
        "publish_days": settings.RECEPTION_PUBLISH_DAYS,
        "horizon_end": rules.horizon_end(today),
    }
    return render(request, "receptions/roster_station.html", context)


@staff_required
def roster_slot_create(request, station_pk):
    station = _managed_station(request.user, station_pk)
    form = SlotForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        slot, result = roster.create_slot(
            request.user, station, form.slot_data(), form.cleaned_data["deputies"], ip=client_ip(request)
        )
        messages.success(
            request, _("Roster slot created; %(count)d receptions published.") % {"count": result.receptions}
        )
        return redirect("receptions:roster_station", station_pk=station.pk)
    return render(request, "receptions/roster_form.html", {"form": form, "station": station, "slot": None})


@staff_required
def roster_slot_edit(request, slot_pk):
    slot = _managed_slot(request.user, slot_pk)
    form = SlotForm(request.POST or None, station=slot.station, slot=slot)
    if request.method == "POST" and form.is_valid():
        changes, result = roster.update_slot(
            request.user, slot, form.slot_data(), form.cleaned_data["deputies"], ip=client_ip(request)
        )
        messages.success(request, _("Roster slot saved.") if changes else _("Nothing changed."))
        return redirect("receptions:roster_station", station_pk=slot.station_id)
    context = {"form": form, "station": slot.station, "slot": slot}
    return render(request, "receptions/roster_form.html", context)


@require_POST
@staff_required
def roster_slot_deactivate(request, slot_pk):
    slot = _managed_slot(request.user, slot_pk)
    roster.deactivate_slot(request.user, slot, ip=client_ip(request))
    messages.success(request, _("Roster slot stopped; its later receptions are cancelled."))
    return redirect("receptions:roster_station", station_pk=slot.station_id)


@staff_required
def roster_one_off_create(request, station_pk):
    station = _managed_station(request.user, station_pk)
    form = OneOffForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            reception = roster.add_one_off(
                request.user, station, form.one_off_data(), form.cleaned_data["deputies"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reception added and published."))
            return redirect("receptions:roster_reception", reception_pk=reception.pk)
    return render(request, "receptions/roster_one_off.html", {"form": form, "station": station})


def _reception_context(request, reception, **extra):
    may_manage = can_edit_station_duties(request.user, reception.station) and reception.kind != ReceptionKind.CAMPAIGN
    open_ = reception.status == ReceptionStatus.SCHEDULED and reception.date >= rules.today()
    context = {
        "reception": reception,
        "duties": reception.duties.select_related("deputy").order_by("deputy__name", "id"),
        "may_cancel": may_manage and open_,
        "may_edit_deputies": may_manage and open_ and reception.kind == ReceptionKind.ONE_OFF,
    }
    if context["may_cancel"]:
        context["cancel_form"] = CancelForm()
    if context["may_edit_deputies"]:
        context["deputies_form"] = DeputiesForm(station=reception.station, reception=reception)
    context.update(extra)
    return context


@staff_required
def roster_reception(request, reception_pk):
    reception = get_reception_for_user(request.user, reception_pk)
    return render(request, "receptions/roster_reception.html", _reception_context(request, reception))


@require_POST
@staff_required
def roster_reception_cancel(request, reception_pk):
    reception = _managed_reception(request.user, reception_pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            _reception, queued = roster.cancel_reception(
                request.user, reception, form.cleaned_data["reason"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reception cancelled; %(count)d messages queued.") % {"count": queued})
            return redirect("receptions:roster_reception", reception_pk=reception.pk)
    context = _reception_context(request, reception, cancel_form=form)
    return render(request, "receptions/roster_reception.html", context, status=400)


@require_POST
@staff_required
def roster_reception_deputies(request, reception_pk):
    reception = _managed_reception(request.user, reception_pk)
    form = DeputiesForm(request.POST, station=reception.station)
    if form.is_valid():
        try:
            changed = roster.set_one_off_deputies(
                request.user, reception, form.cleaned_data["deputies"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Deputies on duty saved.") if changed else _("Nothing changed."))
            return redirect("receptions:roster_reception", reception_pk=reception.pk)
    context = _reception_context(request, reception, deputies_form=form)
    return render(request, "receptions/roster_reception.html", context, status=400)
