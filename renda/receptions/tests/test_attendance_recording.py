"""Recording attendance after a reception: who may, when, and what is refused (nothing half-written)."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.people.models import Deputy
from renda.receptions.models import Duty, Reception
from renda.testing import assert_statuses

from .helpers import on_duty, reception_day, sitting

DAY = datetime.date(2026, 11, 18)
# 11:00 in Suzhou on the reception's day: started at 9:00.
AFTER = datetime.datetime(2026, 11, 18, 3, 0, tzinfo=datetime.UTC)
BEFORE = datetime.datetime(2026, 11, 18, 0, 30, tzinfo=datetime.UTC)  # 8:30 in Suzhou


def en(world, user):
    """A client reading the pages in English: the assertions below do not depend on the Chinese catalogue."""
    client = world.client(user)
    client.cookies["django_language"] = "en"
    return client


def roster_reception(world, station=None, **extra):
    station = station or world.mudu_home
    reception = sitting(None, station, date=DAY, starts=datetime.time(9), ends=datetime.time(11, 30), **extra)
    other = Deputy.objects.create(
        name="吴二", term=17, level="county", electoral_region=station.region, public_code=f"W2{station.pk}"
    )
    first, second = on_duty(reception, world.deputy_wz, other)
    return reception, first, second


def url(reception):
    return reverse("receptions:attendance", kwargs={"reception_pk": reception.pk})


@time_machine.travel(AFTER, tick=False)
def test_staff_record_attended_and_absent_with_a_reason(world):
    reception, first, second = roster_reception(world)
    response = en(world, world.wuzhong_staff).post(
        url(reception),
        {
            f"attendance-{first.pk}": "attended",
            f"reason-{first.pk}": "ignored for an attended duty",
            f"attendance-{second.pk}": "absent",
            f"reason-{second.pk}": " 生病住院 ",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attendance, first.absence_reason) == ("attended", "")
    assert (second.attendance, second.absence_reason) == ("absent", "生病住院")
    assert AuditEvent.objects.filter(action="reception.attendance").count() == 2
    event = AuditEvent.objects.get(action="reception.attendance", object_id=str(second.pk))
    assert event.changes["attendance"] == ["expected", "absent"]
    assert event.changes["absence_reason"] == ["", "生病住院"]
    assert event.region_path == world.mudu.path
    assert event.actor == world.wuzhong_staff


@time_machine.travel(AFTER, tick=False)
def test_absent_without_a_reason_refuses_the_whole_form(world):
    reception, first, second = roster_reception(world)
    response = en(world, world.wuzhong_staff).post(
        url(reception),
        {f"attendance-{first.pk}": "attended", f"attendance-{second.pk}": "absent", f"reason-{second.pk}": "  "},
    )
    assert response.status_code == 400
    assert "give the reason for the absence" in response.content.decode()
    assert set(Duty.objects.values_list("attendance", flat=True)) == {"expected"}
    assert not AuditEvent.objects.filter(action="reception.attendance").exists()


@time_machine.travel(AFTER, tick=False)
def test_an_unknown_attendance_value_is_refused(world):
    reception, first, second = roster_reception(world)
    response = en(world, world.wuzhong_staff).post(
        url(reception), {f"attendance-{first.pk}": "attended", f"attendance-{second.pk}": "maybe"}
    )
    assert response.status_code == 400
    assert set(Duty.objects.values_list("attendance", flat=True)) == {"expected"}


@time_machine.travel(BEFORE, tick=False)
def test_a_reception_that_has_not_started_is_refused(world):
    reception, first, second = roster_reception(world)
    client = en(world, world.wuzhong_staff)
    page = client.get(url(reception))
    assert "once the reception has started" in page.content.decode()
    response = client.post(url(reception), {f"attendance-{first.pk}": "attended"}, follow=True)
    assert "once the reception has started" in response.content.decode()
    first.refresh_from_db()
    assert first.attendance == "expected"


@time_machine.travel(AFTER, tick=False)
def test_a_future_reception_is_refused(world):
    reception, first, _second = roster_reception(world)
    Reception.objects.filter(pk=reception.pk).update(date=DAY + datetime.timedelta(days=7))
    response = en(world, world.wuzhong_staff).post(url(reception), {f"attendance-{first.pk}": "attended"})
    assert response.status_code == 200  # the page again, with the error
    first.refresh_from_db()
    assert first.attendance == "expected"


@time_machine.travel(AFTER, tick=False)
def test_a_cancelled_reception_has_no_attendance(world):
    reception, first, _second = roster_reception(world, status="cancelled")
    response = en(world, world.wuzhong_staff).post(url(reception), {f"attendance-{first.pk}": "attended"})
    assert "cancelled" in response.content.decode()
    first.refresh_from_db()
    assert first.attendance == "expected"


@time_machine.travel(AFTER, tick=False)
def test_a_finished_day_keeps_its_attendance_but_reasons_may_be_corrected(world):
    campaign = reception_day(
        world.wuzhong, title="吴中区接待日", date=DAY, status="finished", finished_at=timezone.now()
    )
    reception = sitting(campaign, world.mudu_home)
    [duty] = on_duty(reception, world.deputy_wz, attendance="absent", absence_reason="未签到")
    client = en(world, world.wuzhong_staff)
    refused = client.post(url(reception), {f"attendance-{duty.pk}": "attended"})
    assert refused.status_code == 400
    assert "only the reason for an absence can be corrected" in refused.content.decode()
    duty.refresh_from_db()
    assert duty.attendance == "absent"

    corrected = client.post(url(reception), {f"attendance-{duty.pk}": "absent", f"reason-{duty.pk}": "参加人代会培训"})
    assert corrected.status_code == 302
    duty.refresh_from_db()
    assert (duty.attendance, duty.absence_reason) == ("absent", "参加人代会培训")

    emptied = client.post(url(reception), {f"attendance-{duty.pk}": "absent", f"reason-{duty.pk}": ""})
    assert emptied.status_code == 400
    duty.refresh_from_db()
    assert duty.absence_reason == "参加人代会培训"


@time_machine.travel(AFTER, tick=False)
def test_who_may_record(world):
    roster, *_ = roster_reception(world)
    assert_statuses(
        world,
        url(roster),
        {
            "wuzhong_staff": 200,
            "city_staff": 200,
            "keeper": 200,  # the station's own roster reception
            "gusu_staff": 404,
            "park_staff": 404,
            "deputy_user": 404,  # sees the reception, does not record attendance
            "unit_user": 404,
            "outsider": 404,
            "anonymous": 302,
        },
    )
    campaign = reception_day(world.wuzhong, title="吴中区接待日", date=DAY)
    day = sitting(campaign, world.weiting_station)
    # A reception day's attendance belongs to the congress office, not to the keeper.
    keeper_day = sitting(
        reception_day(world.wuzhong, title="另一天", date=DAY), world.mudu_home, date=DAY + datetime.timedelta(days=1)
    )
    assert_statuses(world, url(day), {"wuzhong_staff": 200, "park_staff": 200, "gusu_staff": 404})
    assert_statuses(world, url(keeper_day), {"keeper": 404, "wuzhong_staff": 200})
    canglang, *_ = roster_reception(world, station=world.canglang_home)
    assert_statuses(world, url(canglang), {"wuzhong_staff": 404, "keeper": 404, "gusu_staff": 200})
    assert_statuses(world, url(canglang), {"wuzhong_staff": 404, "keeper": 404}, method="post")


@time_machine.travel(AFTER, tick=False)
def test_receptions_awaiting_attendance_are_listed_until_recorded(world):
    reception, first, second = roster_reception(world)
    gusu, *_ = roster_reception(world, station=world.canglang_home)
    future = sitting(
        None, world.mudu_home, date=DAY + datetime.timedelta(days=1), starts=datetime.time(9), ends=datetime.time(11)
    )
    on_duty(future, world.deputy_wz)
    pending = reverse("receptions:pending_attendance")
    client = en(world, world.wuzhong_staff)
    html = client.get(pending).content.decode()
    assert f'data-reception="{reception.pk}"' in html and url(reception) in html
    assert f'data-reception="{gusu.pk}"' not in html and f'data-reception="{future.pk}"' not in html
    assert 'data-label="Not recorded">2</td>' in html
    assert f'data-reception="{reception.pk}"' in en(world, world.keeper).get(pending).content.decode()
    assert f'data-reception="{reception.pk}"' not in en(world, world.gusu_staff).get(pending).content.decode()
    assert world.client(world.deputy_user).get(pending).status_code == 404

    client.post(
        url(reception),
        {f"attendance-{first.pk}": "attended", f"attendance-{second.pk}": "absent", f"reason-{second.pk}": "病"},
    )
    assert f'data-reception="{reception.pk}"' not in client.get(pending).content.decode()
