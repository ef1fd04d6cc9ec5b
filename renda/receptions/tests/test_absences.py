"""A deputy's standing absences: entered once on the phone, every reception day planned inside the period leaves
them out (recorded as the day's unavailability with the reason); other days and other deputies are not touched."""

import datetime as dt

import time_machine
from django.urls import reverse

from renda.receptions import actions as campaign_actions
from renda.receptions.models import Absence, Duty, Unavailability

from .helpers import reception_day

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
D = dt.date


@time_machine.travel(NOW, tick=False)
def test_a_deputy_enters_and_removes_an_absence(world):
    client = world.client(world.deputy_user)
    url = reverse("receptions:my_absences")
    bad = [
        {"starts": "2026-12-10", "ends": "2026-12-05", "reason": "出差"},  # ends before it starts
        {"starts": "2026-11-01", "ends": "2026-11-20", "reason": "出差"},  # over already
        {"starts": "2026-12-05", "ends": "2026-12-10", "reason": ""},  # no reason
        {"starts": "2026-12-05", "ends": "2027-12-10", "reason": "学习"},  # longer than a year
    ]
    for data in bad:
        assert client.post(url, data).status_code == 400, data
    assert not Absence.objects.exists()
    assert client.post(url, {"starts": "2026-12-05", "ends": "2026-12-12", "reason": "赴外地出差"}).status_code == 302
    overlap = client.post(url, {"starts": "2026-12-12", "ends": "2026-12-15", "reason": "学习"})
    assert overlap.status_code == 400
    absence = Absence.objects.get()
    assert (absence.deputy, absence.starts, absence.ends, absence.created_by) == (
        world.deputy_wz,
        D(2026, 12, 5),
        D(2026, 12, 12),
        world.deputy_user,
    )
    assert "赴外地出差" in client.get(url).content.decode()
    # Nobody else removes it; the deputy does.
    remove = reverse("receptions:remove_absence", args=[absence.pk])
    for user in (world.wuzhong_staff, world.keeper):
        assert world.client(user).post(remove).status_code == 404
    client.post(remove)
    assert not Absence.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_planning_leaves_out_deputies_away_on_the_day(world):
    Absence.objects.create(deputy=world.deputy_wz, starts=D(2026, 12, 5), ends=D(2026, 12, 12), reason="赴外地出差")
    Absence.objects.create(deputy=world.deputy_gs, starts=D(2026, 12, 5), ends=D(2026, 12, 12), reason="住院")
    inside = reception_day(world.wuzhong, title="吴中区接待日", date=D(2026, 12, 9))
    outside = reception_day(world.wuzhong, title="吴中区第二次接待日", date=D(2026, 12, 16))
    for campaign in (inside, outside):
        campaign_actions.plan_campaign(campaign, world.wuzhong_staff)
    assert not Duty.objects.filter(campaign=inside, deputy=world.deputy_wz).exists()
    assert Duty.objects.filter(campaign=outside, deputy=world.deputy_wz).exists()
    # Recorded as the day's unavailability with the reason; a deputy of another region is not the day's concern.
    assert list(Unavailability.objects.filter(campaign=inside).values_list("deputy__name", "reason")) == [
        ("吴测试", "赴外地出差")
    ]
    assert not Unavailability.objects.filter(campaign=outside).exists()
    # The city deputy serving at 木渎 is planned on both days.
    assert Duty.objects.filter(campaign=inside, deputy=world.deputy_city).exists()


def test_staff_reach_the_page_but_only_deputies_enter_absences(world):
    response = world.client(world.wuzhong_staff).get(reverse("receptions:my_absences"))
    assert response.status_code == 200 and 'id="absence-form"' not in response.content.decode()
    data = {"starts": "2030-12-05", "ends": "2030-12-06", "reason": "x"}
    assert world.client(world.wuzhong_staff).post(reverse("receptions:my_absences"), data).status_code == 404
    assert not Absence.objects.exists()
