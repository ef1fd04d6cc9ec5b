"""The activity workflow as a role × state × action grid: the actions' own check refuses exactly what the table
(workflow.TRANSITIONS) does not allow, for the organiser, an invitee, the participant who recorded the activity, and
staff of another region (who has no role at all)."""

import pytest
from django.db import transaction

from ..actions.common import check
from ..errors import ActivityError
from ..models import Invitation, Origin, Status
from ..workflow import PROBLEM_TRANSITIONS, TRANSITIONS, Actor, ProblemAction, allowed, problem_allowed
from .helpers import make_activity

pytestmark = pytest.mark.django_db

ROLES = {
    Actor.ORGANISER: "wuzhong_staff",
    Actor.INVITEE: "deputy_user",
    Actor.REPORTER: "deputy_user",
    "nobody": "gusu_staff",
}


@pytest.mark.parametrize("state", Status.values)
def test_grid(world, state):
    wrong = []
    for role, user_name in ROLES.items():
        user = getattr(world, user_name)
        origin = Origin.SELF_REPORTED if role == Actor.REPORTER else Origin.PLANNED
        activity = make_activity(world, status=state, origin=origin)
        activity.created_by = user
        activity.save(update_fields=["created_by"])
        if role in (Actor.INVITEE, Actor.REPORTER):
            Invitation.objects.create(activity=activity, deputy=world.deputy_wz)
        for action in TRANSITIONS:
            expected = role != "nobody" and allowed(action, state, role)
            try:
                with transaction.atomic():
                    check(user, activity, action)
                got = True
            except ActivityError:
                got = False
            if got != expected:
                wrong.append((role, state, action, got))
    assert not wrong


def test_every_action_is_someones_and_the_problem_table_allows_one_handing_on():
    assert all(roles for _sources, _target, roles in TRANSITIONS.values())
    for action in (ProblemAction.PUSH, ProblemAction.LINK):
        assert not problem_allowed(action, "pushed") and not problem_allowed(action, "linked")
        assert problem_allowed(action, "recorded") and problem_allowed(action, "listed")
    assert set(PROBLEM_TRANSITIONS) == set(ProblemAction.values)
