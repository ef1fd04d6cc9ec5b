"""JSON API of CPPCC consultation, mounted by renda/api under /api/v1/staff/consultation with its bearer-token auth
(`request.user` is the token's user): the office's meetings, a member's own speech, a unit's results and feedback.
Reads through access.py (outside scope = 404), writes through actions.py (refused = 409 with the message)."""

import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from renda.core.apirouter import ErrorOut, refused

from . import access, actions

router = Router(tags=["consultation"])
LIMIT = 100


class MeetingOut(Schema):
    id: int
    title: str
    form: str
    region: str
    starts_at: datetime.datetime
    status: str


class SpeechOut(Schema):
    id: int
    member_id: int
    member: str
    title: str
    text: str
    order: int


class FeedbackOut(Schema):
    id: int
    unit: str
    due: datetime.date | None
    text: str
    answered_at: datetime.datetime | None


class ResultOut(Schema):
    id: int
    title: str
    text: str
    sent_at: datetime.datetime | None
    feedback: list[FeedbackOut]


class MeetingDetail(MeetingOut):
    topics: list[str]
    invited: list[str]
    speeches: list[SpeechOut]
    results: list[ResultOut]


class SpeechIn(Schema):
    title: str
    text: str
    member_id: int | None = None  # the office records someone's; a member leaves it out (their own)


class FeedbackIn(Schema):
    text: str


class UnitResultOut(Schema):
    id: int
    meeting: str
    title: str
    text: str
    due: datetime.date | None
    feedback: str
    answered_at: datetime.datetime | None


def _meeting(meeting) -> dict:
    activity = meeting.activity
    return {
        "id": meeting.pk,
        "title": activity.title,
        "form": meeting.form,
        "region": activity.region.name,
        "starts_at": activity.starts_at,
        "status": activity.status,
    }


def _speech(speech) -> dict:
    return {
        "id": speech.pk,
        "member_id": speech.member_id,
        "member": speech.member.name,
        "title": speech.title,
        "text": speech.text,
        "order": speech.order,
    }


def _detail(meeting) -> dict:
    results = meeting.results.prefetch_related("feedback__unit").order_by("id")
    return _meeting(meeting) | {
        "topics": [t.title for t in meeting.topics.order_by("position", "id")],
        "invited": [
            i.member.name for i in meeting.activity.invitations.filter(member__isnull=False).select_related("member")
        ],
        "speeches": [_speech(s) for s in meeting.speeches.select_related("member").order_by("order", "id")],
        "results": [
            {
                "id": r.pk,
                "title": r.title,
                "text": r.text,
                "sent_at": r.sent_at,
                "feedback": [
                    {"id": f.pk, "unit": f.unit.name, "due": f.due, "text": f.text, "answered_at": f.answered_at}
                    for f in r.feedback.all()
                ],
            }
            for r in results
        ],
    }


@router.get("/meetings", response=list[MeetingOut], summary="The office's consultation meetings (newest first)")
def consultation_meetings(request):
    meetings = access.meetings_for(request.user).select_related("activity__region")
    return [_meeting(m) for m in meetings.order_by("-activity__starts_at", "-id")[:LIMIT]]


@router.get("/meetings/{consultation_id}", response=MeetingDetail)
def consultation_meeting_detail(request, consultation_id: int):
    return _detail(access.get_meeting_for_user(request.user, consultation_id))


@router.get("/my/meetings", response=list[MeetingOut], summary="A CPPCC member's own consultation meetings")
def consultation_my_meetings(request):
    invitations = access.my_invitations(request.user).select_related("activity__consultation", "activity__region")
    return [_meeting(i.activity.consultation) for i in invitations.order_by("-activity__starts_at")[:LIMIT]]


@router.post("/meetings/{consultation_id}/speeches", response={200: SpeechOut, 409: ErrorOut})
def consultation_speech_save(request, consultation_id: int, payload: SpeechIn):
    """A member submits their own speech (invited meetings only); the office records anyone's with member_id."""
    from django.http import Http404

    from renda.people.models import Member

    try:
        meeting = access.get_meeting_for_user(request.user, consultation_id)
    except Http404:
        meeting = access.get_my_meeting(request.user, consultation_id)
    member = access.member_of(request.user)
    if payload.member_id is not None:
        member = Member.objects.filter(pk=payload.member_id).first()
    if member is None:
        raise Http404("no such member")
    try:
        speech = actions.save_speech(request.user, meeting, member, title=payload.title, text=payload.text)
    except ValidationError as error:
        return refused(error)
    return _speech(speech)


def _unit_result(feedback) -> dict:
    result = feedback.result
    return {
        "id": feedback.pk,
        "meeting": result.meeting.activity.title,
        "title": result.title,
        "text": result.text,
        "due": feedback.due,
        "feedback": feedback.text,
        "answered_at": feedback.answered_at,
    }


@router.get("/unit/results", response=list[UnitResultOut], summary="The results sent to the token user's unit")
def consultation_unit_results(request):
    feedback = access.unit_feedback(request.user).select_related("result__meeting__activity")
    return [_unit_result(f) for f in feedback.order_by("answered_at", "due", "-id")[:LIMIT]]


@router.post("/unit/results/{feedback_id}/feedback", response={200: UnitResultOut, 409: ErrorOut})
def consultation_feedback(request, feedback_id: int, payload: FeedbackIn):
    feedback = access.get_unit_feedback_for_user(request.user, feedback_id)
    try:
        feedback = actions.give_feedback(request.user, feedback, text=payload.text)
    except ValidationError as error:
        return refused(error)
    return _unit_result(feedback)
