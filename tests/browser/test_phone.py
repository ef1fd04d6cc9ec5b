"""Phone, 360 px: region → its stations → station page → deputy profile, without horizontal scrolling and without a
single request to another host."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways: {width}px"


def test_region_to_station_to_deputy(phone, live_server, world):
    phone.goto(f"{live_server.url}/")
    assert_fits(phone)
    phone.click("#region-list a:has-text('吴中区')")
    assert "吴中区" in phone.locator("h1").inner_text()
    assert_fits(phone)
    stations = phone.locator("#station-list").inner_text()
    assert "木渎镇代表之家" in stations
    assert "沧浪街道代表之家" not in stations  # 姑苏区

    phone.click("#station-list .station-card a:has-text('木渎镇代表之家')")
    phone.wait_for_url(f"{live_server.url}/s/{world.mudu_home.public_code}/")
    assert_fits(phone)
    deputies = phone.locator("#deputy-list").inner_text()
    assert "吴测试" in deputies and "苏测试" in deputies
    assert "13800138000" not in phone.content()

    phone.click("#deputy-list a:has-text('吴测试')")
    phone.wait_for_url(f"{live_server.url}/d/{world.deputy_wz.public_code}/")
    assert "吴测试" in phone.locator("#deputy-profile").inner_text()
    assert_fits(phone)

    host = urlsplit(live_server.url).netloc
    foreign = [url for url in phone.requests if urlsplit(url).netloc not in (host, "")]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert any(url.endswith("htmx.min.js") for url in phone.requests)  # the local copy was loaded


def test_nearest_stations_with_the_phones_location(browser, live_server, world):
    world.mudu_home.latitude, world.mudu_home.longitude = 31.2600, 120.5500
    world.mudu_home.save()
    world.canglang_home.latitude, world.canglang_home.longitude = 31.2900, 120.6200
    world.canglang_home.save()
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        geolocation={"latitude": 31.2610, "longitude": 120.5510},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.click("#near-me")
        page.wait_for_url("**/near/**")
        names = page.locator("#station-list .station-card").all_inner_texts()
        assert names and "木渎镇代表之家" in names[0]
        assert_fits(page)
    finally:
        context.close()


def test_station_and_tracking_in_large_text_at_360px(phone, live_server, world):
    """The buttons first, the phone and the map links, the step bar, all with 大字模式 on: still no sideways scroll."""
    from renda.opinions import actions
    from renda.opinions.models import Category

    station = world.mudu_home
    station.latitude, station.longitude, station.phone = 31.26, 120.51, "0512-6666 8888"
    station.save()
    phone.goto(f"{live_server.url}/s/{station.public_code}/")
    assert_fits(phone)
    assert phone.locator("#submit-opinion-link").is_visible() and phone.locator("#nav-amap").is_visible()
    phone.click("#large-text-switch")
    phone.wait_for_url(f"{live_server.url}/s/{station.public_code}/")
    assert "large-text" in phone.locator("body").get_attribute("class")
    assert_fits(phone)

    category, _ = Category.objects.get_or_create(name="交通出行")
    opinion = actions.submit(station=station, category=category, text="路灯坏了，晚上很黑。", client_token=None).opinion
    phone.goto(f"{live_server.url}/t/{opinion.tracking_code}/")
    assert "受理" in phone.locator("#progress-bar").inner_text()
    assert_fits(phone)

    host = urlsplit(live_server.url).netloc
    foreign = [url for url in phone.requests if urlsplit(url).netloc not in (host, "")]
    assert not foreign, f"requests to other hosts: {foreign}"
