"""Reminders, escalation (督办) and auto-closing, with an explicit `now` walked across the 2026 National Day week.

An opinion submitted on Wed 30 Sep 2026 at 10:00 must be acknowledged within 2 working days: 1–7 Oct are holidays,
so it is due at the end of Fri 9 Oct. With the default `remind_days_before` = 1 it is reminded on Thu 8 Oct (not
during the holiday), and it is overdue — escalated — on Sat 10 Oct, a 调休 working day.
"""

from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from renda.audit.models import AuditEvent
from renda.notifications.models import Channel, Message
from renda.opinions import actions, deadlines, reminders
from renda.opinions.models import Category, DeadlineRule, Event, Opinion
from renda.opinions.workflow import Action, State
from renda.workdays.calendar import CHINA

SUBMITTED_AT = datetime(2026, 9, 30, 10, 0, tzinfo=CHINA)
DUE = datetime(2026, 10, 9, 23, 59, 59, tzinfo=CHINA)


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, 0, tzinfo=CHINA)


def opinion_at(station=None, *, deputy=None, state=State.SUBMITTED, start=SUBMITTED_AT, phone="", **fields):
    """An opinion in `state` whose current deadline was counted from `start` (as the workflow would)."""
    category = Category.objects.get(name="城乡建设")
    opinion = actions.submit(
        station=station, deputy=deputy, category=category, text="路灯坏了", phone=phone, consent=bool(phone)
    ).opinion
    due = deadlines.due_for_state(state, category.pk, start=start)
    Opinion.objects.filter(pk=opinion.pk).update(status=state, due_at=due, **fields)
    opinion.refresh_from_db()
    return opinion


def deadline_messages():
    """What the deadline job queues (submitting an opinion queues its own "new opinion" messages too)."""
    return Message.objects.filter(template__in=("reminder", "escalated"))


def recipients(template):
    return sorted(Message.objects.filter(template=template).values_list("user__username", "channel"))


def test_due_date_counts_working_days_over_national_day(world):
    opinion = opinion_at(world.mudu_home)
    assert opinion.due_at == DUE


def test_reminded_on_the_last_working_day_not_during_the_holiday(world):
    opinion = opinion_at(world.mudu_home)

    for holiday in (at(10, 2), at(10, 7, 20)):  # Oct 8 and 9 are still two working days away
        assert reminders.run(holiday).reminded == 0
    assert not deadline_messages().exists()

    summary = reminders.run(at(10, 8))
    assert (summary.reminded, summary.escalated) == (1, 0)
    # The station's keeper and the deputies serving there who have accounts (deputy_city has none).
    assert recipients("reminder") == [("deputy_user", Channel.SITE), ("keeper", Channel.SITE)]
    opinion.refresh_from_db()
    assert opinion.reminded_at == at(10, 8) and opinion.escalated_at is None

    again = reminders.run(at(10, 8, 10))
    assert (again.reminded, again.messages) == (0, 0)
    assert deadline_messages().count() == 2


def test_overdue_on_the_working_saturday_escalates_to_the_district_once(world):
    opinion = opinion_at(world.mudu_home)
    assert reminders.run(at(10, 9, 23)).escalated == 0  # due at 23:59:59 that day

    summary = reminders.run(at(10, 10))
    assert summary.escalated == 1
    # 木渎镇's legal parent is 吴中区: its congress staff supervise; not 姑苏区's, not the city's.
    assert recipients("escalated") == [("wuzhong_staff", Channel.SITE)]
    body = Message.objects.get(template="escalated")
    assert body.context["code"] == opinion.tracking_code and body.context["region"] == "木渎镇"
    opinion.refresh_from_db()
    assert opinion.escalated_at == at(10, 10) and opinion.status == State.SUBMITTED
    # Supervision is not a workflow step: no Event; but it is in the audit log.
    assert list(opinion.events.values_list("action", flat=True)) == [Action.SUBMIT]
    audit = AuditEvent.objects.get(action="opinion.escalate")
    assert audit.object_id == str(opinion.pk) and audit.changes["to_region"] == world.wuzhong.code
    assert audit.changes["to_users"] == [world.wuzhong_staff.pk]

    again = reminders.run(at(10, 12))
    assert (again.escalated, again.messages) == (0, 0)
    assert Message.objects.filter(template="escalated").count() == 1
    assert AuditEvent.objects.filter(action="opinion.escalate").count() == 1


def test_escalation_follows_the_legal_parent_and_falls_back_upward(world):
    weiting = opinion_at(world.weiting_station)  # managed by the 园区 zone, legally in 吴中区
    xietang = opinion_at(world.xietang_station)  # 虎丘区 has no congress staff account: the city supervises
    canglang = opinion_at(world.canglang_home)
    district = opinion_at(deputy=world.deputy_city)  # addressed to a deputy elected in 姑苏区 (a district)
    reminders.run(at(10, 12))

    def escalated_to(opinion):
        return sorted(
            Message.objects.filter(template="escalated", context__code=opinion.tracking_code).values_list(
                "user__username", flat=True
            )
        )

    assert escalated_to(weiting) == ["wuzhong_staff"]
    assert escalated_to(xietang) == ["city_staff"]
    assert escalated_to(canglang) == ["gusu_staff"]
    assert escalated_to(district) == ["city_staff"]


def test_a_forwarded_opinion_reminds_the_unit_by_site_and_sms(world):
    world.unit_user.phone = "13900001111"
    world.unit_user.save(update_fields=["phone"])
    opinion = opinion_at(world.mudu_home, state=State.FORWARDED, unit=world.wuzhong_unit)
    # The unit step is 15 working days from 30 Sep: 8, 9, 10, 12–16, 19–23, 26, 27 Oct → due 27 Oct.
    assert opinion.due_at == datetime(2026, 10, 27, 23, 59, 59, tzinfo=CHINA)
    assert reminders.run(at(10, 23)).reminded == 0  # Friday: 26 and 27 Oct still to go
    assert reminders.run(at(10, 26)).reminded == 1
    assert recipients("reminder") == [("unit_user", Channel.SITE), ("unit_user", Channel.SMS)]
    sms = Message.objects.get(template="reminder", channel=Channel.SMS)
    assert sms.phone == "13900001111"


def test_a_category_rule_reminds_earlier(world):
    category = Category.objects.get(name="城乡建设")
    DeadlineRule.objects.create(step="acknowledge", category=category, days=2, remind_days_before=3)
    opinion_at(world.mudu_home)
    assert reminders.run(at(10, 2)).reminded == 1  # 8 and 9 Oct: within 3 working days


def test_a_new_deadline_is_reminded_and_escalated_afresh(world):
    opinion = opinion_at(world.mudu_home)
    reminders.run(at(10, 10))
    opinion.refresh_from_db()
    assert opinion.escalated_at is not None
    actions.perform(world.keeper, opinion.pk, Action.ACCEPT)
    opinion.refresh_from_db()
    assert opinion.escalated_at is None and opinion.reminded_at is None
    Opinion.objects.filter(pk=opinion.pk).update(due_at=deadlines.due_for_state(State.ACCEPTED, None, start=at(10, 10)))
    # Accepted on 10 Oct: 15 working days → 30 Oct; reminded 29 Oct, escalated 31 Oct.
    assert reminders.run(at(10, 29)).reminded == 1
    assert reminders.run(at(10, 31)).escalated == 1
    assert Message.objects.filter(template="escalated").count() == 2


def test_closed_and_done_opinions_are_neither_reminded_nor_escalated(world):
    for state in (State.REFUSED, State.MERGED, State.FINAL, State.SUGGESTION):
        opinion_at(world.mudu_home, state=state)
        Opinion.objects.filter(status=state).update(due_at=SUBMITTED_AT)
    summary = reminders.run(at(12, 1))
    assert (summary.reminded, summary.escalated, summary.auto_closed) == (0, 0, 0)
    assert not deadline_messages().exists()


def test_rating_period_over_closes_the_opinion_and_tells_the_constituent(world, django_capture_on_commit_callbacks):
    # Closed on 30 Sep: the rating period is 15 calendar days → 15 Oct.
    opinion = opinion_at(world.mudu_home, state=State.CLOSED, phone="13700001234")
    assert opinion.due_at == datetime(2026, 10, 15, 23, 59, 59, tzinfo=CHINA)
    assert reminders.run(at(10, 15)).auto_closed == 0
    with django_capture_on_commit_callbacks(execute=True):
        summary = reminders.run(at(10, 16))
    assert summary.auto_closed == 1
    opinion.refresh_from_db()
    assert opinion.status == State.FINAL and opinion.due_at is None
    assert opinion.events.last().action == Action.AUTO_CLOSE
    assert AuditEvent.objects.filter(action="opinion.auto_close", object_id=str(opinion.pk)).exists()
    sms = Message.objects.get(template="opinion_final")
    assert sms.channel == Channel.SMS and sms.phone == "13700001234" and sms.context["auto"] is True
    # Closed states wait on the constituent: never reminded or escalated.
    assert not Message.objects.filter(template__in=["reminder", "escalated"]).exists()
    assert reminders.run(at(10, 17)).auto_closed == 0
    assert Event.objects.filter(action=Action.AUTO_CLOSE).count() == 1


def test_command_prints_a_summary_and_is_idempotent(world, capsys):
    opinion_at(world.mudu_home)
    call_command("opinion_deadlines", "--now", "2026-10-10T09:00:00+08:00")
    first = capsys.readouterr().out
    assert "escalated 1" in first and "queued 1 messages" in first
    call_command("opinion_deadlines", "--now", "2026-10-10T09:10:00+08:00")
    assert "escalated 0" in capsys.readouterr().out
    assert deadline_messages().count() == 1


def test_command_rejects_a_bad_time(world):
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("opinion_deadlines", "--now", "yesterday")
