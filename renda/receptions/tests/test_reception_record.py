"""The station's reception record (接待记录): keepers and congress staff enter visitors after a reception, on its
attendance page; the same who and when as attendance, and a finished day's figures stay final."""

import datetime as dt

import time_machine
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.receptions.models import Visit

from .helpers import on_duty, reception_day, sitting

NOW = dt.datetime(2026, 12, 9, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = NOW.date()


@time_machine.travel(NOW, tick=False)
def test_the_keeper_records_visitors_of_a_roster_reception(world):
    reception = sitting(None, world.mudu_home, date=DAY, starts=dt.time(9), ends=dt.time(11), published_at=NOW)
    on_duty(reception, world.deputy_wz)
    url = reverse("receptions:reception_visitors", args=[reception.pk])
    keeper = world.client(world.keeper)
    page = keeper.get(reverse("receptions:attendance", args=[reception.pk])).content.decode()
    assert 'id="reception-visit-form"' in page

    keeper.post(url, {"count": "0"})
    assert not Visit.objects.exists()
    keeper.post(url, {"count": "12", "topics": "老旧小区加装电梯"})
    visit = Visit.objects.get()
    assert (visit.reception, visit.count, visit.duty, visit.recorded_by) == (reception, 12, None, world.keeper)
    assert AuditEvent.objects.filter(action="reception.record_visitors", actor=world.keeper).exists()
    page = keeper.get(reverse("receptions:attendance", args=[reception.pk])).content.decode()
    assert "老旧小区加装电梯" in page
    # Outside the station's region, or for someone with no say over it, the page and the form do not exist.
    for user in (world.gusu_staff, world.deputy_user, world.unit_user):
        assert world.client(user).post(url, {"count": "3"}).status_code == 404
    assert Visit.objects.count() == 1


def test_not_before_it_starts_and_not_for_a_finished_day(world):
    later = sitting(None, world.mudu_home, date=DAY, starts=dt.time(16), ends=dt.time(17), published_at=NOW)
    campaign = reception_day(world.wuzhong, title="吴中区接待日", date=DAY, status="finished")
    finished = sitting(campaign, world.weiting_station, published_at=NOW)
    with time_machine.travel(NOW, tick=False):
        staff = world.client(world.wuzhong_staff)
        for closed in (later, finished):  # the page does not offer what the action would refuse
            page = staff.get(reverse("receptions:attendance", args=[closed.pk])).content.decode()
            assert 'id="reception-visitors"' in page and 'id="reception-visit-form"' not in page
        staff.post(reverse("receptions:reception_visitors", args=[later.pk]), {"count": "3"})
        staff.post(reverse("receptions:reception_visitors", args=[finished.pk]), {"count": "3"})
        # The keeper has no say over a reception day's record, even at their own station.
        day_at_mudu = sitting(
            reception_day(world.wuzhong, title="另一接待日", date=DAY, status="published"),
            world.mudu_home,
            published_at=NOW,
        )
        keeper = world.client(world.keeper).post(
            reverse("receptions:reception_visitors", args=[day_at_mudu.pk]), {"count": "3"}
        )
        assert keeper.status_code == 404
    assert not Visit.objects.exists()
