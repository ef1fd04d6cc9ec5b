"""JSON API of joint meetings, mounted by renda/api under /api/v1/staff/jointmeetings with its bearer-token auth
(`request.user` is the token's user). Same rules as the web: reads through access.py (outside scope = 404), writes
through actions.py; a refused action answers 409 with the action's message."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from renda.core.apirouter import ErrorOut, refused

from . import access, actions
from .models import Stream
from .workflow import Do

router = Router(tags=["jointmeetings"])
LIMIT = 100


class MeetingOut(Schema):
    id: int
    name: str
    zone: str
    zone_code: str


class TopicOut(Schema):
    id: int
    month: datetime.date
    title: str
    status: str


class MemberOut(Schema):
    deputy_id: int
    name: str
    role: str


class MeetingDetail(MeetingOut):
    members: list[MemberOut]
    topics: list[TopicOut]


class WorkOut(Schema):
    id: int
    stream: str
    title: str
    detail: str
    owner: str | None
    due: datetime.date | None
    status: str
    activity_id: int | None
    unit: str | None
    answer: str
    answered_at: datetime.datetime | None
    opinion_id: int | None
    problem_id: int | None
    sent_to: str
    sent_on: datetime.date | None
    adopted: bool | None
    adopted_level: str
    adopted_on: datetime.date | None


class TopicDetail(TopicOut):
    meeting_id: int
    description: str
    works: list[WorkOut]


class WorkIn(Schema):
    stream: Stream
    title: str
    detail: str = ""
    owner_id: int | None = None
    due: datetime.date | None = None
    activity_id: int | None = None
    unit_id: int | None = None
    opinion_id: int | None = None
    problem_id: int | None = None
    # A new matter (stream "matter" without opinion_id or problem_id): its category; filed as an opinion in the zone.
    category_id: int | None = None
    sent_to: str = ""
    sent_on: datetime.date | None = None


class AnswerIn(Schema):
    text: str


class QuestionOut(Schema):
    id: int
    meeting: str
    topic: str
    title: str
    detail: str
    due: datetime.date | None
    answer: str
    answered_at: datetime.datetime | None


def _meeting(meeting) -> dict:
    return {"id": meeting.pk, "name": meeting.name, "zone": meeting.zone.name, "zone_code": meeting.zone.code}


def _work(work) -> dict:
    return {
        "id": work.pk,
        "stream": work.stream,
        "title": work.title,
        "detail": work.detail,
        "owner": work.owner.name if work.owner else None,
        "due": work.due,
        "status": work.status,
        "activity_id": work.activity_id,
        "unit": work.unit.name if work.unit else None,
        "answer": work.answer,
        "answered_at": work.answered_at,
        "opinion_id": work.opinion_id,
        "problem_id": work.problem_id,
        "sent_to": work.sent_to,
        "sent_on": work.sent_on,
        "adopted": work.adopted,
        "adopted_level": work.adopted_level,
        "adopted_on": work.adopted_on,
    }


def _topic(topic) -> dict:
    works = topic.works.select_related("owner", "unit").order_by("stream", "id")
    return {
        "id": topic.pk,
        "meeting_id": topic.meeting_id,
        "month": topic.month,
        "title": topic.title,
        "status": topic.status,
        "description": topic.description,
        "works": [_work(work) for work in works],
    }


@router.get("/meetings", response=list[MeetingOut])
def joint_meetings(request):
    return [
        _meeting(m) for m in access.meetings_for(request.user).select_related("zone").order_by("name", "id")[:LIMIT]
    ]


@router.get("/meetings/{meeting_id}", response=MeetingDetail)
def joint_meeting_detail(request, meeting_id: int):
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    members = meeting.memberships.select_related("deputy").order_by("role", "deputy__name", "id")
    return _meeting(meeting) | {
        "members": [{"deputy_id": m.deputy_id, "name": m.deputy.name, "role": m.role} for m in members],
        "topics": list(meeting.topics.order_by("-month", "-id").values("id", "month", "title", "status")[:LIMIT]),
    }


class MyMeetingOut(MeetingOut):
    topics: list[TopicOut]


@router.get("/my", response=list[MyMeetingOut], summary="A member deputy's joint meetings and their published topics")
def my_joint_meetings(request):
    return [
        _meeting(meeting) | {"topics": [_topic_row(topic) for topic in topics]}
        for meeting, topics in access.member_meetings_with_topics(request.user)
    ]


def _topic_row(topic) -> dict:
    return {"id": topic.pk, "month": topic.month, "title": topic.title, "status": topic.status}


@router.get("/my/topics/{topic_id}", response=TopicDetail, summary="A published topic of my joint meeting, read only")
def my_joint_topic(request, topic_id: int):
    return _topic(access.get_member_topic_for_user(request.user, topic_id))


@router.get("/topics/{topic_id}", response=TopicDetail)
def joint_topic_detail(request, topic_id: int):
    return _topic(access.get_topic_for_user(request.user, topic_id))


@router.post("/topics/{topic_id}/publish", response={200: TopicDetail, 409: ErrorOut})
def joint_topic_publish(request, topic_id: int):
    return _transition(request, topic_id, Do.PUBLISH)


@router.post("/topics/{topic_id}/close", response={200: TopicDetail, 409: ErrorOut})
def joint_topic_close(request, topic_id: int):
    return _transition(request, topic_id, Do.CLOSE)


def _transition(request, topic_id, action):
    topic = access.get_topic_for_user(request.user, topic_id)
    try:
        topic = actions.transition(request.user, topic, action)
    except ValidationError as error:
        return refused(error)
    return _topic(topic)


@router.post("/topics/{topic_id}/works", response={201: WorkOut, 409: ErrorOut})
def joint_work_add(request, topic_id: int, payload: WorkIn):
    from renda.activities.models import Activity, ProblemItem
    from renda.opinions.models import Category, Opinion
    from renda.people.models import Deputy, Unit

    topic = access.get_topic_for_user(request.user, topic_id)

    def pick(model, pk):
        return get_object_or_404(model, pk=pk) if pk is not None else None

    try:
        work = actions.add_work(
            request.user,
            topic,
            stream=payload.stream,
            title=payload.title,
            detail=payload.detail,
            owner=pick(Deputy, payload.owner_id),
            due=payload.due,
            activity=pick(Activity, payload.activity_id),
            unit=pick(Unit, payload.unit_id),
            opinion=pick(Opinion, payload.opinion_id),
            problem=pick(ProblemItem, payload.problem_id),
            category=get_object_or_404(Category, pk=payload.category_id, is_active=True)
            if payload.category_id
            else None,
            sent_to=payload.sent_to,
            sent_on=payload.sent_on,
        )
    except ValidationError as error:
        return refused(error)
    return Status(201, _work(work))


# The unit's side ----------------------------------------------------------------------------------------------


def _question(work) -> dict:
    return {
        "id": work.pk,
        "meeting": work.topic.meeting.name,
        "topic": work.topic.title,
        "title": work.title,
        "detail": work.detail,
        "due": work.due,
        "answer": work.answer,
        "answered_at": work.answered_at,
    }


@router.get("/questions", response=list[QuestionOut])
def joint_questions(request):
    works = access.unit_questions(request.user).select_related("topic__meeting").order_by("answered_at", "due", "-id")
    return [_question(work) for work in works[:LIMIT]]


@router.post("/questions/{work_id}/answer", response={200: QuestionOut, 409: ErrorOut})
def joint_question_answer(request, work_id: int, payload: AnswerIn):
    work = access.get_unit_question_for_user(request.user, work_id)
    try:
        work = actions.answer_question(request.user, work, text=payload.text)
    except ValidationError as error:
        return refused(error)
    return _question(work)
