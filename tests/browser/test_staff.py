"""Desktop: a district's congress staff logs in and sees only their own region; language switch."""

import pytest

from renda.testing import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/")


def test_staff_login_sees_only_own_region(desktop, live_server, world):
    log_in(desktop, live_server.url, "wuzhong_staff")
    desktop.click("nav a[href='/staff/stations/']")
    body = desktop.locator("main").inner_text()
    assert "木渎镇代表之家" in body
    assert "唯亭街道代表联络站" in body
    assert "沧浪街道代表之家" not in body  # 姑苏区: another region
    assert "斜塘街道代表联络站" not in body  # 虎丘区 street run by the park: not 吴中区's

    # Another region's station by its URL: missing, exactly like a station that does not exist.
    response = desktop.goto(f"{live_server.url}/staff/stations/{world.canglang_home.pk}/")
    assert response.status == 404
    response = desktop.goto(f"{live_server.url}/staff/stations/999999/")
    assert response.status == 404


def test_language_switch(desktop, live_server, world):
    log_in(desktop, live_server.url, "city_staff")
    assert "退出" in desktop.locator("header").inner_text()
    desktop.select_option("#language-select", "en")
    desktop.click(".language-switch button[type=submit]")
    desktop.wait_for_load_state()
    assert "Log out" in desktop.locator("header").inner_text()
    assert desktop.locator("html").get_attribute("lang") == "en"
    desktop.select_option("#language-select", "zh-hans")
    desktop.click(".language-switch button[type=submit]")
    desktop.wait_for_load_state()
    assert "退出" in desktop.locator("header").inner_text()
