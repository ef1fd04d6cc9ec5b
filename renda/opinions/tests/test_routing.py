"""Who hears of which opinion event: each step of the loop, run through the opinion actions, then the outbox."""

import json

import pytest

from renda.notifications.models import Channel, Message
from renda.notifications.texts import render_body
from renda.opinions import actions
from renda.opinions.models import Category, Opinion
from renda.opinions.routing import route_event
from renda.opinions.workflow import Action, Rating, RefusalReason

NAME, PHONE, SUPPORTER_PHONE = "张三丰", "13812345678", "13987654321"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call an action with its after-commit notifications executed; return the messages it queued."""

    def call(function, *args, **kwargs):
        before = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with django_capture_on_commit_callbacks(execute=True):
            function(*args, **kwargs)
        return list(Message.objects.filter(id__gt=before).select_related("user").order_by("id"))

    return call


def who(messages):
    """(template, channel, recipient) rows: an account's username, or the kind of constituent number."""
    rows = set()
    for m in messages:
        if m.user_id:
            rows.add((m.template, m.channel, m.user.username))
        else:
            rows.add((m.template, m.channel, {PHONE: "submitter", SUPPORTER_PHONE: "supporter"}[m.phone]))
    return rows


def submit(world, station=None, **kwargs):
    category = Category.objects.get(name="交通出行")
    defaults = {"text": "路口红绿灯时间太短", "name": NAME, "phone": PHONE, "consent": True}
    return actions.submit(station=station or world.mudu_home, category=category, **(defaults | kwargs))


def assert_no_personal_data(messages):
    for message in messages:
        stored = json.dumps(message.context, ensure_ascii=False)
        body = render_body(message)
        for secret in (NAME, PHONE, SUPPORTER_PHONE, "红绿灯"):
            assert secret not in stored and secret not in body, (message.template, body)


def test_the_loop_tells_each_party_in_turn(world, run):
    world.unit_user.phone = "13600000000"
    world.unit_user.save(update_fields=["phone"])
    everything = []

    queued = run(submit, world)
    opinion = Opinion.objects.get()
    assert who(queued) == {("new_opinion", Channel.SITE, "keeper"), ("new_opinion", Channel.SITE, "deputy_user")}
    everything += queued

    queued = run(actions.support, opinion, name="李四", phone=SUPPORTER_PHONE)
    assert who(queued) == {("supported", Channel.SITE, "keeper"), ("supported", Channel.SITE, "deputy_user")}
    everything += queued

    queued = run(actions.perform, world.keeper, opinion.pk, Action.ACCEPT)
    assert who(queued) == {
        ("opinion_accepted", Channel.SMS, "submitter"),
        ("opinion_accepted", Channel.SMS, "supporter"),
    }
    everything += queued

    queued = run(actions.perform, world.wuzhong_staff, opinion.pk, Action.FORWARD, unit=world.wuzhong_unit)
    assert who(queued) == {
        ("opinion_forwarded", Channel.SMS, "submitter"),
        ("opinion_forwarded", Channel.SMS, "supporter"),
        ("forwarded_to_unit", Channel.SITE, "unit_user"),
        ("forwarded_to_unit", Channel.SMS, "unit_user"),
    }
    forwarded = next(m for m in queued if m.template == "opinion_forwarded")
    assert "吴中区住房和城乡建设局" in render_body(forwarded) and opinion.tracking_code in render_body(forwarded)
    everything += queued

    queued = run(actions.perform, world.unit_user, opinion.pk, Action.REQUEST_EXTENSION, note="需要调研", days=5)
    assert who(queued) == {("extension_requested", Channel.SITE, "wuzhong_staff")}
    assert "5" in render_body(queued[0])
    everything += queued

    queued = run(actions.perform, world.wuzhong_staff, opinion.pk, Action.GRANT_EXTENSION)
    assert who(queued) == {
        ("extension_granted", Channel.SITE, "unit_user"),
        ("extension_granted", Channel.SMS, "unit_user"),
    }
    everything += queued

    queued = run(actions.perform, world.unit_user, opinion.pk, Action.UNIT_REPLY, note="已调整信号配时")
    # The deputy replies to the constituent: the station hears that the unit answered.
    assert who(queued) == {("unit_replied", Channel.SITE, "keeper"), ("unit_replied", Channel.SITE, "deputy_user")}
    everything += queued

    queued = run(actions.perform, world.deputy_user, opinion.pk, Action.REPLY, note="信号灯已调整")
    assert who(queued) == {("opinion_replied", Channel.SMS, "submitter"), ("opinion_replied", Channel.SMS, "supporter")}
    replied = render_body(queued[0])
    assert f"http://127.0.0.1:8000/t/{opinion.tracking_code}/" in replied and "评价" in replied
    everything += queued

    opinion.refresh_from_db()
    queued = run(actions.rate, opinion, Rating.DISSATISFIED)
    assert who(queued) == {
        ("opinion_reopened", Channel.SMS, "submitter"),
        ("opinion_reopened", Channel.SMS, "supporter"),
        ("opinion_reopened_staff", Channel.SITE, "keeper"),
        ("opinion_reopened_staff", Channel.SITE, "deputy_user"),
    }
    everything += queued

    queued = run(actions.perform, world.keeper, opinion.pk, Action.HANDLE)
    assert queued == []  # the station took it up itself: nobody else needs telling
    queued = run(actions.perform, world.keeper, opinion.pk, Action.REPLY, note="再次处理")
    everything += queued
    opinion.refresh_from_db()
    queued = run(actions.rate, opinion, Rating.SATISFIED)
    assert who(queued) == {("opinion_final", Channel.SMS, "submitter"), ("opinion_final", Channel.SMS, "supporter")}
    everything += queued

    assert_no_personal_data(everything)


def test_refusal_tells_the_reason_and_nobody_hears_of_their_own_step(world, run):
    opinion = submit(world).opinion
    queued = run(actions.perform, world.keeper, opinion.pk, Action.REFUSE, reason=RefusalReason.IN_LITIGATION)
    assert who(queued) == {("opinion_refused", Channel.SMS, "submitter")}
    body = render_body(queued[0])
    assert "涉诉涉法" in body and opinion.tracking_code in body
    assert_no_personal_data(queued)


def test_merge_tells_which_opinion_theirs_joined_and_the_answer_reaches_them(world, run):
    target = submit(world, phone="", consent=False, name="").opinion
    duplicate = submit(world).opinion
    queued = run(actions.perform, world.keeper, duplicate.pk, Action.MERGE, merge_into=target)
    assert who(queued) == {("opinion_merged", Channel.SMS, "submitter")}
    body = render_body(queued[0])
    assert target.tracking_code in body and f"/t/{target.tracking_code}/" in body

    # Every submitter is answered: the merged opinion's submitter hears of the target's reply.
    queued = run(actions.perform, world.deputy_user, target.pk, Action.ANSWER_ON_SPOT, note="已现场答复")
    assert who(queued) == {("opinion_replied", Channel.SMS, "submitter")}
    assert f"/t/{target.tracking_code}/" in render_body(queued[0])


def test_reassignment_request_goes_to_the_staff_of_the_opinions_region(world, run):
    opinion = submit(world, station=world.weiting_station).opinion
    run(actions.perform, world.wuzhong_staff, opinion.pk, Action.ACCEPT)
    run(actions.perform, world.wuzhong_staff, opinion.pk, Action.FORWARD, unit=world.wuzhong_unit)
    queued = run(actions.perform, world.unit_user, opinion.pk, Action.REQUEST_REASSIGN, note="不属于本单位")
    # 唯亭街道 has no staff of its own: the nearest up its legal chain is 吴中区.
    assert who(queued) == {("reassign_requested", Channel.SITE, "wuzhong_staff")}
    assert "吴中区住房和城乡建设局" in render_body(queued[0])
    # The public timeline names the unit that asked, although asking cleared the opinion's unit.
    assert opinion.events.get(action=Action.REQUEST_REASSIGN).public_actor == "吴中区住房和城乡建设局"


def test_without_consent_the_constituent_gets_nothing(world, run):
    opinion = submit(world, consent=False).opinion
    assert opinion.submitter_phone == ""
    assert run(actions.perform, world.keeper, opinion.pk, Action.ACCEPT) == []


def test_routing_an_event_twice_queues_nothing_new(world, run):
    opinion = submit(world).opinion
    run(actions.perform, world.keeper, opinion.pk, Action.ACCEPT)
    event = opinion.events.get(action=Action.ACCEPT)
    count = Message.objects.count()
    assert route_event(event.pk) == 0
    assert Message.objects.count() == count
    assert route_event(999999) == 0


def test_messages_are_rendered_in_chinese(world, run):
    opinion = submit(world).opinion
    queued = run(actions.perform, world.keeper, opinion.pk, Action.ACCEPT)
    body = render_body(queued[0])
    assert "您" in body and "受理" in body
