"""The whole loop through the actions, as a first guard: submit → accept → forward → unit reply → reply → rate."""

from renda.opinions import actions, search
from renda.opinions.models import Category, Opinion
from renda.opinions.workflow import Action, Rating, State


def test_loop_and_search(world):
    category = Category.objects.get(name="交通出行")
    first = actions.submit(
        station=world.mudu_home, category=category, text="小区停车难，晚上没有车位", client_token="t1"
    )
    again = actions.submit(
        station=world.mudu_home, category=category, text="小区停车难，晚上没有车位", client_token="t1"
    )
    assert first.created and not again.created and again.opinion.pk == first.opinion.pk
    opinion = first.opinion
    assert len(opinion.tracking_code) == 10 and opinion.region == world.mudu and opinion.due_at

    actions.perform(world.keeper, opinion.pk, Action.ACCEPT)
    actions.perform(world.wuzhong_staff, opinion.pk, Action.FORWARD, unit=world.wuzhong_unit, note="请住建局处理")
    actions.perform(world.unit_user, opinion.pk, Action.UNIT_REPLY, note="已规划新增车位")
    actions.perform(world.deputy_user, opinion.pk, Action.REPLY, note="住建局已答复，将新增车位")
    opinion.refresh_from_db()
    assert opinion.status == State.CLOSED
    actions.rate(opinion, Rating.DISSATISFIED)
    opinion.refresh_from_db()
    assert opinion.status == State.REOPENED and opinion.reopen_count == 1
    assert [e.action for e in opinion.events.all()] == [
        "submit",
        "accept",
        "forward",
        "unit_reply",
        "reply",
        "rate",
    ]

    other = actions.submit(station=world.canglang_home, category=category, text="路灯坏了", client_token="t2").opinion
    assert list(Opinion.objects.filter(search.matching_q("停车"))) == [opinion]
    assert list(Opinion.objects.filter(search.matching_q("路灯"))) == [other]
    assert list(Opinion.objects.filter(search.matching_q("车位"))) == [opinion]
    assert not Opinion.objects.filter(search.matching_q("停位")).exists()
    assert list(Opinion.objects.filter(search.matching_q("停车难"))) == [opinion]


def test_gusu_staff_cannot_act_on_wuzhong_opinion(world):
    import pytest

    category = Category.objects.first()
    opinion = actions.submit(station=world.mudu_home, category=category, text="测试意见").opinion
    with pytest.raises(actions.TransitionError):
        actions.perform(world.gusu_staff, opinion.pk, Action.ACCEPT)
    with pytest.raises(actions.TransitionError):
        actions.perform(world.unit_user, opinion.pk, Action.UNIT_REPLY, note="x")
    opinion.refresh_from_db()
    assert opinion.status == State.SUBMITTED


def test_extension_keeps_or_extends_the_units_deadline(world):
    from renda.workdays.calendar import due_at

    category = Category.objects.first()
    opinion = actions.submit(station=world.mudu_home, category=category, text="测试延期").opinion
    actions.perform(world.wuzhong_staff, opinion.pk, Action.ACCEPT)
    actions.perform(world.wuzhong_staff, opinion.pk, Action.FORWARD, unit=world.wuzhong_unit)
    opinion.refresh_from_db()
    original = opinion.due_at
    actions.perform(world.unit_user, opinion.pk, Action.REQUEST_EXTENSION, days=10, note="需要现场勘查")
    actions.perform(world.wuzhong_staff, opinion.pk, Action.REFUSE_EXTENSION, note="请按期办理")
    opinion.refresh_from_db()
    assert opinion.status == State.FORWARDED and opinion.due_at == original
    actions.perform(world.unit_user, opinion.pk, Action.REQUEST_EXTENSION, days=10, note="确需延期")
    actions.perform(world.wuzhong_staff, opinion.pk, Action.GRANT_EXTENSION)
    opinion.refresh_from_db()
    assert opinion.due_at == due_at(original, 10, working=True)
