"""The back office at /staff/jointmeetings/ (the meeting's office: congress staff of the zone or above),
/staff/jointmeetings/unit/ (a unit's questions), and a member deputy's read-only pages at /jointmeetings/. Thin:
access → form → action → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
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
from .forms import AdoptionForm, AnswerForm, MeetingForm, MemberForm, SittingForm, TopicEditForm, TopicForm, WorkForm
from .models import Stream, WorkStatus
from .workflow import Do, allowed


def _refused(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@congress_staff_required
def home(request):
    meetings = (
        access.meetings_for(request.user)
        .select_related("zone")
        .annotate(n_members=Count("memberships", distinct=True), n_topics=Count("topics", distinct=True))
        .order_by("name", "id")
    )
    form = MeetingForm(user=request.user)
    return render(request, "jointmeetings/home.html", {"page": paginate(request, meetings), "form": form})


@require_POST
@congress_staff_required
def create(request):
    form = MeetingForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.create_meeting(
                request.user,
                zone=data["zone"],
                name=data["name"],
                description=data["description"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            return redirect("jointmeetings:meeting", meeting_pk=meeting.pk)
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("jointmeetings:home")


@congress_staff_required
def meeting(request, meeting_pk):
    meeting_ = access.get_meeting_for_user(request.user, meeting_pk)
    topics = meeting_.topics.annotate(
        **{f"n_{stream}": Count("works", filter=Q(works__stream=stream)) for stream in Stream.values}
    ).order_by("-month", "-id")
    context = {
        "meeting": meeting_,
        "memberships": meeting_.memberships.select_related("deputy__electoral_region").order_by(
            "role", "deputy__name", "id"
        ),
        "topics": topics,
        "sessions": access.meeting_sessions(meeting_).select_related("kind").order_by("-starts_at", "-id")[:20],
        "rounds": access.meeting_rounds(meeting_).order_by("-year", "-id"),
        "member_form": MemberForm(meeting=meeting_),
        "topic_form": TopicForm(),
        "sitting_form": SittingForm(),
        "streams": Stream.choices,
    }
    return render(request, "jointmeetings/meeting.html", context)


@require_POST
@congress_staff_required
def sitting_plan(request, meeting_pk):
    meeting_ = access.get_meeting_for_user(request.user, meeting_pk)
    form = SittingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the sitting a kind, a title and its times."))
        return redirect("jointmeetings:meeting", meeting_pk=meeting_.pk)
    try:
        activity = actions.plan_sitting(request.user, meeting_, ip=client_ip(request), **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
        return redirect("jointmeetings:meeting", meeting_pk=meeting_.pk)
    messages.success(request, _("The sitting was planned with the members invited; publish it to tell them."))
    return redirect("activities:detail", activity_pk=activity.pk)


@require_POST
@congress_staff_required
def member_add(request, meeting_pk):
    meeting_ = access.get_meeting_for_user(request.user, meeting_pk)
    form = MemberForm(request.POST, meeting=meeting_)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_member(
                request.user, meeting_, data["deputy"], role=data["role"], since=data["since"], ip=client_ip(request)
            )
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choose a deputy of the zone or of a town it coordinates."))
    return redirect("jointmeetings:meeting", meeting_pk=meeting_.pk)


@require_POST
@congress_staff_required
def member_remove(request, meeting_pk, membership_pk):
    meeting_ = access.get_meeting_for_user(request.user, meeting_pk)
    membership = meeting_.memberships.filter(pk=membership_pk).first()
    if membership is None:
        raise Http404("no such member")
    actions.remove_member(request.user, membership, ip=client_ip(request))
    return redirect("jointmeetings:meeting", meeting_pk=meeting_.pk)


@require_POST
@congress_staff_required
def topic_create(request, meeting_pk):
    meeting_ = access.get_meeting_for_user(request.user, meeting_pk)
    form = TopicForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            topic = actions.create_topic(
                request.user,
                meeting_,
                month=data["month"],
                title=data["title"],
                description=data["description"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            return redirect("jointmeetings:topic", topic_pk=topic.pk)
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("jointmeetings:meeting", meeting_pk=meeting_.pk)


def _streams(topic) -> list[tuple[str, str, list]]:
    """The topic's linked work by stream (一题四联), in the streams' order."""
    works = topic.works.select_related(
        "owner", "activity__kind", "unit", "opinion", "problem__activity", "answered_by"
    ).order_by("stream", "id")
    by_stream = {value: [] for value in Stream.values}
    for work in works:
        by_stream[work.stream].append(work)
    return [(value, label, by_stream[value]) for value, label in Stream.choices]


def _topic_context(request, topic, **extra):
    roles = access.roles_on(request.user, topic)
    context = {
        "topic": topic,
        "meeting": topic.meeting,
        "streams": _streams(topic),
        "can": {action: allowed(topic.status, action, roles) for action in Do.values},
        "work_form": WorkForm(user=request.user, meeting=topic.meeting),
        "adoption_form": AdoptionForm(),
        "edit_form": TopicEditForm(initial={"title": topic.title, "description": topic.description}),
    }
    context.update(extra)
    return context


@congress_staff_required
def topic(request, topic_pk):
    topic_ = access.get_topic_for_user(request.user, topic_pk)
    return render(request, "jointmeetings/topic.html", _topic_context(request, topic_))


@require_POST
@congress_staff_required
def topic_edit(request, topic_pk):
    topic_ = access.get_topic_for_user(request.user, topic_pk)
    form = TopicEditForm(request.POST)
    if form.is_valid():
        try:
            actions.edit_topic(request.user, topic_, **form.cleaned_data, ip=client_ip(request))
        except ValidationError as error:
            _refused(request, error)
    return redirect("jointmeetings:topic", topic_pk=topic_.pk)


def _transition(action):
    @require_POST
    @congress_staff_required
    def view(request, topic_pk):
        topic_ = access.get_topic_for_user(request.user, topic_pk)
        try:
            actions.transition(request.user, topic_, action, ip=client_ip(request))
        except ValidationError as error:
            _refused(request, error)
        return redirect("jointmeetings:topic", topic_pk=topic_.pk)

    return view


topic_publish = _transition(Do.PUBLISH)
topic_close = _transition(Do.CLOSE)


@require_POST
@congress_staff_required
def work_add(request, topic_pk):
    topic_ = access.get_topic_for_user(request.user, topic_pk)
    form = WorkForm(request.POST, user=request.user, meeting=topic_.meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_work(
                request.user,
                topic_,
                stream=data["stream"],
                title=data["title"],
                detail=data["detail"],
                owner=data["owner"],
                due=data["due"],
                ip=client_ip(request),
                **form.link(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("jointmeetings:topic", topic_pk=topic_.pk)
    return render(request, "jointmeetings/topic.html", _topic_context(request, topic_, work_form=form), status=400)


@require_POST
@congress_staff_required
def work_done(request, work_pk):
    work = access.get_work_for_user(request.user, work_pk)
    try:
        actions.complete_work(request.user, work, ip=client_ip(request))
    except ValidationError as error:
        _refused(request, error)
    return redirect("jointmeetings:topic", topic_pk=work.topic_id)


@require_POST
@congress_staff_required
def work_adoption(request, work_pk):
    work = access.get_work_for_user(request.user, work_pk)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_adoption(
                request.user,
                work,
                adopted=data["adopted"],
                level=data["level"],
                adopted_on=data["adopted_on"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("jointmeetings:topic", topic_pk=work.topic_id)


# The unit's side ----------------------------------------------------------------------------------------------


@staff_required
def unit_questions(request):
    if not scope_for(request.user).unit_ids:
        raise Http404("not unit staff")
    questions = (
        access.unit_questions(request.user)
        .select_related("topic__meeting__zone", "unit")
        .order_by("answered_at", "due", "-id")
    )
    return render(request, "jointmeetings/unit_list.html", {"page": paginate(request, questions)})


@staff_required
def unit_question(request, work_pk):
    work = access.get_unit_question_for_user(request.user, work_pk)
    return form_action(
        request,
        AnswerForm(request.POST or None),
        lambda data: actions.answer_question(request.user, work, text=data["text"], ip=client_ip(request)),
        done_message=_("Answer sent."),
        done_url=reverse("jointmeetings_unit:question", kwargs={"work_pk": work.pk}),
        template="jointmeetings/unit_question.html",
        context={"work": work, "done": WorkStatus.DONE},
    )


# A member deputy's pages (read only) --------------------------------------------------------------------------------


@login_required
def my_meetings(request):
    """The joint meetings the deputy is a member of, each with its published topics, newest month first."""
    rows = access.member_meetings_with_topics(request.user)
    if not rows:
        raise Http404("not a member of a joint meeting")
    return render(request, "jointmeetings/my/list.html", {"rows": rows})


@login_required
def my_topic(request, topic_pk):
    topic = access.get_member_topic_for_user(request.user, topic_pk)
    return render(
        request, "jointmeetings/my/topic.html", {"topic": topic, "meeting": topic.meeting, "streams": _streams(topic)}
    )
