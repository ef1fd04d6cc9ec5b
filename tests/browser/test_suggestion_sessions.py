"""Desktop and phone: the district office records this year's congress session, and the page fits a phone."""

import datetime

import pytest
from django.utils import timezone

from renda.suggestions.models import Session

from .test_staff import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_office_records_a_session(device, request, live_server, world):
    page = request.getfixturevalue(device)
    log_in(page, live_server.url, "wuzhong_staff")
    page.goto(f"{live_server.url}/staff/suggestions/")
    page.get_by_role("link", name="大会会期").click()
    today = timezone.localdate()
    page.select_option("#id_region", str(world.wuzhong.pk))
    page.select_option("#id_kind", "congress")
    page.fill("#id_name", "吴中区第十八届人民代表大会第三次会议")
    page.fill("#id_first_day", today.isoformat())
    page.fill("#id_last_day", (today + datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    session = Session.objects.get()
    assert page.locator(f'[data-session="{session.pk}"]').is_visible()
    assert "吴中区第十八届人民代表大会第三次会议" in page.locator(f'[data-session="{session.pk}"]').inner_text()
    if device == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
