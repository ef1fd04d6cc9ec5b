"""Pages added in issue 17's fifth pass, at 360 px and 1366 px: the statistics page's ready-made whole-month periods,
an activity's invitations with their Withdraw button, and a member deputy's joint meeting — each fits (no sideways
scroll, no squeezed cell) and works by clicking, then the database says so."""

import pytest

from renda.activities.models import Invitation
from renda.activities.tests.helpers import make_activity
from renda.jointmeetings.models import Stream, Work
from renda.jointmeetings.tests.helpers import make_topic
from renda.jointmeetings.tests.test_member_pages import member_login
from renda.testing import PASSWORD

from .test_homes import WIDTHS, check_layout, log_in, open_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_statistics_periods_and_withdrawing_an_invitee(browser, live_server, world, width):
    activity = make_activity(world, invite=[world.deputy_wz, world.deputy_city])
    context, page = open_page(browser, width)
    try:
        log_in(page, live_server.url, "wuzhong_staff")
        page.goto(f"{live_server.url}/staff/opinions/stats/")
        check_layout(page, f"statistics at {width}px")
        page.click("#stats-periods a:nth-child(3)")  # this year
        page.wait_for_load_state()
        assert "date_from=" in page.url and page.locator('#stats-periods a[aria-current="true"]').count() == 1
        check_layout(page, f"statistics, this year, at {width}px")
        page.goto(f"{live_server.url}/staff/activities/{activity.pk}/")
        check_layout(page, f"activity at {width}px")
        mine = activity.invitations.get(deputy=world.deputy_wz)
        page.click(f"#invitation-{mine.pk} button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(f"#invitation-{mine.pk}").count() == 0
        assert not Invitation.objects.filter(pk=mine.pk).exists() and activity.invitations.count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_deputy_reads_the_joint_meetings_topic(browser, live_server, world, width):
    meeting, user = member_login(world)
    topic = make_topic(meeting, status="published")
    Work.objects.create(topic=topic, stream=Stream.INQUIRY, title="询问码头管理", unit=world.wuzhong_unit)
    user.set_password(PASSWORD)
    user.save()
    context, page = open_page(browser, width)
    try:
        log_in(page, live_server.url, user.username)
        page.click('main a[data-count="deputy-joint_topics"]')
        page.wait_for_load_state()
        check_layout(page, f"my joint meetings at {width}px")
        page.click(f"#topic-{topic.pk} a")
        page.wait_for_load_state()
        assert page.locator("#stream-inquiry").inner_text().count("询问码头管理") == 1
        check_layout(page, f"the topic at {width}px")
    finally:
        context.close()
