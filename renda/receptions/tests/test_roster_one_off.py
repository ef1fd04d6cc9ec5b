"""One-off receptions (the publish-days rule with frozen time), cancelling with notification, and who may do what."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from renda.notifications.models import Message
from renda.notifications.texts import render_body
from renda.receptions.actions import roster
from renda.receptions.models import Reception, RosterSlot

# Thursday 26 November 2026, 10:00 in Suzhou: with two days' notice the earliest one-off date is Saturday 28th.
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def one_off_url(station):
    return reverse("receptions:roster_one_off_create", kwargs={"station_pk": station.pk})


def one_off(world, day, deputies=None):
    data = {"date": day, "starts": "09:00", "ends": "11:00", "note": "", "deputies": deputies or [world.deputy_wz.pk]}
    return world.client(world.wuzhong_staff).post(one_off_url(world.mudu_home), data)


def test_tomorrow_is_refused_with_a_clear_error_and_nothing_is_written(world):
    response = one_off(world, "2026-11-27")
    assert response.status_code == 200
    assert "2026-11-28" in response.content.decode()  # the message names the earliest possible date
    assert not Reception.objects.exists()


def test_the_day_after_tomorrow_is_accepted_and_published_at_once(world):
    response = one_off(world, "2026-11-28", [world.deputy_wz.pk, world.deputy_city.pk])
    assert response.status_code == 302
    reception = Reception.objects.get()
    assert (reception.kind, reception.status, reception.date) == ("one_off", "scheduled", dt.date(2026, 11, 28))
    assert reception.published_at is not None and reception.changed_at is None
    assert set(reception.duties.values_list("deputy_id", flat=True)) == {world.deputy_wz.pk, world.deputy_city.pk}


def test_deputies_must_serve_the_station_or_belong_to_its_region(world):
    # 顾测试 is elected in 姑苏区 and serves 沧浪街道代表之家 only.
    response = one_off(world, "2026-11-30", [world.deputy_gs.pk])
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Reception.objects.exists()
    form = world.client(world.wuzhong_staff).get(one_off_url(world.mudu_home)).content.decode()
    assert "吴测试" in form and "苏测试" in form and "顾测试" not in form


def test_times_must_be_in_order(world):
    data = {"date": "2026-11-30", "starts": "11:00", "ends": "09:00", "deputies": [world.deputy_wz.pk]}
    response = world.client(world.wuzhong_staff).post(one_off_url(world.mudu_home), data)
    assert response.status_code == 200 and not Reception.objects.exists()


def published_one_off(world):
    return roster.add_one_off(
        world.wuzhong_staff,
        world.mudu_home,
        {"date": dt.date(2026, 12, 2), "starts": dt.time(9), "ends": dt.time(11), "note": ""},
        [world.deputy_wz, world.deputy_city],
    )


def test_cancelling_needs_a_reason_then_highlights_and_notifies_the_deputies(world):
    reception = published_one_off(world)
    url = reverse("receptions:roster_reception_cancel", kwargs={"reception_pk": reception.pk})
    client = world.client(world.wuzhong_staff)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    reception.refresh_from_db()
    assert reception.status == "scheduled" and not Message.objects.exists()

    response = client.post(url, {"reason": "会议室维修"})
    assert response.status_code == 302
    reception.refresh_from_db()
    assert (reception.status, reception.cancel_reason) == ("cancelled", "会议室维修")
    assert reception.changed_at is not None
    # 吴测试 has an account and a phone: an in-site message and an SMS; 苏测试 neither.
    messages = Message.objects.filter(template="reception_cancelled")
    assert sorted(messages.values_list("channel", flat=True)) == ["site", "sms"]
    text = render_body(messages.get(channel="sms"))
    assert "木渎镇代表之家" in text and "2026-12-02" in text and "会议室维修" in text
    assert "13800138000" not in str(messages.get(channel="sms").context)
    # Cancelling twice is refused and queues nothing more.
    assert client.post(url, {"reason": "再次"}).status_code == 400
    assert messages.count() == 2


def test_changing_a_one_off_s_deputies_marks_it_changed(world):
    reception = published_one_off(world)
    url = reverse("receptions:roster_reception_deputies", kwargs={"reception_pk": reception.pk})
    response = world.client(world.wuzhong_staff).post(url, {"deputies": [world.deputy_city.pk]})
    assert response.status_code == 302
    reception.refresh_from_db()
    assert reception.changed_at is not None
    assert list(reception.duties.values_list("deputy_id", flat=True)) == [world.deputy_city.pk]
    # 吴测试 is told they are no longer expected (in-site and SMS); 苏测试 has neither account nor phone.
    told = Message.objects.filter(template="reception_duty_changed")
    assert sorted(told.values_list("channel", flat=True)) == ["site", "sms"]
    assert {m.context["on_duty"] for m in told} == {False}
    assert "2026-12-02" in render_body(told.get(channel="site"))
    assert world.client(world.wuzhong_staff).post(url, {"deputies": []}).status_code == 400


def test_a_roster_reception_s_deputies_are_changed_through_its_slot_only(world):
    slot, _ = roster.create_slot(
        world.wuzhong_staff,
        world.mudu_home,
        {"weekday": 2, "every_weeks": 1, "starts": dt.time(9), "ends": dt.time(10), "valid_from": dt.date(2026, 11, 1)},
        [world.deputy_wz],
    )
    reception = slot.receptions.first()
    url = reverse("receptions:roster_reception_deputies", kwargs={"reception_pk": reception.pk})
    assert world.client(world.wuzhong_staff).post(url, {"deputies": [world.deputy_city.pk]}).status_code == 400
    assert list(reception.duties.values_list("deputy_id", flat=True)) == [world.deputy_wz.pk]


# Scoping ---------------------------------------------------------------------------------------------------------


def gusu_slot(world):
    return RosterSlot.objects.create(
        station=world.canglang_home,
        weekday=2,
        starts=dt.time(9),
        ends=dt.time(11),
        valid_from=dt.date(2026, 1, 1),
    )


def test_wuzhong_staff_cannot_see_or_change_canglang_s_roster(world):
    slot = gusu_slot(world)
    client = world.client(world.wuzhong_staff)
    station = {"station_pk": world.canglang_home.pk}
    assert client.get(reverse("receptions:roster_station", kwargs=station)).status_code == 404
    assert client.get(reverse("receptions:roster_slot_create", kwargs=station)).status_code == 404
    assert client.get(reverse("receptions:roster_slot_edit", kwargs={"slot_pk": slot.pk})).status_code == 404
    assert client.post(reverse("receptions:roster_slot_deactivate", kwargs={"slot_pk": slot.pk})).status_code == 404
    slot.refresh_from_db()
    assert slot.is_active
    assert "沧浪" not in client.get(reverse("receptions:roster_list")).content.decode()
    # 姑苏区's own staff see it.
    gusu = world.client(world.gusu_staff)
    assert gusu.get(reverse("receptions:roster_station", kwargs=station)).status_code == 200
    assert "沧浪街道代表之家" in gusu.get(reverse("receptions:roster_list")).content.decode()


def test_the_keeper_views_the_roster_but_does_not_change_it(world):
    reception = published_one_off(world)
    keeper = world.client(world.keeper)
    station = {"station_pk": world.mudu_home.pk}
    page = keeper.get(reverse("receptions:roster_station", kwargs=station))
    assert page.status_code == 200 and "2026-12-02" in page.content.decode()
    assert keeper.get(reverse("receptions:roster_slot_create", kwargs=station)).status_code == 404
    assert keeper.get(reverse("receptions:roster_one_off_create", kwargs=station)).status_code == 404
    detail = keeper.get(reverse("receptions:roster_reception", kwargs={"reception_pk": reception.pk}))
    assert detail.status_code == 200 and 'id="cancel"' not in detail.content.decode()
    cancel = reverse("receptions:roster_reception_cancel", kwargs={"reception_pk": reception.pk})
    assert keeper.post(cancel, {"reason": "x"}).status_code == 404
    reception.refresh_from_db()
    assert reception.status == "scheduled"


def test_the_station_page_and_the_home_page_link_to_the_roster(world):
    client = world.client(world.wuzhong_staff)
    roster_url = reverse("receptions:roster_station", kwargs={"station_pk": world.mudu_home.pk})
    assert roster_url in client.get(reverse("stations:detail", kwargs={"pk": world.mudu_home.pk})).content.decode()
    assert reverse("receptions:roster_list") in client.get(reverse("receptions:home")).content.decode()


def test_the_roster_list_counts_active_slots_and_coming_receptions(world, django_assert_max_num_queries):
    roster.create_slot(
        world.wuzhong_staff,
        world.mudu_home,
        {"weekday": 2, "every_weeks": 1, "starts": dt.time(9), "ends": dt.time(10), "valid_from": dt.date(2026, 11, 1)},
        [world.deputy_wz],
    )
    client = world.client(world.wuzhong_staff)
    client.get(reverse("receptions:roster_list"))  # warm the session and scope caches
    with django_assert_max_num_queries(8):
        html = client.get(reverse("receptions:roster_list")).content.decode()
    row = html.split("木渎镇代表之家</a>")[1].split("</tr>")[0]
    # One active slot; its Wednesdays 2, 9, 16 and 23 December are generated (to four weeks ahead, 23 Dec).
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[2:]] == ["1", "4"]
