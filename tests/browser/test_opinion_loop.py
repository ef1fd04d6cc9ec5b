"""The opinion loop in a browser, end to end: a phone decodes the station's printed QR code, opens it, submits an
opinion with a photo, and follows it by tracking code while staff forward it, the unit replies and the deputy closes
it; then the constituent rates it."""

from io import BytesIO

import pytest
import zxingcpp
from PIL import Image

from renda.opinions.models import Category, Opinion
from renda.testing import PASSWORD

pytestmark = pytest.mark.browser


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(BytesIO(png)))
    assert results, "no QR code found in the PNG"
    return results[0].text


def staff_page(browser, base_url, username):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/")
    return page


def act(page, base_url, opinion, action, fill=None):
    """Open the opinion's staff page and submit the form of one action."""
    page.goto(f"{base_url}/staff/opinions/{opinion.pk}/")
    form = page.locator(f"form[action$='/act/{action}/']")
    form.locator("xpath=ancestor::details").locator("summary").click()
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    opinion.refresh_from_db()


def test_scan_submit_follow_and_rate(browser, phone, live_server, world, settings, tmp_path):
    settings.PUBLIC_BASE_URL = live_server.url
    # Browser tests run in transactional tests, whose flush also removes the categories a migration created.
    Category.objects.get_or_create(name="交通出行")
    station = world.mudu_home

    # 1. The printed code: decode the PNG a station would print, and open what it says.
    response = phone.request.get(f"{live_server.url}/s/{station.public_code}/qr.png")
    assert response.status == 200
    url = decode_qr(response.body())
    assert url == f"{live_server.url}/s/{station.public_code}/"
    phone.goto(url)
    assert station.name in phone.locator("h1").inner_text()

    # 2. Submit with a photo, no account.
    photo = tmp_path / "road.png"
    Image.new("RGB", (640, 480), (200, 30, 30)).save(photo)
    phone.click("#submit-opinion-link")
    phone.select_option("#id_category", label="交通出行")
    phone.fill("#id_text", "木渎镇中山路小区门口停车难，晚上车位不够，希望增加停车位。")
    phone.set_input_files("input[type=file][name=photos]", str(photo))
    phone.click("#submit-opinion")
    phone.wait_for_url("**/t/**")
    code = phone.locator("#tracking-code").first.get_attribute("data-code")
    opinion = Opinion.objects.get(tracking_code=code)
    assert opinion.station == station and opinion.photos.count() == 1
    tracking_url = f"{live_server.url}/t/{code}/"

    # 3. Staff accept and forward to the unit; the unit replies; the deputy replies to the constituent.
    staff = staff_page(browser, live_server.url, "wuzhong_staff")
    act(staff, live_server.url, opinion, "accept")
    assert opinion.status == "accepted"
    act(
        staff,
        live_server.url,
        opinion,
        "forward",
        {"select[name$='-unit']": str(world.wuzhong_unit.pk), "textarea[name$='-note']": "请住建局研究增设车位"},
    )
    assert opinion.status == "forwarded" and opinion.unit == world.wuzhong_unit

    unit = staff_page(browser, live_server.url, "unit_user")
    act(unit, live_server.url, opinion, "unit_reply", {"textarea[name$='-note']": "已规划在小区东侧增设30个车位。"})
    assert opinion.status == "unit_replied"

    deputy = staff_page(browser, live_server.url, "deputy_user")
    act(deputy, live_server.url, opinion, "reply", {"textarea[name$='-note']": "住建局将增设30个车位，年底前完工。"})
    assert opinion.status == "closed"

    # 4. The constituent follows the whole timeline and rates.
    phone.goto(tracking_url)
    timeline = phone.locator("main").inner_text()
    assert "吴中区住房和城乡建设局" in timeline  # units are named
    assert "已规划在小区东侧增设30个车位" in timeline
    assert "wuzhong_staff" not in timeline and "unit_user" not in timeline  # staff names never are
    phone.check("#rating-form input[value=satisfied]")
    phone.click("#rate-button")
    phone.wait_for_load_state()
    opinion.refresh_from_db()
    assert opinion.status == "final" and opinion.rating == "satisfied"
    assert phone.locator("#rating-result").count() == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
