"""Reception-day back office (统一接待日): thin views over access.py (reads) and actions/ (writes).

Every page is for congress staff. A day outside the user's scope is missing (404); a day they see but do not manage
(a city's day seen by a district) shows their own stations only, and its settings, planning and publishing are
missing for them. A refused change comes back as a message on the page it came from; nothing is half-written.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import congress_staff_required
from renda.accounts.region_access import regions_for
from renda.audit.actions import client_ip
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate, query_without_page
from renda.people.access import deputies_for
from renda.regions.models import VILLAGE_KINDS, paths_q
from renda.stations.access import stations_for

from .. import actions, rules
from ..access import (
    campaign_duties,
    campaigns_for,
    can_edit_station_duties,
    can_manage_campaign,
    get_campaign_for_user,
    get_managed_campaign,
    may_create_campaigns,
)
from ..conflicts import find_conflicts, region_deputies, station_counts
from ..forms.campaign import CampaignForm, DeputyChoiceForm, MoveForm, RemoveDutyForm, SearchForm, UnavailabilityForm
from ..models import Duty
from ..workflow import EDITABLE, CampaignAction, CampaignStatus, allowed

SEARCH_LIMIT = 20
REGION_OPTIONS_LIMIT = 1000


def _region_options(user):
    return (
        regions_for(user)
        .exclude(kind__in=[str(kind) for kind in VILLAGE_KINDS])
        .only("code", "name")[:REGION_OPTIONS_LIMIT]
    )


def _refused(request, error: ValidationError):
    for text in error.messages:
        messages.error(request, text)


def _campaign(request, campaign_pk):
    return get_campaign_for_user(request.user, campaign_pk)


def _station_in_campaign(request, campaign, station_pk):
    """A station the user sees, inside the day's region; anything else is missing."""
    station = stations_for(request.user).filter(pk=station_pk).select_related("region").first()
    if station is None or not rules.station_in_region(station, campaign):
        raise Http404("no such station in this reception day")
    return station


def _duty(request, campaign, duty_pk) -> Duty:
    duty = (
        campaign_duties(request.user, campaign)
        .filter(pk=duty_pk)
        .select_related("deputy", "reception__station__region")
        .first()
    )
    if duty is None:
        raise Http404("no such duty")
    return duty


def _deputy(request, deputy_pk):
    deputy = deputies_for(request.user).filter(pk=deputy_pk).select_related("electoral_region").first()
    if deputy is None:
        raise Http404("no such deputy")
    return deputy


# --- the days --------------------------------------------------------------------------------------------------------


@congress_staff_required
def campaign_list(request):
    campaigns = campaigns_for(request.user).select_related("region").order_by("-date", "-id")
    context = {"page": paginate(request, campaigns), "may_create": may_create_campaigns(request.user)}
    return render(request, "receptions/campaign_list.html", context)


@congress_staff_required
def campaign_create(request):
    if not may_create_campaigns(request.user):
        raise Http404("no campaigns here")
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(request.user, form.campaign_data(), ip=client_ip(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reception day created. Propose assignments when the region is ready."))
            return redirect("receptions:campaign_detail", campaign_pk=campaign.pk)
    context = {"form": form, "region_options": _region_options(request.user)}
    return render(request, "receptions/campaign_form.html", context)


@congress_staff_required
def campaign_edit(request, campaign_pk):
    campaign = get_managed_campaign(request.user, campaign_pk)
    if campaign.status not in EDITABLE:
        messages.error(request, _("This reception day is finished; nothing about it can change any more."))
        return redirect("receptions:campaign_detail", campaign_pk=campaign.pk)
    form = CampaignForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.update_campaign(
                request.user,
                campaign,
                form.campaign_data(),
                version=form.cleaned_data["version"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reception day saved.") if changes else _("Nothing changed."))
            return redirect("receptions:campaign_detail", campaign_pk=campaign.pk)
    context = {"form": form, "campaign": campaign, "region_options": _region_options(request.user)}
    return render(request, "receptions/campaign_form.html", context)


@congress_staff_required
def campaign_detail(request, campaign_pk):
    campaign = _campaign(request, campaign_pk)
    user = request.user
    search = SearchForm(request.GET)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    stations = station_counts(user, campaign)
    if text:
        stations = stations.filter(name__icontains=text)
    stations = stations.order_by("-duty_count", "region__path", "name", "id")
    context = {
        "campaign": campaign,
        "may_manage": can_manage_campaign(user, campaign),
        "editable": campaign.status in EDITABLE,
        "may_plan": allowed(CampaignAction.PLAN, campaign.status),
        "may_publish": allowed(CampaignAction.PUBLISH, campaign.status),
        "may_finish": allowed(CampaignAction.FINISH, campaign.status),
        "duty_count": campaign_duties(user, campaign).count(),
        "unavailable_count": campaign.unavailabilities.filter(deputy__in=deputies_for(user).values("pk")).count(),
        "page": paginate(request, stations),
        "query": query_without_page(request),
        "q": text,
    }
    return render_page_or_fragment(
        request, "receptions/campaign_detail.html", context, "receptions/campaign_stations.html"
    )


def _manage_post(request, campaign_pk, run, success):
    campaign = get_managed_campaign(request.user, campaign_pk)
    try:
        result = run(campaign)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, success(result))
    return redirect("receptions:campaign_detail", campaign_pk=campaign.pk)


@require_POST
@congress_staff_required
def campaign_plan(request, campaign_pk):
    def success(plan):
        return _(
            "%(assigned)d deputies proposed at %(stations)d stations; %(unassigned)d left unassigned, "
            "%(towns)d towns without a deputy."
        ) % {
            "assigned": len(plan.assignments),
            "stations": len(set(plan.assignments.values())),
            "unassigned": len(plan.unassigned),
            "towns": len(plan.uncovered_towns),
        }

    return _manage_post(
        request, campaign_pk, lambda c: actions.plan_campaign(c, request.user, ip=client_ip(request)), success
    )


@require_POST
@congress_staff_required
def campaign_publish(request, campaign_pk):
    return _manage_post(
        request,
        campaign_pk,
        lambda c: actions.publish_campaign(request.user, c, ip=client_ip(request)),
        lambda queued: _("Published; %(count)d messages to deputies queued.") % {"count": queued},
    )


@require_POST
@congress_staff_required
def campaign_finish(request, campaign_pk):
    return _manage_post(
        request,
        campaign_pk,
        lambda c: actions.finish_campaign(request.user, c, ip=client_ip(request)),
        lambda absent: _("Finished; %(count)d deputies who did not check in are recorded absent.") % {"count": absent},
    )


@congress_staff_required
def campaign_conflicts(request, campaign_pk):
    campaign = _campaign(request, campaign_pk)
    context = {
        "campaign": campaign,
        "conflicts": find_conflicts(request.user, campaign),
        "editable": campaign.status in EDITABLE,
    }
    return render(request, "receptions/campaign_conflicts.html", context)


# --- by station ------------------------------------------------------------------------------------------------------


@congress_staff_required
def campaign_station(request, campaign_pk, station_pk):
    campaign = _campaign(request, campaign_pk)
    station = _station_in_campaign(request, campaign, station_pk)
    reception = campaign.receptions.filter(station=station).first()
    duties = (
        reception.duties.select_related("deputy__electoral_region").order_by("deputy__name", "id") if reception else []
    )
    text = request.GET.get("dq", "").strip()[:60]
    context = {
        "campaign": campaign,
        "station": station,
        "reception": reception,
        "duties": duties,
        "may_adjust": campaign.status in EDITABLE and can_edit_station_duties(request.user, station),
        "dq": text,
        "candidates": _deputy_candidates(request.user, campaign, text) if text else [],
    }
    return render_page_or_fragment(
        request, "receptions/campaign_station.html", context, "receptions/campaign_candidates.html"
    )


def _deputy_candidates(user, campaign, text):
    """Deputies the user sees, by name, each with where they are this day (if anywhere)."""
    current = Duty.objects.filter(campaign=campaign, deputy=OuterRef("pk")).values("reception__station__name")[:1]
    unavailable = campaign.unavailabilities.filter(deputy=OuterRef("pk")).values("reason")[:1]
    return (
        deputies_for(user)
        .filter(name__icontains=text, is_active=True)
        .annotate(current_station=Subquery(current), unavailable_reason=Subquery(unavailable))
        .select_related("electoral_region")
        .order_by("name", "id")[:SEARCH_LIMIT]
    )


@require_POST
@congress_staff_required
def campaign_add_duty(request, campaign_pk, station_pk):
    campaign = _campaign(request, campaign_pk)
    station = _station_in_campaign(request, campaign, station_pk)
    form = DeputyChoiceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            actions.add_duty(request.user, campaign, station, form.cleaned_data["deputy"], ip=client_ip(request))
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("%(name)s is on duty here.") % {"name": form.cleaned_data["deputy"].name})
    else:
        _refused(request, ValidationError(form.errors["deputy"] if "deputy" in form.errors else form.errors))
    return redirect("receptions:campaign_station", campaign_pk=campaign.pk, station_pk=station.pk)


@require_POST
@congress_staff_required
def campaign_remove_duty(request, campaign_pk, duty_pk):
    campaign = _campaign(request, campaign_pk)
    duty = _duty(request, campaign, duty_pk)
    form = RemoveDutyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page: the form lacks where the deputy was."))
    else:
        try:
            actions.remove_duty(
                request.user,
                campaign,
                duty,
                expected_reception_id=form.cleaned_data["expected_reception"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("%(name)s is no longer on duty there.") % {"name": duty.deputy.name})
    return redirect("receptions:campaign_station", campaign_pk=campaign.pk, station_pk=duty.reception.station_id)


# --- by deputy -------------------------------------------------------------------------------------------------------


@congress_staff_required
def campaign_deputies(request, campaign_pk):
    """The region's deputies (those the user sees) with where each one is this day; searchable by name."""
    campaign = _campaign(request, campaign_pk)
    user = request.user
    search = SearchForm(request.GET)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    current = Duty.objects.filter(campaign=campaign, deputy=OuterRef("pk")).values("reception__station__name")[:1]
    unavailable = campaign.unavailabilities.filter(deputy=OuterRef("pk")).values("reason")[:1]
    deputies = (
        region_deputies(campaign)
        .filter(pk__in=deputies_for(user).values("pk"))
        .annotate(current_station=Subquery(current), unavailable_reason=Subquery(unavailable))
        .select_related("electoral_region")
        .order_by("name", "id")
    )
    if text:
        deputies = deputies.filter(name__icontains=text)
    context = {
        "campaign": campaign,
        "page": paginate(request, deputies),
        "query": query_without_page(request),
        "q": text,
    }
    return render_page_or_fragment(
        request, "receptions/campaign_deputies.html", context, "receptions/campaign_deputy_rows.html"
    )


@congress_staff_required
def campaign_deputy(request, campaign_pk, deputy_pk):
    campaign = _campaign(request, campaign_pk)
    deputy = _deputy(request, deputy_pk)
    user = request.user
    duties = list(Duty.objects.filter(campaign=campaign, deputy=deputy).select_related("reception__station__region"))
    for duty in duties:
        duty.may_adjust = campaign.status in EDITABLE and can_edit_station_duties(user, duty.reception.station)
    text = request.GET.get("sq", "").strip()[:60]
    stations = []
    if text:
        stations = (
            stations_for(user)
            .filter(
                paths_q(campaign.region.subtree_prefixes(), "region__path"),
                Q(name__icontains=text) | Q(region__name__icontains=text),
                is_active=True,
            )
            .select_related("region")
            .order_by("name", "id")[:SEARCH_LIMIT]
        )
    context = {
        "campaign": campaign,
        "deputy": deputy,
        "duties": duties,
        "duty": duties[0] if len(duties) == 1 else None,
        "unavailability": campaign.unavailabilities.filter(deputy=deputy).first(),
        "editable": campaign.status in EDITABLE,
        "sq": text,
        "stations": stations,
        "unavailability_form": UnavailabilityForm(),
    }
    return render_page_or_fragment(
        request, "receptions/campaign_deputy.html", context, "receptions/campaign_station_choices.html"
    )


@require_POST
@congress_staff_required
def campaign_move_duty(request, campaign_pk, duty_pk):
    campaign = _campaign(request, campaign_pk)
    duty = _duty(request, campaign, duty_pk)
    form = MoveForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    else:
        try:
            actions.move_duty(
                request.user,
                campaign,
                duty,
                form.cleaned_data["station"],
                expected_reception_id=form.cleaned_data["expected_reception"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("%(name)s now goes to %(station)s.")
                % {"name": duty.deputy.name, "station": form.cleaned_data["station"].name},
            )
    return redirect("receptions:campaign_deputy", campaign_pk=campaign.pk, deputy_pk=duty.deputy_id)


@require_POST
@congress_staff_required
def campaign_unavailable(request, campaign_pk, deputy_pk):
    campaign = _campaign(request, campaign_pk)
    deputy = _deputy(request, deputy_pk)
    form = UnavailabilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the deputy cannot come."))
    else:
        try:
            actions.add_unavailability(
                request.user, campaign, deputy, form.cleaned_data["reason"], ip=client_ip(request)
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            if campaign.status == CampaignStatus.PUBLISHED:
                messages.warning(
                    request, _("Recorded. Their duty stays until you move or remove it; it is listed under conflicts.")
                )
            else:
                messages.success(request, _("Recorded; they are left out of the plan."))
    return redirect("receptions:campaign_deputy", campaign_pk=campaign.pk, deputy_pk=deputy.pk)


@require_POST
@congress_staff_required
def campaign_available(request, campaign_pk, deputy_pk):
    campaign = _campaign(request, campaign_pk)
    deputy = _deputy(request, deputy_pk)
    item = campaign.unavailabilities.filter(deputy=deputy).first()
    if item is None:
        raise Http404("no such unavailability")
    try:
        actions.remove_unavailability(request.user, campaign, item, ip=client_ip(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s can be planned again.") % {"name": deputy.name})
    return redirect("receptions:campaign_deputy", campaign_pk=campaign.pk, deputy_pk=deputy.pk)
