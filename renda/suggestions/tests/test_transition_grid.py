"""The transition grid through HTTP: every role user × every state × every action a person may take.

Expected outcome comes from `workflow.TRANSITIONS` alone: allowed → redirect, the table's target (or the one the
action decides, listed in DECIDED), one new Event; not allowed → 400 and nothing changed; the item outside the user's
reach → 404 and nothing changed.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.suggestions.models import Event, Suggestion
from renda.suggestions.workflow import TRANSITIONS, Action, Actor, State, allowed

from .helpers import WITH_LEAD, add_people, make_suggestion

USERS = ["wuzhong_staff", "deputy_user", "signer", "unit_user", "co_user", "gusu_staff", "outsider"]


def role(user_name, state):
    """The user's workflow role on a 木渎镇 deputy's suggestion in `state` (None: not reachable)."""
    if user_name == "wuzhong_staff":
        return Actor.OFFICE
    if user_name == "deputy_user":
        return Actor.AUTHOR
    if user_name == "signer":
        return Actor.INVITEE if state == State.SIGNING else Actor.SIGNER
    if user_name == "unit_user":
        return Actor.LEAD if state in WITH_LEAD else None
    if user_name == "co_user":
        return Actor.CO if state in WITH_LEAD else None
    return None


# Targets the actions decide, for the items make_suggestion builds (one invited signer; author + signer rate).
DECIDED = {
    (Action.SIGN, State.SIGNING): State.SUBMITTED,
    (Action.DECLINE, State.SIGNING): State.SUBMITTED,
    (Action.SEND_BACK, State.REPLIED): State.ASSIGNED,
}


def post_data(world, merge_target):
    return {
        "note": "已按要求办理",
        "reason": "不属于本单位职责",
        "text": "已列入年度计划。",
        "category": "B",
        "rating": "basically",
        "comment": "",
        "merge_into": merge_target.number,
        "disposition": "letter",
        "lead_unit": world.wuzhong_unit.pk,
        "co_units": [world.co_unit.pk],
        "co_role": "assist",
        "method": "call",
        "happened_on": timezone.localdate().isoformat(),
        "days": 5,
        "leader": "张副主任",
    }


PERSON_ACTIONS = [a for a, (_s, _t, roles) in TRANSITIONS.items() if roles - {Actor.SYSTEM}]


@pytest.mark.parametrize("state", list(State.values))
@pytest.mark.parametrize("user_name", USERS)
def test_grid(world, user_name, state):
    add_people(world)
    client = world.client(getattr(world, user_name))
    merge_target = make_suggestion(world, State.REGISTERED, title="同一个停车问题")
    data = post_data(world, merge_target)
    mismatches = []
    for action in PERSON_ACTIONS:
        s = make_suggestion(world, state)
        events_before = Event.objects.filter(suggestion=s).count()
        response = client.post(reverse("suggestions_my:act", args=[s.pk, action]), data)
        s.refresh_from_db()
        events_after = Event.objects.filter(suggestion=s).count()
        r = role(user_name, state)
        if r is None:
            expected = (404, state, events_before)
        elif allowed(action, state, r):
            target = TRANSITIONS[action][1] or DECIDED.get((action, state), state)
            expected = (302, target, events_before + 1)
        else:
            expected = (400, state, events_before)
        got = (response.status_code, s.status, events_after)
        if got != expected:
            detail = response.content.decode()[:0] if response.status_code != 400 else _error(response)
            mismatches.append(f"{action}: expected {expected}, got {got} {detail}")
    assert not mismatches, f"{user_name} @ {state}\n" + "\n".join(mismatches)
    merged = Suggestion.objects.filter(merged_into=merge_target).count()
    assert merged == int(role(user_name, state) is not None and allowed(Action.MERGE, state, role(user_name, state)))


def _error(response):
    text = response.content.decode()
    start = text.find('role="alert">')
    return text[start + 13 : text.find("</p>", start)] if start >= 0 else ""


def test_every_person_action_is_in_the_grid():
    assert set(PERSON_ACTIONS) == set(TRANSITIONS) - {Action.AUTO_CLOSE}
