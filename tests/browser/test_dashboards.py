"""Desktop: the dashboards draw their charts and map from local files only (no request to another host, no CSP
violation), and the big screen fills a 1920×1080 display."""

from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from renda.opinions.actions import submit
from renda.opinions.models import Category

from .test_staff import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def counted(world):
    # Live-server tests flush the tables between tests, the data migration's categories too.
    categories = [Category.objects.get_or_create(name=name)[0] for name in ("交通出行", "环境卫生")]
    for i in range(3):
        submit(station=world.canglang_home, category=categories[i % 2], text=f"意见{i}")
        submit(station=world.mudu_home, category=categories[0], text=f"木渎{i}")
    call_command("refresh_dashboards")


def _watch(page):
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))


def test_dashboard_draws_charts_from_local_files(desktop, live_server, world, counted):
    _watch(desktop)
    log_in(desktop, live_server.url, "city_staff")
    desktop.click("nav a[href='/staff/dashboards/']")
    desktop.wait_for_selector("[data-chart='map'][data-drawn] canvas")
    for kind in ("series", "rates", "bars", "pie", "stacked"):
        assert desktop.locator(f"[data-chart='{kind}'][data-drawn] canvas").count() >= 1, kind
    assert "姑苏区" in desktop.locator("table.chart-table").first.inner_text()
    host = urlparse(live_server.url).netloc
    assert {urlparse(url).netloc for url in desktop.requests} == {host}
    assert not desktop.errors

    # The table under the map drills down like a click on the shape.
    desktop.click("table.chart-table a:has-text('姑苏区')")
    desktop.wait_for_selector("[data-chart='rates'][data-drawn] canvas")
    assert "沧浪街道" in desktop.locator("main").inner_text()


def test_big_screen(browser, live_server, world, counted):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    _watch(page)
    log_in(page, live_server.url, "city_staff")
    page.goto(f"{live_server.url}/staff/dashboards/screen/{world.suzhou.code}/")
    page.wait_for_selector("[data-chart='map'][data-drawn] canvas")
    box = page.locator("#screen").bounding_box()
    assert (box["width"], box["height"]) == (1920, 1080)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert "6" in page.locator(".screen-figures").inner_text()
    host = urlparse(live_server.url).netloc
    assert {urlparse(url).netloc for url in page.requests} == {host}
    assert not page.errors
    context.close()
