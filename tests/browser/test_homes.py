"""Each role's home and daily lists at 360 px (a phone) and 1366 px (a desktop): no sideways scroll, no date broken
over two lines, no cell narrower than its text, and the home's counts visible and leading to their filtered list."""

import datetime
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from renda.opinions.models import Category as OpinionCategory
from renda.opinions.tests.staff_helpers import make_opinion
from renda.opinions.workflow import State
from renda.receptions.rules import china_today
from renda.receptions.tests.helpers import on_duty, sitting
from renda.suggestions.models import Category as SuggestionCategory
from renda.suggestions.tests.helpers import make_suggestion
from renda.suggestions.workflow import Kind
from renda.suggestions.workflow import State as SState
from renda.testing import PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = (360, 1366)

# What each page must satisfy, measured in the page: sideways scroll, dates on one line, cells wider than their text.
LAYOUT = """() => {
  const doc = document.scrollingElement;
  const wrapped = [...document.querySelectorAll('main .date')]
    .filter(el => el.offsetParent !== null && el.getClientRects().length > 1)
    .map(el => el.textContent.trim());
  const squeezed = [...document.querySelectorAll('main td, main th, main .home-count, main .badge')]
    .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
    .map(el => el.textContent.trim().slice(0, 40));
  return {scroll: doc.scrollWidth, width: window.innerWidth, wrapped, squeezed};
}"""


@pytest.fixture
def day(world):
    """Opinions at 木渎镇代表之家 (new, overdue, forwarded), suggestions with the unit, a reception today."""
    # live_server tests run in a flushed database: the categories the migrations load are gone.
    OpinionCategory.objects.get_or_create(name="交通出行")
    SuggestionCategory.objects.get_or_create(kind=Kind.CONGRESS, name="城乡建设")
    now = timezone.now()
    for _ in range(3):
        make_opinion(world, text="小区停车难，晚上没有车位，希望增加停车位并规范管理，" * 3)
    make_opinion(world, State.HANDLING, due_at=now - timedelta(days=2), escalated_at=now)
    make_opinion(world, State.FORWARDED, due_at=now + timedelta(days=3))
    make_suggestion(world, SState.ASSIGNED)
    make_suggestion(world, SState.SUBMITTED)
    today = china_today()
    reception = sitting(None, world.mudu_home, date=today, starts=datetime.time(9), ends=datetime.time(11))
    on_duty(reception, world.deputy_wz)
    past = sitting(
        None, world.mudu_home, date=today - timedelta(days=2), starts=datetime.time(9), ends=datetime.time(11)
    )
    on_duty(past, world.deputy_city)
    return reception


def open_page(browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=width < 640, has_touch=width < 640
    )
    return context, context.new_page()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/")


def same_url(a, b) -> bool:
    a, b = urlsplit(a), urlsplit(b)
    return a.path == b.path and parse_qs(a.query, keep_blank_values=True) == parse_qs(b.query, keep_blank_values=True)


def check_layout(page, what):
    found = page.evaluate(LAYOUT)
    assert found["scroll"] <= found["width"], f"{what}: sideways scroll {found['scroll']} > {found['width']}"
    assert not found["wrapped"], f"{what}: dates over two lines {found['wrapped']}"
    assert not found["squeezed"], f"{what}: text wider than its box {found['squeezed']}"


ROLES = {
    # user: (lists to check, a count on the home and the list it must lead to)
    "wuzhong_staff": (
        [
            "/staff/opinions/",
            "/staff/suggestions/",
            "/staff/receptions/reports/attendance/",
            "/staff/receptions/campaigns/",
        ],
        ("staff-overdue", "/staff/opinions/?role=staff&status=&overdue=1"),
    ),
    "keeper": (
        ["/staff/opinions/", "/staff/receptions/reports/attendance/", "ROSTER", "/staff/receptions/roster/"],
        ("keeper-new", "/staff/opinions/?role=keeper&status=submitted"),
    ),
    "deputy_user": (
        ["/staff/opinions/", "/staff/receptions/mine/", "/suggestions/", "/staff/projects/mine/"],
        ("deputy-waiting", "/staff/opinions/?role=deputy&status=mine"),
    ),
    "unit_user": (
        ["/staff/opinions/", "/staff/suggestions/unit/"],
        ("unit-opinions_soon", "/staff/opinions/?role=unit&status=mine&due=week"),
    ),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", list(ROLES))
def test_home_and_lists_fit(browser, live_server, world, day, username, width):
    lists, (count_key, target) = ROLES[username]
    context, page = open_page(browser, width)
    try:
        log_in(page, live_server.url, username)
        check_layout(page, f"{username} home at {width}px")
        counts = page.locator("main .home-count")
        assert counts.count() >= 2
        for i in range(counts.count()):
            box = counts.nth(i).bounding_box()
            assert counts.nth(i).is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= width
        link = page.locator(f'main a[data-count="{count_key}"]')
        shown = int(link.locator(".stat").inner_text())
        assert shown >= 1
        link.click()
        page.wait_for_load_state()
        assert same_url(page.url, f"{live_server.url}{target}")
        assert page.locator("main table.phone-cards tbody tr:not(.empty)").count() == shown
        check_layout(page, f"{username} {target} at {width}px")
        for url in lists:
            if url == "ROSTER":
                url = f"/staff/receptions/roster/stations/{world.mudu_home.pk}/"
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, url
            check_layout(page, f"{username} {url} at {width}px")
    finally:
        context.close()


def test_phone_rows_are_cards_and_desktop_rows_are_rows(browser, live_server, world, day):
    for width, cards in ((360, True), (1366, False)):
        context, page = open_page(browser, width)
        try:
            log_in(page, live_server.url, "wuzhong_staff")
            page.goto(f"{live_server.url}/staff/opinions/")
            row = page.locator("main table.phone-cards tbody tr").first
            assert (page.evaluate("el => getComputedStyle(el).display", row.element_handle()) == "block") is cards
            header = page.locator("main table.phone-cards thead").bounding_box()
            assert (header["height"] <= 1) is cards  # on a phone kept for screen readers only
            badge = page.locator("main .badge.state").first
            assert page.evaluate("el => getComputedStyle(el).backgroundColor", badge.element_handle()) != (
                "rgb(238, 241, 244)"
            )  # coloured by state, not the plain badge grey
        finally:
            context.close()


def test_opinion_actions_in_thumb_reach_on_a_phone(browser, live_server, world, day):
    from renda.opinions.models import Opinion

    opinion = Opinion.objects.filter(status=State.SUBMITTED).first()
    context, page = open_page(browser, 360)
    try:
        log_in(page, live_server.url, "keeper")
        page.goto(f"{live_server.url}/staff/opinions/{opinion.pk}/")
        bar = page.locator(".thumb-bar")
        box = bar.bounding_box()
        assert bar.is_visible() and box["y"] + box["height"] > 800 - 80  # at the bottom of the screen
        bar.click()
        page.wait_for_timeout(200)
        assert page.locator("#actions summary").first.is_visible()
        assert page.locator("#actions").bounding_box()["y"] < 800
        check_layout(page, "opinion detail at 360px")
    finally:
        context.close()
    context, page = open_page(browser, 1366)
    try:
        log_in(page, live_server.url, "keeper")
        page.goto(f"{live_server.url}/staff/opinions/{opinion.pk}/")
        assert not page.locator(".thumb-bar").is_visible()
    finally:
        context.close()
