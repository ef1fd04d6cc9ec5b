"""Phone, 360 px: the opinion form's "use my location" button puts the phone's position into the opinion (static JS,
no inline script, no request to another host)."""

from urllib.parse import urlsplit

import pytest

from renda.opinions.models import Category, Opinion

pytestmark = pytest.mark.browser


def test_the_phones_position_goes_with_the_opinion(browser, live_server, world, settings):
    settings.STATION_COORDINATES = "wgs84"
    # get_or_create: a transactional test (like this one) may run after another one flushed the seeded categories.
    category = Category.objects.get_or_create(name="交通出行")[0]
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 31.259012, "longitude": 120.511046},
        permissions=["geolocation"],
    )
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{live_server.url}/s/{world.mudu_home.public_code}/opinion/")
        page.select_option("#id_category", str(category.pk))
        page.fill("#id_text", "路口红绿灯时间太短，老人过不去")
        page.click("#use-position")
        page.wait_for_function("document.getElementById('id_lat').value !== ''")
        assert page.locator("#position-status").inner_text() == "已附上您所在的位置。"
        page.click("#submit-opinion")
        page.wait_for_url(f"{live_server.url}/t/**")
    finally:
        context.close()
    opinion = Opinion.objects.get()
    assert (float(opinion.latitude), float(opinion.longitude)) == (31.259012, 120.511046)
    host = urlsplit(live_server.url).netloc
    assert all(urlsplit(url).netloc in (host, "") for url in requests)
