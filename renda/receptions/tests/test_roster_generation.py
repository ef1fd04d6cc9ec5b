"""Roster generation over the 2026 National Day week, idempotency, the daily command, and editing a slot."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.receptions.actions import roster
from renda.receptions.models import Duty, Reception, RosterSlot
from renda.workdays.calendar import forget_calendar

D = dt.date
# Thursday 24 September 2026, 09:00 in Suzhou: the schedule then runs from Saturday 26 September (two days' notice)
# to Wednesday 21 October (four weeks). 25–27 September is the Mid-autumn holiday, 1–7 October National Day, and
# Saturday 10 October a 调休 working day.
SEPT_24 = dt.datetime(2026, 9, 24, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


def slot_post(world, **extra):
    data = {
        "weekday": 3,
        "every_weeks": 1,
        "starts": "09:00",
        "ends": "11:30",
        "valid_from": "2026-09-01",
        "valid_until": "",
        "skip_holidays": "on",
        "deputies": [world.deputy_wz.pk, world.deputy_city.pk],
    }
    data.update(extra)
    return data


def thursdays(**changes):
    """A weekly slot's fields: Thursdays 09:00–10:00 from 1 September 2026 (skip_holidays left to the model)."""
    return {
        "weekday": 3,
        "every_weeks": 1,
        "starts": dt.time(9),
        "ends": dt.time(10),
        "valid_from": D(2026, 9, 1),
    } | changes


def thursday_slot(world):
    """吴中区 staff's Thursday slot at 木渎镇代表之家 with 吴测试 on duty, its receptions generated."""
    slot, _result = roster.create_slot(world.wuzhong_staff, world.mudu_home, thursdays(), [world.deputy_wz])
    return slot


def dates(slot):
    return sorted(slot.receptions.values_list("date", flat=True))


@time_machine.travel(SEPT_24, tick=False)
def test_creating_a_slot_generates_and_publishes_skipping_national_day(world):
    client = world.client(world.wuzhong_staff)
    url = reverse("receptions:roster_slot_create", kwargs={"station_pk": world.mudu_home.pk})
    response = client.post(url, slot_post(world))
    assert response.status_code == 302
    slot = RosterSlot.objects.get(station=world.mudu_home)
    # Thursdays in the window: 1 October (National Day, skipped), 8 and 15 October. Today (24 Sep) is too close.
    assert dates(slot) == [D(2026, 10, 8), D(2026, 10, 15)]
    for reception in slot.receptions.all():
        assert reception.kind == "roster" and reception.published_at is not None and reception.status == "scheduled"
        assert (reception.starts, reception.ends) == (dt.time(9), dt.time(11, 30))
        assert set(reception.duties.values_list("deputy_id", flat=True)) == {world.deputy_wz.pk, world.deputy_city.pk}
    assert AuditEvent.objects.filter(action="roster.slot_create", region_path=world.mudu.path).exists()
    # The skip is visible on the station's roster page.
    page = client.get(reverse("receptions:roster_station", kwargs={"station_pk": world.mudu_home.pk}))
    skipped = page.content.decode().split('class="skipped"')[1].split("</div>")[0]
    assert "2026-10-01" in skipped and "2026-10-08" not in skipped


@time_machine.travel(SEPT_24, tick=False)
def test_weekend_slot_skips_holidays_but_keeps_the_working_saturday_and_ordinary_weekends(world):
    slot, result = roster.create_slot(
        world.wuzhong_staff,
        world.mudu_home,
        {"weekday": 5, "every_weeks": 1, "starts": dt.time(14), "ends": dt.time(16), "valid_from": D(2026, 9, 1)},
        [world.deputy_wz],
    )
    # 26 Sep (Mid-autumn) and 3 Oct (National Day) skipped; 10 Oct is a 调休 working Saturday, 17 Oct a plain one.
    assert dates(slot) == [D(2026, 10, 10), D(2026, 10, 17)]
    assert [day for day, _reason in result.skipped] == [D(2026, 9, 26), D(2026, 10, 3)]


@time_machine.travel(SEPT_24, tick=False)
def test_holidays_are_kept_when_the_slot_says_so_and_fortnightly_slots_keep_their_rhythm(world):
    keep, _ = roster.create_slot(
        world.wuzhong_staff, world.mudu_home, thursdays(skip_holidays=False), [world.deputy_wz]
    )
    assert dates(keep) == [D(2026, 10, 1), D(2026, 10, 8), D(2026, 10, 15)]
    # Every other Monday counted from the first Monday on or after 7 Sep: 7, 21 Sep, 5 (holiday), 19 Oct.
    fortnightly, _ = roster.create_slot(
        world.wuzhong_staff,
        world.mudu_home,
        {"weekday": 0, "every_weeks": 2, "starts": dt.time(9), "ends": dt.time(10), "valid_from": D(2026, 9, 7)},
        [world.deputy_wz],
    )
    assert dates(fortnightly) == [D(2026, 10, 19)]


@time_machine.travel(SEPT_24, tick=False)
def test_the_daily_command_is_idempotent_and_extends_the_horizon(world):
    slot = thursday_slot(world)
    before = (Reception.objects.count(), Duty.objects.count())
    out = StringIO()
    call_command("receptions_schedule", stdout=out)
    assert "0 receptions" in out.getvalue() and "1 holiday dates skipped" in out.getvalue()
    assert (Reception.objects.count(), Duty.objects.count()) == before
    # A week later the horizon reaches 22 October; running twice still creates it once.
    for _run in range(2):
        call_command("receptions_schedule", "--date", "2026-10-01", stdout=StringIO())
    assert dates(slot) == [D(2026, 10, 8), D(2026, 10, 15), D(2026, 10, 22)]
    assert slot.receptions.get(date=D(2026, 10, 22)).duties.count() == 1


def test_the_command_refuses_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("receptions_schedule", "--date", "tomorrow", stdout=StringIO())


@time_machine.travel(SEPT_24, tick=False)
def test_editing_a_slot_moves_later_receptions_and_leaves_the_near_ones_alone(world):
    slot = thursday_slot(world)
    with time_machine.travel(dt.datetime(2026, 10, 7, 9, tzinfo=SEPT_24.tzinfo), tick=False):
        url = reverse("receptions:roster_slot_edit", kwargs={"slot_pk": slot.pk})
        client = world.client(world.wuzhong_staff)  # a fresh login: the session of two weeks ago has expired
        response = client.post(url, slot_post(world, weekday=4, deputies=[world.deputy_city.pk]))
        assert response.status_code == 302 and response["Location"].endswith(f"/roster/stations/{slot.station_id}/")
    near = slot.receptions.get(date=D(2026, 10, 8))  # inside the two days' notice: kept as published
    assert near.status == "scheduled" and near.changed_at is None
    assert list(near.duties.values_list("deputy_id", flat=True)) == [world.deputy_wz.pk]
    later = slot.receptions.get(date=D(2026, 10, 15))  # no longer a slot date: cancelled, highlighted, told
    assert later.status == "cancelled" and later.changed_at is not None and later.cancel_reason
    from renda.notifications.models import Message

    assert Message.objects.filter(template="reception_cancelled", user=world.deputy_user, channel="site").count() == 1
    fridays = slot.receptions.filter(status="scheduled", date__gte=D(2026, 10, 9))
    assert sorted(fridays.values_list("date", flat=True)) == [
        D(2026, 10, 9),
        D(2026, 10, 16),
        D(2026, 10, 23),
        D(2026, 10, 30),
    ]
    assert set(Duty.objects.filter(reception__in=fridays).values_list("deputy_id", flat=True)) == {world.deputy_city.pk}


@time_machine.travel(SEPT_24, tick=False)
def test_changing_only_deputies_updates_later_receptions_and_marks_them_changed(world):
    slot = thursday_slot(world)
    changes, _ = roster.update_slot(
        world.wuzhong_staff,
        slot,
        thursdays(),
        [world.deputy_wz, world.deputy_city],
    )
    assert set(changes) == {"deputies"}
    for reception in slot.receptions.all():
        assert reception.changed_at is not None
        assert reception.duties.count() == 2
    # Moving the time tells everyone still on duty: 吴测试 (account and phone) once per reception and channel.
    roster.update_slot(
        world.wuzhong_staff,
        slot,
        thursdays(starts=dt.time(14), ends=dt.time(15)),
        [world.deputy_wz, world.deputy_city],
    )
    assert {(r.starts, r.ends) for r in slot.receptions.all()} == {(dt.time(14), dt.time(15))}
    from renda.notifications.models import Message

    told = Message.objects.filter(template="reception_duty_changed", user=world.deputy_user)
    assert told.count() == 2 * slot.receptions.count() and all(m.context["starts"] == "14:00" for m in told)


@time_machine.travel(SEPT_24, tick=False)
def test_stopping_a_slot_cancels_later_receptions_and_generation_then_adds_none(world):
    slot = thursday_slot(world)
    client = world.client(world.wuzhong_staff)
    response = client.post(reverse("receptions:roster_slot_deactivate", kwargs={"slot_pk": slot.pk}))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert not slot.is_active
    assert set(slot.receptions.values_list("status", flat=True)) == {"cancelled"}
    assert roster.generate_all().receptions == 0
