"""The transition grid through HTTP: every role user × every state × every staff-side action.

Expected outcome comes from `workflow.TRANSITIONS` alone: allowed → redirect, new state, one new Event; not allowed →
400 and nothing changed; the opinion outside the user's inbox → 404 and nothing changed.
"""

import pytest
from django.urls import reverse

from renda.opinions.forms import ACTION_FIELDS
from renda.opinions.models import Event, Opinion
from renda.opinions.workflow import TRANSITIONS, Action, Actor, RefusalReason, State, allowed

from .staff_helpers import WITH_UNIT, make_opinion

# Each user's workflow role on an opinion at 木渎镇代表之家 (None: the opinion is not in their inbox).
ROLE = {
    "wuzhong_staff": Actor.STAFF,
    "keeper": Actor.KEEPER,
    "deputy_user": Actor.DEPUTY,
    "unit_user": Actor.UNIT,  # only once the opinion has been forwarded to the unit
    "gusu_staff": None,
    "outsider": None,
}


def visible(user_name, state):
    if user_name == "unit_user":
        return state in WITH_UNIT
    return ROLE[user_name] is not None


def post_data(world, action, state, merge_target):
    data = {
        "state": state,
        "note": "已联系相关部门处理",
        "internal_note": "内部备注：请跟进",
        "reason": RefusalReason.IN_LITIGATION,
        "merge_into": merge_target.tracking_code,
        "unit": world.wuzhong_unit.pk,
        "days": 5,
    }
    return {f"{action}-{key}": value for key, value in data.items()}


@pytest.mark.parametrize("state", list(State.values))
@pytest.mark.parametrize("user_name", list(ROLE))
def test_grid(world, user_name, state):
    user = getattr(world, user_name)
    client = world.client(user)
    merge_target = make_opinion(world, State.SUBMITTED, text="同一个停车问题")
    mismatches = []
    for action in ACTION_FIELDS:
        opinion = make_opinion(world, state)
        events_before = Event.objects.filter(opinion=opinion).count()
        url = reverse("opinions:act", args=[opinion.pk, action])
        response = client.post(url, post_data(world, action, state, merge_target))
        opinion.refresh_from_db()
        events_after = Event.objects.filter(opinion=opinion).count()
        if not visible(user_name, state):
            expected = (404, state, events_before)
        elif allowed(action, state, ROLE[user_name]):
            expected = (302, TRANSITIONS[action][1] or state, events_before + 1)
        else:
            expected = (400, state, events_before)
        got = (response.status_code, opinion.status, events_after)
        if got != expected:
            mismatches.append(f"{action}: expected {expected}, got {got}")
    assert not mismatches, f"{user_name} @ {state}\n" + "\n".join(mismatches)
    # Only the allowed merges touched the target (a "merged into this one" event each).
    merged = Opinion.objects.filter(merged_into=merge_target).count()
    assert merged == int(visible(user_name, state) and allowed(Action.MERGE, state, ROLE[user_name] or ""))


def test_every_staff_action_is_in_the_grid():
    staff_side = {a for a, (_s, _t, roles) in TRANSITIONS.items() if roles - {Actor.CONSTITUENT, Actor.SYSTEM}}
    assert staff_side == set(ACTION_FIELDS)
