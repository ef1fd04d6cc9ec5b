"""The public phone side (issue 16): what people came for first, the station's phone and directions, 大字模式."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from renda.core.geo import Point, convert
from renda.public.views import LARGE_TEXT_COOKIE

from .helpers import PHONE, add_deputies, html, place


def station_page(world, client=None):
    return html((client or world.client(None)).get(f"/s/{world.mudu_home.public_code}/"))


def test_station_page_puts_the_two_buttons_first(world):
    body = station_page(world)
    submit, track = body.index('id="submit-opinion-link"'), body.index('id="track-opinion-link"')
    assert body.index("<h1>") < submit < track < body.index('id="deputy-list"')
    assert f'href="/s/{world.mudu_home.public_code}/opinion/"' in body[submit : submit + 100]
    assert 'href="/t/"' in body[track : track + 100]
    assert "提交意见" in body and "查询进度" in body


def test_few_deputies_are_shown_many_are_folded(world):
    body = station_page(world)  # the world's station has two deputies
    assert '<details class="deputies" id="deputies" open>' in body
    add_deputies(world.mudu_home, 3)
    body = station_page(world)
    assert '<details class="deputies" id="deputies">' in body
    assert "代表000" in body  # folded, still in the page (no JavaScript needed to open it)
    assert PHONE not in body
    with override_settings(PUBLIC_DEPUTIES_OPEN_MAX=5):
        assert '<details class="deputies" id="deputies" open>' in station_page(world)


def test_home_links_to_tracking(world):
    body = html(world.client(None).get("/"))
    link = body.index('id="home-track-link"')
    assert 'href="/t/"' in body[link - 100 : link + 100] and "查询进度" in body
    assert link < body.index("<h1>")  # at the top, before the region lists


def test_station_phone_is_a_tel_link(world):
    body = station_page(world)
    assert 'id="station-phone"' not in body  # none entered: nothing shown
    world.mudu_home.phone = "0512-6666 8888"
    world.mudu_home.save(update_fields=["phone"])
    body = station_page(world)
    assert '<a id="station-phone" href="tel:051266668888">0512-6666 8888</a>' in body
    assert "联系电话" in body


def nav_links(body) -> dict[str, str]:
    return {m[0]: m[1].replace("&amp;", "&") for m in re.findall(r'<a id="(nav-\w+)" href="([^"]+)"', body)}


def test_no_position_no_directions(world):
    assert nav_links(station_page(world)) == {}


@pytest.mark.parametrize("system", ["wgs84", "gcj02", "bd09"])
def test_directions_in_each_apps_coordinate_system(world, system):
    place(world.mudu_home, 31.26, 120.51)
    here = Point(31.26, 120.51)
    with override_settings(STATION_COORDINATES=system):
        links = nav_links(station_page(world))
    assert set(links) == {"nav-geo", "nav-amap", "nav-baidu", "nav-tencent"}
    wgs, gcj, bd = (convert(here, system, target) for target in ("wgs84", "gcj02", "bd09"))
    assert links["nav-geo"].startswith(f"geo:{wgs.lat:.6f},{wgs.lng:.6f}?q=")
    amap = parse_qs(urlsplit(links["nav-amap"]).query)
    assert amap["position"] == [f"{gcj.lng:.6f},{gcj.lat:.6f}"] and amap["name"] == [world.mudu_home.name]
    baidu = parse_qs(urlsplit(links["nav-baidu"]).query)
    assert baidu["location"] == [f"{bd.lat:.6f},{bd.lng:.6f}"] and baidu["coord_type"] == ["bd09ll"]
    tencent = parse_qs(urlsplit(links["nav-tencent"]).query)
    assert tencent["marker"][0].startswith(f"coord:{gcj.lat:.6f},{gcj.lng:.6f};")
    if system == "wgs84":  # a real shift in China: each app gets its own numbers
        assert len({links["nav-geo"].split("?")[0][4:], amap["position"][0], baidu["location"][0]}) == 3


def test_large_text_switch_sets_a_cookie_and_the_body_class(world):
    client = world.client(None)
    body = station_page(world, client)
    assert '<body class="public"' in body and "大字模式" in body
    target = f"/s/{world.mudu_home.public_code}/"
    response = client.get("/large-text/", {"on": "1", "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert response.cookies[LARGE_TEXT_COOKIE].value == "1"
    body = station_page(world, client)
    assert '<body class="public large-text"' in body and "标准字体" in body
    # The opinion pages share the switch.
    assert '<body class="public large-text"' in html(client.get("/t/"))
    response = client.get("/large-text/", {"next": target})
    assert response.status_code == 302 and response.cookies[LARGE_TEXT_COOKIE].value == ""
    assert '<body class="public"' in station_page(world, client)


def test_large_text_switch_never_sends_elsewhere(world):
    response = world.client(None).get("/large-text/", {"on": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
