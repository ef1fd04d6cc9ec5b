"""Each rule of the workflow lives in one function (rules.py, the transition table) and the action re-checks it:
a caller that skips the form — a script, the API, a forged POST — is refused with a clear message, nothing changed."""

import pytest
from django.urls import reverse

from renda.accounts.models import Grant, Role
from renda.audit.models import AuditEvent
from renda.opinions import actions, rules
from renda.opinions.access import opinions_for
from renda.opinions.forms import ActionForm, BulkForm
from renda.opinions.models import Event, Opinion
from renda.opinions.workflow import DONE_STATES, SUPPORTABLE_STATES, TRANSITIONS, Action, Actor, Rating, State
from renda.people.models import Unit

from .staff_helpers import make_opinion


def unchanged(opinion, before_status, events_before, audits_before):
    opinion.refresh_from_db()
    assert opinion.status == before_status
    assert Event.objects.filter(opinion=opinion).count() == events_before
    assert AuditEvent.objects.count() == audits_before


def refused(call, match):
    with pytest.raises(actions.TransitionError) as raised:
        call()
    assert match in " ".join(raised.value.messages)


def test_the_single_and_the_bulk_form_offer_a_keeper_the_same_units(world):
    opinion = make_opinion(world, State.ACCEPTED)
    single = ActionForm(action=Action.FORWARD, opinion=opinion, user=world.keeper).fields["unit"].queryset
    bulk = BulkForm(user=world.keeper).fields["unit"].queryset
    # The keeper of a 木渎镇 station forwards to the district's departments, not to another district's.
    assert list(single) == list(bulk) == [world.wuzhong_unit]
    assert list(rules.forward_units(world.keeper, opinion)) == [world.wuzhong_unit]


@pytest.mark.parametrize("user_name", ["wuzhong_staff", "keeper", "deputy_user", "city_staff"])
def test_every_unit_a_single_form_offers_is_in_the_bulk_form(world, user_name):
    user = getattr(world, user_name, None) or world.wuzhong_staff
    bulk = set(rules.bulk_forward_units(user))
    for station in (world.mudu_home, world.canglang_home):
        opinion = make_opinion(world, State.ACCEPTED, station=station)
        if opinions_for(user).filter(pk=opinion.pk).exists():
            assert set(rules.forward_units(user, opinion)) <= bulk


def test_forward_to_a_unit_outside_the_rule_is_refused_by_the_action(world):
    opinion = make_opinion(world, State.ACCEPTED)
    events, audits = opinion.events.count(), AuditEvent.objects.count()
    # 姑苏区's unit is neither the keeper's nor above 木渎镇: the form never offers it; the action refuses it too.
    refused(lambda: actions.perform(world.keeper, opinion.pk, Action.FORWARD, unit=world.gusu_unit), "可转办")
    unchanged(opinion, State.ACCEPTED, events, audits)
    assert opinion.unit is None
    # A deactivated unit cannot receive anything either.
    Unit.objects.filter(pk=world.wuzhong_unit.pk).update(is_active=False)
    world.wuzhong_unit.refresh_from_db()
    refused(lambda: actions.perform(world.wuzhong_staff, opinion.pk, Action.FORWARD, unit=world.wuzhong_unit), "")
    unchanged(opinion, State.ACCEPTED, events, audits)


def test_forward_to_an_allowed_unit_goes_through(world):
    opinion = make_opinion(world, State.ACCEPTED)
    actions.perform(world.keeper, opinion.pk, Action.FORWARD, unit=world.wuzhong_unit)
    opinion.refresh_from_db()
    assert opinion.status == State.FORWARDED and opinion.unit == world.wuzhong_unit


def test_a_keeper_forwards_in_bulk_now(world):
    accepted = [make_opinion(world, State.ACCEPTED) for _i in range(2)]
    data = {"ids": [o.pk for o in accepted], "action": Action.FORWARD, "unit": world.wuzhong_unit.pk}
    response = world.client(world.keeper).post(reverse("opinions:bulk"), data)
    assert response.status_code == 302
    assert Opinion.objects.filter(pk__in=data["ids"], status=State.FORWARDED, unit=world.wuzhong_unit).count() == 2


def test_bulk_forward_checks_each_opinion_against_the_rule(world):
    # A keeper of two stations in two districts is offered both districts' units in bulk; each opinion may go only to
    # its own district's, and the action says so for the other one.
    Grant.objects.create(user=world.keeper, role=Role.STATION_KEEPER, station=world.canglang_home)
    mudu = make_opinion(world, State.ACCEPTED)
    canglang = make_opinion(world, State.ACCEPTED, station=world.canglang_home)
    assert set(BulkForm(user=world.keeper).fields["unit"].queryset) == {world.wuzhong_unit, world.gusu_unit}
    data = {"ids": [mudu.pk, canglang.pk], "action": Action.FORWARD, "unit": world.gusu_unit.pk}
    response = world.client(world.keeper).post(reverse("opinions:bulk"), data, follow=True)
    lines = [str(message) for message in response.context["messages"]]
    assert any(canglang.tracking_code in line for line in lines if "1" in line)
    assert any(mudu.tracking_code in line and world.gusu_unit.name in line for line in lines)
    mudu.refresh_from_db()
    canglang.refresh_from_db()
    assert (mudu.status, mudu.unit) == (State.ACCEPTED, None)
    assert (canglang.status, canglang.unit) == (State.FORWARDED, world.gusu_unit)


@pytest.mark.parametrize("target_state", [State.REFUSED, State.MERGED, State.FINAL])
def test_merge_into_a_finished_opinion_is_refused_by_the_action(world, target_state):
    opinion = make_opinion(world, State.SUBMITTED)
    target = make_opinion(world, target_state, text="同一个停车问题")
    events, audits = opinion.events.count(), AuditEvent.objects.count()
    call = lambda: actions.perform(world.wuzhong_staff, opinion.pk, Action.MERGE, merge_into=target)  # noqa: E731
    refused(call, "请选择另一条仍在办理的意见进行合并")
    unchanged(opinion, State.SUBMITTED, events, audits)
    assert opinion.merged_into is None and target.events.count() == 1


def test_merge_into_itself_or_outside_scope_is_refused_by_the_action(world):
    opinion = make_opinion(world, State.SUBMITTED)
    foreign = make_opinion(world, State.SUBMITTED, station=world.canglang_home)
    events, audits = opinion.events.count(), AuditEvent.objects.count()
    for target in (opinion, foreign, None):
        call = lambda t=target: actions.perform(world.keeper, opinion.pk, Action.MERGE, merge_into=t)  # noqa: E731
        refused(call, "合并")
    unchanged(opinion, State.SUBMITTED, events, audits)
    assert foreign.events.count() == 1


def test_merge_into_an_open_opinion_goes_through(world):
    opinion = make_opinion(world, State.SUBMITTED)
    target = make_opinion(world, State.FORWARDED, text="同一个停车问题")
    actions.perform(world.keeper, opinion.pk, Action.MERGE, merge_into=target)
    opinion.refresh_from_db()
    assert opinion.status == State.MERGED and opinion.merged_into == target
    assert target.events.filter(action=Action.SUPPORT).count() == 1


def test_the_api_refuses_a_unit_outside_the_rule(world):
    from renda.api.tests.helpers import bearer

    opinion = make_opinion(world, State.ACCEPTED)
    client, _secret = bearer(world.keeper)
    url = f"/api/v1/staff/opinions/{opinion.pk}/actions/forward"
    response = client.post(url, {"unit": world.gusu_unit.pk}, content_type="application/json")
    assert response.status_code == 422 and "unit" in response.json()["details"]
    merge = client.post(
        f"/api/v1/staff/opinions/{opinion.pk}/actions/merge",
        {"merge_into": make_opinion(world, State.FINAL).tracking_code},
        content_type="application/json",
    )
    assert merge.status_code == 422 and "merge_into" in merge.json()["details"]
    opinion.refresh_from_db()
    assert opinion.status == State.ACCEPTED and opinion.unit is None


def test_support_rate_and_auto_close_read_their_states_from_the_table(world):
    assert SUPPORTABLE_STATES == TRANSITIONS[Action.SUPPORT][0]
    for state in State.values:
        opinion = make_opinion(world, state)
        if state in SUPPORTABLE_STATES:
            actions.support(opinion, name="王")
        else:
            refused(lambda o=opinion: actions.support(o, name="王"), "")
        if state in TRANSITIONS[Action.RATE][0]:
            assert actions.rate(opinion, Rating.SATISFIED).to_state == State.FINAL
        else:
            refused(lambda o=opinion: actions.rate(o, Rating.SATISFIED), "现在不能评价")
        opinion = make_opinion(world, state)
        closed = actions.auto_close(opinion.pk)
        assert (closed is not None) == (state in TRANSITIONS[Action.AUTO_CLOSE][0])
        if closed is not None:
            assert (closed.to_state, closed.actor_role) == (TRANSITIONS[Action.AUTO_CLOSE][1], Actor.SYSTEM)


def test_entering_a_finished_state_stamps_closed_at(world):
    opinion = make_opinion(world, State.SUBMITTED)
    actions.perform(world.wuzhong_staff, opinion.pk, Action.REFUSE, reason="litigation")
    opinion.refresh_from_db()
    assert opinion.status in DONE_STATES and opinion.closed_at is not None


def test_the_api_lists_the_units_forward_accepts(world):
    from renda.api.tests.helpers import bearer

    opinion = make_opinion(world, State.ACCEPTED)
    client, _secret = bearer(world.keeper)
    detail = client.get(f"/api/v1/staff/opinions/{opinion.pk}").json()
    assert "forward" in detail["actions"]
    assert detail["forward_units"] == [{"id": world.wuzhong_unit.pk, "name": world.wuzhong_unit.name}]
    submitted = make_opinion(world, State.SUBMITTED)
    assert client.get(f"/api/v1/staff/opinions/{submitted.pk}").json()["forward_units"] == []
