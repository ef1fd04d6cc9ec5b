"""CPPCC consultation pages: the office at /staff/consultation/, a unit's results at /staff/consultation/unit/,
a member's meetings and speeches at /consultation/. Thin: access → form → action → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import congress_staff_required, staff_required
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip
from renda.core.formviews import form_action
from renda.core.paging import paginate

from . import access, actions
from .forms import FeedbackForm, InviteForm, MeetingForm, OfficeSpeechForm, ResultForm, SpeechForm, TopicForm


def _refused(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@congress_staff_required
def home(request):
    meetings = (
        access.meetings_for(request.user)
        .select_related("activity__region")
        .annotate(n_speeches=Count("speeches", distinct=True), n_results=Count("results", distinct=True))
        .order_by("-activity__starts_at", "-id")
    )
    topics = access.topics_for(request.user).select_related("region").order_by("-year", "position", "id")[:200]
    context = {"page": paginate(request, meetings), "topics": topics, "topic_form": TopicForm(user=request.user)}
    return render(request, "consultation/home.html", context)


@require_POST
@congress_staff_required
def topic_create(request):
    form = TopicForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            actions.create_topic(request.user, **form.cleaned_data, ip=client_ip(request))
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("consultation:home")


@congress_staff_required
def meeting_create(request):
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.create_meeting(
                request.user,
                region=data["region"],
                title=data["title"],
                form=data["form"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                theme=data["theme"],
                topics=list(data["topics"]),
                members=list(data["members"]),
                is_public=data["is_public"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("consultation:meeting", consultation_pk=meeting.pk)
    status = 400 if form.errors else 200
    return render(request, "consultation/meeting_form.html", {"form": form}, status=status)


def _meeting_context(request, meeting, **extra):
    region = meeting.activity.region
    context = {
        "meeting": meeting,
        "activity": meeting.activity,
        "topics": meeting.topics.order_by("position", "id"),
        "invitations": meeting.activity.invitations.filter(member__isnull=False)
        .select_related("member")
        .order_by("member__name", "id"),
        "speeches": meeting.speeches.select_related("member").order_by("order", "id"),
        "results": meeting.results.prefetch_related("feedback__unit").order_by("id"),
        "invite_form": InviteForm(region=region),
        "speech_form": OfficeSpeechForm(meeting=meeting),
        "result_form": ResultForm(region=region),
    }
    context.update(extra)
    return context


@congress_staff_required
def meeting(request, consultation_pk):
    meeting_ = access.get_meeting_for_user(request.user, consultation_pk)
    return render(request, "consultation/meeting.html", _meeting_context(request, meeting_))


@require_POST
@congress_staff_required
def invite(request, consultation_pk):
    meeting_ = access.get_meeting_for_user(request.user, consultation_pk)
    form = InviteForm(request.POST, region=meeting_.activity.region)
    if form.is_valid():
        try:
            actions.invite(request.user, meeting_, list(form.cleaned_data["members"]), ip=client_ip(request))
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choose members of this committee."))
    return redirect("consultation:meeting", consultation_pk=meeting_.pk)


@require_POST
@congress_staff_required
def speech_save(request, consultation_pk):
    meeting_ = access.get_meeting_for_user(request.user, consultation_pk)
    form = OfficeSpeechForm(request.POST, meeting=meeting_)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_speech(
                request.user,
                meeting_,
                data["member"],
                title=data["title"],
                text=data["text"],
                order=data["order"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("consultation:meeting", consultation_pk=meeting_.pk)
    context = _meeting_context(request, meeting_, speech_form=form)
    return render(request, "consultation/meeting.html", context, status=400)


@require_POST
@congress_staff_required
def result_add(request, consultation_pk):
    meeting_ = access.get_meeting_for_user(request.user, consultation_pk)
    form = ResultForm(request.POST, region=meeting_.activity.region)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_result(
                request.user,
                meeting_,
                title=data["title"],
                text=data["text"],
                units=list(data["units"]),
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("consultation:meeting", consultation_pk=meeting_.pk)
    context = _meeting_context(request, meeting_, result_form=form)
    return render(request, "consultation/meeting.html", context, status=400)


# A unit's side -------------------------------------------------------------------------------------------------


@staff_required
def unit_list(request):
    if not scope_for(request.user).unit_ids:
        raise Http404("not unit staff")
    feedback = (
        access.unit_feedback(request.user)
        .select_related("result__meeting__activity", "unit")
        .order_by("answered_at", "due", "-id")
    )
    return render(request, "consultation/unit_list.html", {"page": paginate(request, feedback)})


@staff_required
def unit_feedback(request, feedback_pk):
    feedback = access.get_unit_feedback_for_user(request.user, feedback_pk)
    return form_action(
        request,
        FeedbackForm(request.POST or None),
        lambda data: actions.give_feedback(request.user, feedback, text=data["text"], ip=client_ip(request)),
        done_message=_("Feedback sent."),
        done_url=reverse("consultation_unit:feedback", kwargs={"feedback_pk": feedback.pk}),
        template="consultation/unit_feedback.html",
        context={"feedback": feedback},
    )


# A member's side -----------------------------------------------------------------------------------------------


@login_required
def my_meetings(request):
    if access.member_of(request.user) is None:
        raise Http404("not a CPPCC member")
    invitations = (
        access.my_invitations(request.user).select_related("activity__consultation").order_by("-activity__starts_at")
    )
    return render(request, "consultation/my_list.html", {"page": paginate(request, invitations)})


@login_required
def my_meeting(request, consultation_pk):
    meeting_ = access.get_my_meeting(request.user, consultation_pk)
    member = access.member_of(request.user)
    speech = meeting_.speeches.filter(member=member).first()
    initial = {"title": speech.title, "text": speech.text} if speech else None
    form = SpeechForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_speech(
                request.user,
                meeting_,
                member,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your speech is saved."))
            return redirect("consultation_my:meeting", consultation_pk=meeting_.pk)
    context = {"meeting": meeting_, "activity": meeting_.activity, "speech": speech, "form": form}
    return render(request, "consultation/my_meeting.html", context, status=400 if form.errors else 200)
