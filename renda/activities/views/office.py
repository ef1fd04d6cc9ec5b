"""The organiser's back office at /staff/activities/: list with filters (keyset pages), detail, forms, the
attendance sheet, problem list, files, campaigns. Thin: access → action → response."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip
from renda.core.uploads import serve_file
from renda.opinions.models import Category
from renda.regions.models import Region
from renda.stations.models import Station

from ..access import get_organised_activity, organised_activities, roles_on
from ..actions import answers, planning, problems, reports
from ..errors import ActivityError
from ..forms import ActivityForm, CampaignForm, EditForm, FilterForm, InviteForm, ProblemForm, attendance_marks
from ..models import Attendance, Body, Campaign, Kind, ProblemItem, Status
from ..selection import resolve
from ..stats import by_activity, figures
from ..workflow import Action, ProblemAction, actions_for

LIST_ONLY = (
    "id",
    "title",
    "status",
    "origin",
    "body",
    "starts_at",
    "place",
    "is_public",
    "kind__name",
    "region__name",
    "campaign__title",
)
STATE_ACTIONS = {Action.PUBLISH, Action.CANCEL, Action.FINISH, Action.CONFIRM, Action.REJECT}


def organiser_required(view):
    """Congress staff and station keepers (who organise their station's activities); nobody else finds the pages."""

    @staff_required
    def wrapper(request, *args, **kwargs):
        scope = scope_for(request.user)
        if not (scope.is_congress_staff or scope.station_ids):
            raise Http404("not an organiser")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _cursor(value):
    """A keyset position "<starts_at as epoch µs>-<id>" (the list's order is -starts_at, -id)."""
    try:
        micros, pk = (int(part) for part in (value or "").split("-"))
    except ValueError:
        return None
    from datetime import UTC

    return datetime.fromtimestamp(micros / 1_000_000, tz=UTC), pk


def page_of(queryset, after=None, size=None):
    size = size or settings.PAGE_SIZE
    position = _cursor(after)
    if position is not None:
        starts, pk = position
        queryset = queryset.filter(Q(starts_at__lt=starts) | Q(starts_at=starts, pk__lt=pk))
    rows = list(queryset.order_by("-starts_at", "-id")[: size + 1])
    more = None
    if len(rows) > size:
        last = rows[size - 1]
        more = f"{int(last.starts_at.timestamp() * 1_000_000)}-{last.pk}"
    return rows[:size], more


@organiser_required
def activity_list(request):
    form = FilterForm(request.GET)
    queryset = form.filter(organised_activities(request.user)).select_related("kind", "region", "campaign")
    rows, more = page_of(queryset.only(*LIST_ONLY), request.GET.get("after"))
    labels = {value: str(label) for value, label in Status.choices}  # once, not get_status_display() per row
    for row in rows:
        row.status_label = labels[row.status]
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "activities/staff/list.html",
        {
            "f": form.cleaned_data if form.is_valid() else {},
            "statuses": Status.choices,
            "kinds": Kind.objects.filter(is_active=True).values_list("pk", "name"),
            "bodies": Body.choices,
            "rows": rows,
            "more": more,
            "query": params.urlencode(),
            "reported": Status.REPORTED,
        },
    )


def _campaigns_for(user):
    scope = scope_for(user)
    if not scope.staff_paths:
        return Campaign.objects.none()
    # A campaign of the user's region or above: a district's activity may be part of the city's campaign.
    paths = set()
    for prefix in scope.staff_paths:
        paths.update(prefix[:n] for n in range(1, len(prefix) + 1))
    return Campaign.objects.filter(region__path__in=paths).select_related("region")


def _regions_for(user):
    scope = scope_for(user)
    return Region.objects.filter(scope.region_q("path")).order_by("path")[:500] if scope.staff_paths else []


@organiser_required
def activity_create(request):
    scope = scope_for(request.user)
    form = ActivityForm(request.POST or None, campaigns=_campaigns_for(request.user))
    regions = list(_regions_for(request.user))
    stations = list(Station.objects.filter(pk__in=scope.station_ids).select_related("region"))
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        station = next((s for s in stations if str(s.pk) == request.POST.get("station")), None)
        region = next((r for r in regions if str(r.pk) == request.POST.get("region")), None)
        if region is None and station is None:
            error = _("Choose the organiser's region or station.")
        else:
            try:
                activity = planning.create(
                    request.user, region=region or station.region, station=station, ip=client_ip(request), **data
                )
            except ActivityError as exc:
                error = str(exc)
            else:
                messages.success(request, _("The activity was saved as a draft."))
                return redirect("activities:detail", activity_pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "activities/staff/form.html",
        {"form": form, "regions": regions, "stations": stations, "error": error, "creating": True},
        status=status,
    )


def _detail_context(request, activity, error=""):
    roles = roles_on(request.user, activity)
    invitations = list(activity.invitations.select_related("deputy", "member").order_by("id"))
    items = list(
        activity.problems.select_related(
            "recorded_by_deputy", "recorded_by_member", "category", "opinion", "suggestion"
        ).order_by("number")
    )
    return {
        "a": activity,
        "roles": roles,
        "actions": [a for a in actions_for(activity.status, roles) if a in STATE_ACTIONS],
        "may": set(actions_for(activity.status, roles)),
        "invitations": invitations,
        "answered": sum(1 for i in invitations if i.answer != "pending"),
        "items": items,
        "files": activity.files.order_by("id"),
        "figures": figures(activity.problems.all()),
        "categories": Category.objects.filter(is_active=True),
        "invite_form": InviteForm(),
        # Withdrawing is offered while inviting is allowed and withdrawing still open; the action re-checks both.
        "may_withdraw": Action.INVITE in actions_for(activity.status, roles) and planning.withdrawal_open(activity),
        "problem_form": ProblemForm(),
        "error": error,
        "problem_actions": ProblemAction,
    }


@organiser_required
def activity_detail(request, activity_pk):
    activity = get_organised_activity(request.user, activity_pk)
    return render(request, "activities/staff/detail.html", _detail_context(request, activity))


def _refused(request, activity_pk, error):
    activity = get_organised_activity(request.user, activity_pk)
    return render(request, "activities/staff/detail.html", _detail_context(request, activity, str(error)), status=400)


@organiser_required
def activity_edit(request, activity_pk):
    activity = get_organised_activity(request.user, activity_pk)
    form = EditForm(
        request.POST or None,
        instance=activity if request.method != "POST" else None,
        initial={"version": activity.version},
        campaigns=_campaigns_for(request.user),
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            planning.edit(request.user, activity.pk, version=version, ip=client_ip(request), **data)
        except ActivityError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:detail", activity_pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/staff/form.html", {"form": form, "a": activity, "error": error}, status=status)


@organiser_required
@require_POST
def activity_act(request, activity_pk, action):
    activity = get_organised_activity(request.user, activity_pk)
    if action not in STATE_ACTIONS:
        raise Http404("no such action")
    try:
        planning.change_state(
            request.user, activity.pk, action, reason=request.POST.get("reason", ""), ip=client_ip(request)
        )
    except ActivityError as exc:
        return _refused(request, activity.pk, exc)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect("activities:detail", activity_pk=activity.pk)


@organiser_required
@require_POST
def activity_invite(request, activity_pk):
    activity = get_organised_activity(request.user, activity_pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _refused(request, activity.pk, _("Say whom to invite."))
    deputies, members = resolve(activity, form.cleaned_data["by"], form.cleaned_data["value"])
    if not deputies and not members:
        return _refused(request, activity.pk, _("Nobody matches; check the name, level, station or region."))
    try:
        n = planning.invite(request.user, activity.pk, deputies=deputies, members=members, ip=client_ip(request))
    except ActivityError as exc:
        return _refused(request, activity.pk, exc)
    messages.success(request, _("%(n)d invited.") % {"n": n})
    return redirect("activities:detail", activity_pk=activity.pk)


@organiser_required
@require_POST
def activity_uninvite(request, activity_pk, invitation_pk):
    activity = get_organised_activity(request.user, activity_pk)
    if not activity.invitations.filter(pk=invitation_pk).exists():
        raise Http404("no such invitation")
    try:
        name = planning.uninvite(request.user, activity.pk, invitation_pk, ip=client_ip(request))
    except ActivityError as exc:
        return _refused(request, activity.pk, exc)
    messages.success(request, _("Invitation of %(name)s withdrawn.") % {"name": name})
    return redirect("activities:detail", activity_pk=activity.pk)


@organiser_required
def attendance_sheet(request, activity_pk):
    activity = get_organised_activity(request.user, activity_pk)
    error = ""
    if request.method == "POST":
        try:
            n = answers.record_attendance(
                request.user, activity.pk, attendance_marks(request.POST), ip=client_ip(request)
            )
        except ActivityError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Attendance recorded (%(n)d changed).") % {"n": n})
            return redirect("activities:detail", activity_pk=activity.pk)
    invitations = activity.invitations.select_related("deputy", "member").order_by("id")
    return render(
        request,
        "activities/staff/attendance.html",
        {"a": activity, "invitations": invitations, "choices": Attendance.choices, "error": error},
        status=400 if error else 200,
    )


@organiser_required
@require_POST
def activity_report(request, activity_pk):
    activity = get_organised_activity(request.user, activity_pk)
    try:
        reports.write_report(
            request.user,
            activity.pk,
            findings=request.POST.get("findings", ""),
            report=request.POST.get("report", ""),
            ip=client_ip(request),
        )
    except ActivityError as exc:
        return _refused(request, activity.pk, exc)
    messages.success(request, _("Saved."))
    return redirect("activities:detail", activity_pk=activity.pk)


@organiser_required
@require_POST
def file_add(request, activity_pk):
    activity = get_organised_activity(request.user, activity_pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(request, activity.pk, _("Choose a file."))
    try:
        reports.add_file(
            request.user,
            activity.pk,
            upload,
            is_photo=bool(request.POST.get("is_photo")),
            is_public=bool(request.POST.get("is_public")),
            ip=client_ip(request),
        )
    except ActivityError as exc:
        return _refused(request, activity.pk, exc)
    return redirect("activities:detail", activity_pk=activity.pk)


@organiser_required
def file_get(request, activity_pk, file_pk):
    activity = get_organised_activity(request.user, activity_pk)
    item = activity.files.filter(pk=file_pk).first()
    if item is None:
        raise Http404("no such file")
    return serve_file(item.file, download_name=None if item.is_photo else item.name)


@organiser_required
@require_POST
def problem_add(request, activity_pk):
    activity = get_organised_activity(request.user, activity_pk)
    form = ProblemForm(request.POST)
    if not form.is_valid():
        return _refused(request, activity.pk, _("Describe the problem."))
    try:
        problems.record_problem(request.user, activity.pk, ip=client_ip(request), **form.cleaned_data)
    except ActivityError as exc:
        return _refused(request, activity.pk, exc)
    return redirect("activities:detail", activity_pk=activity.pk)


@organiser_required
@require_POST
def problem_act(request, activity_pk, problem_pk, action):
    activity = get_organised_activity(request.user, activity_pk)
    item = ProblemItem.objects.filter(activity=activity, pk=problem_pk).first()
    if item is None or action not in ProblemAction.values:
        raise Http404("no such problem item")
    try:
        suggestion_pk = int(request.POST.get("suggestion") or 0)
    except ValueError:
        suggestion_pk = 0
    category = Category.objects.filter(pk=request.POST.get("category") or 0, is_active=True).first()
    try:
        problems.perform(
            request.user,
            item.pk,
            action,
            reason=request.POST.get("reason", ""),
            category=category,
            suggestion_pk=suggestion_pk,
            ip=client_ip(request),
        )
    except ActivityError as exc:
        return _refused(request, activity.pk, exc)
    messages.success(request, _("Done: %(action)s.") % {"action": ProblemAction(action).label})
    return redirect("activities:detail", activity_pk=activity.pk)


@organiser_required
def campaign_list(request):
    campaigns = list(_campaigns_for(request.user).order_by("-year", "title", "id")[:200])
    form = CampaignForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        region = next((r for r in _regions_for(request.user) if str(r.pk) == request.POST.get("region")), None)
        try:
            if region is None:
                raise ActivityError(_("Choose the organiser's region or station."))
            campaign = planning.create_campaign(request.user, region=region, ip=client_ip(request), **form.cleaned_data)
        except ActivityError as exc:
            error = str(exc)
        else:
            return redirect("activities:campaign", activity_campaign_pk=campaign.pk)
    return render(
        request,
        "activities/staff/campaigns.html",
        {"campaigns": campaigns, "form": form, "regions": _regions_for(request.user), "error": error},
        status=400 if request.method == "POST" else 200,
    )


@organiser_required
def campaign_detail(request, activity_campaign_pk):
    campaign = _campaigns_for(request.user).filter(pk=activity_campaign_pk).first()
    if campaign is None:
        raise Http404("no such campaign")
    activities = organised_activities(request.user).filter(campaign=campaign)
    rows = list(activities.select_related("region", "kind").only(*LIST_ONLY).order_by("-starts_at", "-id")[:500])
    per = by_activity([a.pk for a in rows])
    for row in rows:
        row.figures = per.get(row.pk)
    total = figures(ProblemItem.objects.filter(activity__in=activities))
    return render(request, "activities/staff/campaign.html", {"c": campaign, "rows": rows, "total": total})
