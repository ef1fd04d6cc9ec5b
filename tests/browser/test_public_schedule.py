"""Phone, 360 px: the public reception schedule and a station's coming receptions fit without sideways scrolling,
with long names and many deputies on duty."""

import datetime as dt

import pytest
from django.utils import timezone

from renda.people.models import Deputy, DeputyLevel
from renda.receptions.actions import roster
from renda.stations.models import Assignment

pytestmark = pytest.mark.browser


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways: {width}px"


def test_schedule_and_station_page_fit_a_phone(phone, live_server, world):
    deputies = [world.deputy_wz, world.deputy_city]
    for i in range(8):
        deputy = Deputy.objects.create(
            name=f"长名字代表第{i}号",
            term=17,
            level=DeputyLevel.COUNTY,
            electoral_region=world.mudu,
            public_code=f"LN{i:04d}",
        )
        Assignment.objects.create(station=world.mudu_home, deputy=deputy)
        deputies.append(deputy)
    day = timezone.localdate() + dt.timedelta(days=3)
    data = {"date": day, "starts": dt.time(9), "ends": dt.time(11, 30), "note": ""}
    reception = roster.add_one_off(world.wuzhong_staff, world.mudu_home, data, deputies)
    later = roster.add_one_off(
        world.wuzhong_staff, world.mudu_home, data | {"date": day + dt.timedelta(days=1)}, deputies
    )
    roster.cancel_reception(world.wuzhong_staff, later, "场地临时维修，改期另行通知，请群众谅解并关注后续安排")

    phone.goto(f"{live_server.url}/receptions/?q=木渎")
    assert phone.locator(f'[data-reception="{reception.pk}"]').is_visible()
    assert phone.locator(".reception-cancelled").count() == 1
    assert_fits(phone)

    phone.goto(f"{live_server.url}/s/MUDU01/")
    assert phone.locator("#station-receptions").get_by_text("长名字代表第7号").is_visible()
    assert_fits(phone)
