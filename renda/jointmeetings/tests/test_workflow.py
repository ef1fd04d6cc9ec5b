"""The topic's transition table as a role × state × action grid, through the actions (and HTTP for publish and
close): every allowed cell succeeds, every other is refused with nothing changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from .. import actions
from ..models import Stream, Topic, Work
from ..workflow import TRANSITIONS, Do, Role, TopicStatus, allowed
from .helpers import make_topic, resort_meeting

STATES = list(TopicStatus.values)
# The grid, written out (not computed from TRANSITIONS): what the table must say.
EXPECTED = {
    (Role.OFFICE, Do.EDIT): {"draft"},
    (Role.OFFICE, Do.PUBLISH): {"draft"},
    (Role.OFFICE, Do.CLOSE): {"published"},
    (Role.OFFICE, Do.ADD_WORK): {"draft", "published"},
    (Role.OFFICE, Do.UPDATE_WORK): {"published", "closed"},
    (Role.OFFICE, Do.ANSWER): set(),
    (Role.UNIT, Do.EDIT): set(),
    (Role.UNIT, Do.PUBLISH): set(),
    (Role.UNIT, Do.CLOSE): set(),
    (Role.UNIT, Do.ADD_WORK): set(),
    (Role.UNIT, Do.UPDATE_WORK): set(),
    (Role.UNIT, Do.ANSWER): {"published", "closed"},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Do))
@pytest.mark.parametrize("state", STATES)
def test_table(role, action, state):
    assert allowed(state, action, {role}) == (state in EXPECTED[(role, action)])


def test_every_action_is_in_the_grid():
    assert {action for _role, action in EXPECTED} == set(TRANSITIONS)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", [Do.PUBLISH, Do.CLOSE])
@pytest.mark.parametrize(("user", "role"), [("resort_staff", Role.OFFICE), ("unit_user", None)])
def test_transitions_through_http(world, state, action, user, role):
    topic = make_topic(resort_meeting(world), status=state)
    url = reverse(f"jointmeetings:topic_{action}", args=[topic.pk])
    response = world.client(getattr(world, user)).post(url)
    topic.refresh_from_db()
    if role is None:
        assert response.status_code == 404  # a unit has no office page at all
        assert topic.status == state
        return
    assert response.status_code == 302
    if allowed(state, action, {role}):
        assert topic.status == TRANSITIONS[action][1]
        assert (topic.published_at if action == Do.PUBLISH else topic.closed_at) is not None
    else:
        assert topic.status == state


@pytest.mark.parametrize("state", STATES)
def test_adding_and_answering_follow_the_table(world, state):
    meeting = resort_meeting(world)
    topic = make_topic(meeting, status=state)
    try:
        work = actions.add_work(
            world.resort_staff, topic, stream=Stream.INQUIRY, title="询问码头管理", unit=world.wuzhong_unit
        )
    except ValidationError:
        assert not allowed(state, Do.ADD_WORK, {Role.OFFICE})
        assert not Work.objects.exists()
        work = Work.objects.create(topic=topic, stream=Stream.INQUIRY, title="q", unit=world.wuzhong_unit)
    else:
        assert allowed(state, Do.ADD_WORK, {Role.OFFICE})
    try:
        actions.answer_question(world.unit_user, work, text="已安排整改")
    except ValidationError:
        assert not allowed(state, Do.ANSWER, {Role.UNIT})
        assert Work.objects.get(pk=work.pk).answered_at is None
    else:
        assert allowed(state, Do.ANSWER, {Role.UNIT})
    # staff may never answer for the unit
    with pytest.raises(ValidationError):
        actions.answer_question(world.resort_staff, Work.objects.get(pk=work.pk), text="代答")
    assert Topic.objects.get(pk=topic.pk).status == state
