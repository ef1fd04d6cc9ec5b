"""On the day: the deputy's phone pages (my receptions, one duty with check-in, visitors, opinions on a visitor's
behalf) and the live board of a reception day. Thin views: access → action → response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip
from renda.core.geo import format_distance
from renda.core.htmx import render_page_or_fragment
from renda.opinions.public_forms import new_client_token

from .. import rules
from ..access import (
    campaigns_for,
    get_campaign_for_user,
    get_own_absence,
    get_own_duty,
    own_absences,
    own_deputy,
    own_duties,
)
from ..actions import absences, onsite
from ..actions import unavailability as campaign_actions
from ..board import board_for
from ..forms.onsite import AbsenceForm, BehalfOpinionForm, CannotComeForm, CheckInForm, VisitForm
from ..models import ReceptionOpinion, Unavailability
from ..workflow import CampaignStatus, ReceptionStatus

HISTORY = 10
COMING = 20


@staff_required
def my_duties(request):
    """Today's receptions first, then the coming ones, then a short history. Empty for anyone who is not a deputy."""
    today = rules.china_today()
    duties = own_duties(request.user).select_related("reception__station", "reception__campaign")
    return render(
        request,
        "receptions/onsite_my_duties.html",
        {
            "is_deputy": bool(scope_for(request.user).deputy_ids),
            "today_duties": list(duties.filter(reception__date=today).order_by("reception__starts", "pk")),
            "coming": list(
                duties.filter(reception__date__gt=today, reception__status=ReceptionStatus.SCHEDULED).order_by(
                    "reception__date", "reception__starts", "pk"
                )[:COMING]
            ),
            "history": list(
                duties.filter(reception__date__lt=today).order_by("-reception__date", "-reception__starts", "-pk")[
                    :HISTORY
                ]
            ),
        },
    )


def checkin_distance_label(duty) -> str:
    """How far from the station the deputy checked in, in the one distance format of renda.core.geo (the card and
    the check-in message say the same)."""
    if duty.checkin_distance is None:
        return ""
    return format_distance(duty.checkin_distance / 1000)


def _duty_page(
    request, duty, *, checkin_form=None, visit_form=None, opinion_form=None, cannot_come_form=None, status=200
):
    today = rules.china_today()
    reception = duty.reception
    declined = (
        Unavailability.objects.filter(campaign_id=duty.campaign_id, deputy_id=duty.deputy_id).first()
        if duty.campaign_id
        else None
    )
    return render(
        request,
        "receptions/onsite_duty.html",
        {
            "duty": duty,
            "reception": reception,
            "checkin_distance": checkin_distance_label(duty),
            "is_today": reception.date == today,
            "is_open": rules.closed_reason(duty) is None,
            "checkin_form": checkin_form or CheckInForm(),
            "visit_form": visit_form or VisitForm(),
            "opinion_form": opinion_form or BehalfOpinionForm(initial={"client_token": new_client_token()}),
            "visits": list(duty.visits.order_by("created", "pk")),
            # A published day's duty may be declined ahead of the day; once declined, it says so.
            "may_decline": not declined and rules.decline_problem(duty, today) is None,
            "declined": declined,
            "cannot_come_form": cannot_come_form or CannotComeForm(),
            "opinions": list(
                ReceptionOpinion.objects.filter(duty=duty).select_related("opinion__category").order_by("created", "pk")
            ),
        },
        status=status,
    )


@staff_required
def my_duty(request, duty_pk):
    return _duty_page(request, get_own_duty(request.user, duty_pk))


def _refused(request, duty, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect("receptions:my_duty", duty_pk=duty.pk)


@require_POST
@staff_required
def check_in(request, duty_pk):
    duty = get_own_duty(request.user, duty_pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _duty_page(request, duty, checkin_form=form, status=400)
    try:
        duty = onsite.check_in(
            duty,
            request.user,
            form.cleaned_data["latitude"],
            form.cleaned_data["longitude"],
            ip=client_ip(request),
        )
    except rules.OnsiteError as error:
        return _refused(request, duty, error)
    if duty.checkin_distance is not None:
        messages.success(
            request,
            _("Checked in, %(distance)s from the station.") % {"distance": checkin_distance_label(duty)},
        )
    else:
        messages.success(request, _("Checked in (without your position)."))
    return redirect("receptions:my_duty", duty_pk=duty.pk)


@require_POST
@staff_required
def cannot_come(request, duty_pk):
    duty = get_own_duty(request.user, duty_pk)
    form = CannotComeForm(request.POST)
    if not form.is_valid():
        return _duty_page(request, duty, cannot_come_form=form, status=400)
    try:
        campaign_actions.deputy_cannot_come(request.user, duty, form.cleaned_data["reason"], ip=client_ip(request))
    except ValidationError as error:
        return _refused(request, duty, error)
    messages.success(request, _("The office has been told that you cannot come."))
    return redirect("receptions:my_duty", duty_pk=duty.pk)


@require_POST
@staff_required
def record_visit(request, duty_pk):
    duty = get_own_duty(request.user, duty_pk)
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _duty_page(request, duty, visit_form=form, status=400)
    try:
        onsite.record_visit(
            duty, request.user, form.cleaned_data["count"], form.cleaned_data["topics"], ip=client_ip(request)
        )
    except rules.OnsiteError as error:
        return _refused(request, duty, error)
    messages.success(request, _("Visitors recorded."))
    return redirect("receptions:my_duty", duty_pk=duty.pk)


@require_POST
@staff_required
def record_opinion(request, duty_pk):
    duty = get_own_duty(request.user, duty_pk)
    form = BehalfOpinionForm(request.POST)
    if not form.is_valid():
        return _duty_page(request, duty, opinion_form=form, status=400)
    data = form.cleaned_data
    try:
        tag = onsite.record_opinion_on_behalf(
            duty,
            request.user,
            category=data["category"],
            text=data["text"],
            phone=data["phone"],
            consent=data["consent"],
            client_token=data["client_token"],
            ip=client_ip(request),
        )
    except rules.OnsiteError as error:
        return _refused(request, duty, error)
    messages.success(
        request,
        _("Opinion recorded; tracking code %(code)s. Give the visitor this code to follow it.")
        % {"code": tag.opinion.tracking_code},
    )
    return redirect("receptions:my_duty", duty_pk=duty.pk)


@staff_required
def my_absences(request):
    """The deputy's standing absences: enter a period away once, and every reception day inside it leaves them out."""
    deputy = own_deputy(request.user)
    if deputy is None:
        # Like "my receptions": staff reach the page from the menu and are told whom it is for.
        if request.method == "POST":
            raise Http404("not a deputy")
        return render(request, "receptions/onsite_absences.html", {"is_deputy": False})
    form = AbsenceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                absences.add_absence(
                    request.user,
                    deputy,
                    form.cleaned_data["starts"],
                    form.cleaned_data["ends"],
                    form.cleaned_data["reason"],
                    today=rules.china_today(),
                    ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Absence saved: reception days in this period will leave you out."))
                return redirect("receptions:my_absences")
        status = 400
    today = rules.china_today()
    context = {
        "is_deputy": True,
        "form": form,
        "absences": list(own_absences(request.user).filter(ends__gte=today).order_by("starts", "pk")),
    }
    return render(request, "receptions/onsite_absences.html", context, status=status)


@require_POST
@staff_required
def remove_absence(request, absence_pk):
    absence = get_own_absence(request.user, absence_pk)
    absences.remove_absence(request.user, absence, ip=client_ip(request))
    messages.success(request, _("Absence removed."))
    return redirect("receptions:my_absences")


def _may_watch(user) -> bool:
    """Boards are for congress staff and for keepers (their own stations); deputies have their own pages."""
    scope = scope_for(user)
    return scope.is_congress_staff or bool(scope.station_ids)


@staff_required
def board_list(request):
    if not _may_watch(request.user):
        raise Http404("no boards")
    campaigns = (
        campaigns_for(request.user)
        .filter(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.FINISHED])
        .select_related("region")
        .order_by("-date", "-pk")[:50]
    )
    return render(
        request,
        "receptions/board_list.html",
        {"campaigns": list(campaigns), "today": rules.china_today()},
    )


@staff_required
def board(request, campaign_pk):
    if not _may_watch(request.user):
        raise Http404("no board")
    campaign = get_campaign_for_user(request.user, campaign_pk)
    context = {"campaign": campaign, "board": board_for(request.user, campaign), "is_live": _is_live(campaign)}
    return render_page_or_fragment(request, "receptions/board.html", context, "receptions/board_figures.html")


def _is_live(campaign) -> bool:
    """Poll while something can still change: a published day (a finished one is final, a draft has no check-ins)."""
    return campaign.status == CampaignStatus.PUBLISHED
