"""The deputy's or CPPCC member's phone pages at /activities/: my invitations with answer buttons, an activity's
page with the problems I recorded, recording a problem, recording an activity done outside the platform, and my
problems with their handling (the tracking page of the opinion, where I rate it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.audit.actions import client_ip

from ..access import identity, invitations_of_user
from ..actions import answers, problems, reports
from ..errors import ActivityError
from ..forms import ProblemForm, SelfRecordForm
from ..models import Answer, Attendance, ProblemItem, Status
from ..workflow import Action, Actor, allowed, answers_closed, takes_part

UPCOMING_LIMIT = 50
PAST_LIMIT = 20


def _person_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        deputy, member = identity(request.user)
        if deputy is None and member is None:
            raise Http404("not a deputy or member")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def my_invitations(user):
    return invitations_of_user(user).exclude(activity__status=Status.DRAFT).select_related("activity__kind")


@_person_required
def my_list(request):
    now = timezone.now()
    invitations = my_invitations(request.user)
    upcoming = list(
        invitations.filter(activity__ends_at__gte=now, activity__status=Status.PUBLISHED).order_by(
            "activity__starts_at", "activity_id"
        )[:UPCOMING_LIMIT]
    )
    past = list(
        invitations.filter(activity__ends_at__lt=now).order_by("-activity__starts_at", "-activity_id")[:PAST_LIMIT]
    )
    answers = {value: str(label) for value, label in Answer.choices}  # once, not get_*_display() per row
    statuses = {value: str(label) for value, label in Status.choices}
    attendance = {value: str(label) for value, label in Attendance.choices}
    for invitation in upcoming + past:
        invitation.answer_label = answers[invitation.answer]
        invitation.status_label = statuses[invitation.activity.status]
        invitation.attendance_label = attendance[invitation.attendance]
    return render(request, "activities/my/list.html", {"upcoming": upcoming, "past": past, "now": now})


def _my_invitation(user, activity_pk):
    invitation = my_invitations(user).filter(activity_id=activity_pk).select_related("activity__region").first()
    if invitation is None:
        raise Http404("no such activity")
    return invitation


def _detail(request, invitation, error="", form=None, status=200):
    activity = invitation.activity
    mine = ProblemItem.objects.filter(activity=activity, recorded_by=request.user).select_related("opinion")
    return render(
        request,
        "activities/my/detail.html",
        {
            "i": invitation,
            "a": activity,
            "may_answer": allowed(Action.ANSWER, activity.status, Actor.INVITEE) and not answers_closed(activity),
            "mine": mine.order_by("number"),
            "form": form or ProblemForm(),
            "error": error,
            "may_record": allowed(Action.RECORD_PROBLEM, activity.status, Actor.INVITEE) and takes_part(invitation),
        },
        status=status,
    )


@_person_required
def detail(request, activity_pk):
    return _detail(request, _my_invitation(request.user, activity_pk))


@_person_required
@require_POST
def answer(request, activity_pk):
    invitation = _my_invitation(request.user, activity_pk)
    try:
        answers.answer(
            request.user,
            invitation.pk,
            request.POST.get("answer", ""),
            request.POST.get("reason", ""),
            ip=client_ip(request),
        )
    except ActivityError as exc:
        return _detail(request, invitation, str(exc), status=400)
    messages.success(request, _("Your answer was sent."))
    return redirect("activities_my:list")


@_person_required
@require_POST
def problem_add(request, activity_pk):
    invitation = _my_invitation(request.user, activity_pk)
    form = ProblemForm(request.POST)
    if not form.is_valid():
        return _detail(request, invitation, _("Describe the problem."), form, status=400)
    try:
        problems.record_problem(request.user, invitation.activity_id, ip=client_ip(request), **form.cleaned_data)
    except ActivityError as exc:
        return _detail(request, invitation, str(exc), form, status=400)
    messages.success(request, _("The problem was recorded."))
    return redirect("activities_my:detail", activity_pk=invitation.activity_id)


@_person_required
def my_problems(request):
    items = (
        ProblemItem.objects.filter(recorded_by=request.user)
        .select_related("activity", "opinion", "suggestion", "category")
        .order_by("-created", "-id")[:200]
    )
    return render(request, "activities/my/problems.html", {"items": items})


@_person_required
def self_record(request):
    form = SelfRecordForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            activity = reports.self_record(request.user, ip=client_ip(request), **form.cleaned_data)
        except ActivityError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Recorded; the organiser will confirm it."))
            return redirect("activities_my:detail", activity_pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/my/record.html", {"form": form, "error": error}, status=status)
