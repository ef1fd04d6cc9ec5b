"""Each public page through HTTP: what it shows, what it never shows, and what is missing (404)."""

import re

import pytest

from renda.stations.models import Assignment
from renda.testing import assert_statuses

from .helpers import PHONE, add_photos, html

EVERYONE_200 = {"anonymous": 200, "outsider": 200, "wuzhong_staff": 200, "gusu_staff": 200, "deputy_user": 200}
EVERYONE_404 = {"anonymous": 404, "outsider": 404, "wuzhong_staff": 404, "gusu_staff": 404, "city_staff": 404}

PUBLIC_URLS = [
    "/",
    "/search/?q=木渎",
    "/near/",
    "/near/?lat=31.3&lng=120.6",
    "/r/320500000000/",
    "/r/320506000000/",
    "/r/320571000000/",
    "/s/MUDU01/",
    "/d/DWZ001/",
    "/m/MWZ001/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_are_the_same_for_everyone(world, url):
    # No account needed, and a staff role neither adds nor removes anything: not scoped, not forbidden.
    assert_statuses(world, url, EVERYONE_200)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_phone_number_on_any_public_page(world, url):
    world.deputy_wz.work_unit = "木渎镇人民政府"
    world.deputy_wz.save(update_fields=["work_unit"])
    body = html(world.client(None).get(url))
    assert PHONE not in body
    assert "138****8000" not in body


def test_home_shows_the_city_with_its_districts_and_zones(world):
    response = world.client(None).get("/")
    body = html(response)
    assert response.context["region"] == world.suzhou
    assert "<h1>苏州市</h1>" in body
    counts = {r.name: r.station_count for r in response.context["counties"]}
    assert counts == {"虎丘区": 1, "吴中区": 2, "姑苏区": 1}
    zones = {r.name: r.station_count for r in response.context["zones"]}
    # Zones count their managed towns' stations: 斜塘 (虎丘区) and 唯亭 (吴中区) for the park.
    assert zones == {"苏州工业园区": 2, "苏州太湖国家旅游度假区": 0}
    assert 'href="/r/320571000000/"' in body
    assert 'id="station-search"' in body and 'action="/search/"' in body
    assert 'id="near-me"' in body and 'href="/near/"' in body


def test_home_follows_the_stations_not_a_fixed_city(world):
    # With stations only in 吴中区, the home page is 吴中区's: the lowest region holding every active station.
    world.canglang_home.is_active = False
    world.canglang_home.save(update_fields=["is_active"])
    world.xietang_station.is_active = False
    world.xietang_station.save(update_fields=["is_active"])
    response = world.client(None).get("/")
    assert response.context["region"] == world.wuzhong
    assert {r.name for r in response.context["counties"]} == {"唯亭街道", "木渎镇", "金庭镇"}


def test_home_without_any_station(world):
    from renda.stations.models import Station

    Station.objects.update(is_active=False)
    response = world.client(None).get("/")
    assert response.status_code == 200
    assert response.context["region"] is None
    assert [r.name for r in response.context["counties"]] == ["江苏省"]
    assert "江苏省" in html(response)


def test_station_page(world):
    station = world.mudu_home
    station.theme = "太湖民生"
    station.opening_hours = "周一至周五 9:00-17:00"
    station.reception_hours = "每周三下午"
    station.description = "木渎镇的代表之家。"
    station.save()
    add_photos(station, 2)
    response = world.client(None).get("/s/MUDU01/")
    body = html(response)
    assert response.status_code == 200
    for text in (
        "木渎镇代表之家",
        "太湖民生",
        "周一至周五 9:00-17:00",
        "每周三下午",
        "木渎镇的代表之家。",
        "木渎镇1号",
    ):
        assert text in body
    assert 'id="deputy-list"' in body and 'id="station-opinion"' in body
    assert body.count('class="person deputy-card"') == 2
    # Head first, then the city deputy; each links to a profile and shows a level badge and an initial avatar.
    assert body.index("吴测试") < body.index("苏测试")
    assert 'href="/d/DWZ001/"' in body and 'href="/d/DCT001/"' in body
    assert 'class="badge level-county"' in body and 'class="badge level-city"' in body
    assert '<span class="avatar" aria-hidden="true">吴</span>' in body
    assert body.count('src="/media/stations/p') == 2
    # Breadcrumbs lead back up the region tree.
    assert 'href="/r/320506108000/"' in body and 'href="/r/320506000000/"' in body


def test_station_page_shows_photo_of_deputy_when_there_is_one(world):
    world.deputy_wz.photo = "people/wu.jpg"
    world.deputy_wz.save(update_fields=["photo"])
    body = html(world.client(None).get("/s/MUDU01/"))
    assert 'src="/media/people/wu.jpg"' in body
    assert '<span class="avatar" aria-hidden="true">吴</span>' not in body


def test_station_page_leaves_out_inactive_deputies(world):
    world.deputy_city.is_active = False
    world.deputy_city.save(update_fields=["is_active"])
    body = html(world.client(None).get("/s/MUDU01/"))
    assert "吴测试" in body
    assert "苏测试" not in body


def test_inactive_or_unknown_station_is_missing(world):
    world.mudu_home.is_active = False
    world.mudu_home.save(update_fields=["is_active"])
    assert_statuses(world, "/s/MUDU01/", EVERYONE_404)
    assert_statuses(world, "/s/NOSUCH/", EVERYONE_404)
    assert_statuses(world, "/s/mudu01/", EVERYONE_404)  # codes are exact: one stable URL per station


def test_not_found_page_is_friendly_and_says_nothing_more(world):
    response = world.client(None).get("/s/NOSUCH/")
    body = html(response)
    assert response.status_code == 404
    assert 'id="not-found"' in body
    assert 'name="viewport"' in body
    assert "no such station" not in body and "Traceback" not in body
    assert 'href="/"' in body


def test_deputy_page(world):
    deputy = world.deputy_wz
    deputy.occupation = "教师"
    deputy.work_unit = "木渎中学校长"
    deputy.delegation = "木渎代表小组"
    deputy.biography = "长期关注教育。"
    deputy.save()
    response = world.client(None).get("/d/DWZ001/")
    body = html(response)
    assert response.status_code == 200
    assert 'id="deputy-profile"' in body
    for text in ("吴测试", "教师", "木渎中学校长", "木渎代表小组", "长期关注教育。", "木渎镇"):
        assert text in body
    assert 'class="badge level-county"' in body
    assert re.search(r'class="term">[^<]*17', body)
    assert 'href="/s/MUDU01/"' in body  # the station served
    assert 'href="/r/320506108000/"' in body  # electoral region
    assert "deputy_user" not in body  # the account stays private


def test_deputy_page_lists_only_active_stations(world):
    Assignment.objects.create(station=world.weiting_station, deputy=world.deputy_wz)
    world.mudu_home.is_active = False
    world.mudu_home.save(update_fields=["is_active"])
    body = html(world.client(None).get("/d/DWZ001/"))
    assert 'href="/s/WEIT01/"' in body
    assert "MUDU01" not in body


def test_inactive_or_unknown_deputy_is_missing(world):
    world.deputy_wz.is_active = False
    world.deputy_wz.save(update_fields=["is_active"])
    assert_statuses(world, "/d/DWZ001/", EVERYONE_404)
    assert_statuses(world, "/d/NOSUCH/", EVERYONE_404)


def test_member_page(world):
    member = world.member_wz
    member.occupation = "企业家"
    member.phone = "13900139000"
    member.save()
    response = world.client(None).get("/m/MWZ001/")
    body = html(response)
    assert response.status_code == 200
    assert 'id="member-profile"' in body
    for text in ("吴委员", "经济界", "企业家", "吴中区"):
        assert text in body
    assert re.search(r'class="term">[^<]*14', body)
    assert "13900139000" not in body and "139****9000" not in body


def test_inactive_or_unknown_member_is_missing(world):
    world.member_wz.is_active = False
    world.member_wz.save(update_fields=["is_active"])
    assert_statuses(world, "/m/MWZ001/", EVERYONE_404)
    assert_statuses(world, "/m/NOSUCH/", EVERYONE_404)


def test_unknown_region_is_missing(world):
    assert_statuses(world, "/r/999999999999/", EVERYONE_404)
    assert_statuses(world, "/r/not-a-code/", EVERYONE_404)


def test_region_page_lists_the_subtree(world):
    response = world.client(None).get("/r/320506000000/")
    body = html(response)
    assert 'id="station-list"' in body
    assert "木渎镇代表之家" in body and "唯亭街道代表联络站" in body
    assert "沧浪街道代表之家" not in body and "斜塘街道代表联络站" not in body
    assert body.count('class="station-card"') == 2
    children = {r.name: r.station_count for r in response.context["children"]}
    assert children == {"唯亭街道": 1, "木渎镇": 1, "金庭镇": 0}
    assert 'href="/r/320000000000/"' in body and 'href="/r/320500000000/"' in body  # breadcrumbs


def test_zone_region_page_lists_its_managed_towns_stations(world):
    response = world.client(None).get("/r/320571000000/")
    body = html(response)
    assert "斜塘街道代表联络站" in body and "唯亭街道代表联络站" in body
    assert "木渎镇代表之家" not in body and "沧浪街道代表之家" not in body
    children = {r.name: r.station_count for r in response.context["children"]}
    assert children == {"斜塘街道": 1, "唯亭街道": 1}
    assert 'href="/r/320505006000/"' in body and 'href="/r/320506009000/"' in body


def test_region_page_leaves_out_inactive_stations(world):
    world.weiting_station.is_active = False
    world.weiting_station.save(update_fields=["is_active"])
    body = html(world.client(None).get("/r/320506000000/"))
    assert "唯亭街道代表联络站" not in body
    assert "木渎镇代表之家" in body


def test_region_page_is_paginated(world):
    from .helpers import add_stations

    add_stations(world.mudu, 25)
    first = world.client(None).get("/r/320506108000/")
    assert len(first.context["page"].object_list) == 20
    assert 'rel="next"' in html(first)
    second = world.client(None).get("/r/320506108000/?page=2")
    assert len(second.context["page"].object_list) == 6  # 25 + 木渎镇代表之家
    assert world.client(None).get("/r/320506108000/?page=abc").status_code == 200


def test_search_page_and_fragment(world):
    full = world.client(None).get("/search/", {"q": "木渎"})
    body = html(full)
    assert full.status_code == 200 and "<html" in body
    assert 'href="/s/MUDU01/"' in body and "沧浪" not in body.split('id="search-results"')[1]
    # htmx asks for the fragment only: the results, without the page around them.
    fragment = world.client(None).get("/search/", {"q": "唯亭"}, HTTP_HX_REQUEST="true")
    body = html(fragment)
    assert "<html" not in body and 'id="search-list"' in body
    assert 'href="/s/WEIT01/"' in body and "MUDU01" not in body


def test_search_matches_address_and_skips_inactive(world):
    world.canglang_home.address = "人民路100号"
    world.canglang_home.save(update_fields=["address"])
    body = html(world.client(None).get("/search/", {"q": "人民路"}))
    assert 'href="/s/CANG01/"' in body
    world.canglang_home.is_active = False
    world.canglang_home.save(update_fields=["is_active"])
    body = html(world.client(None).get("/search/", {"q": "人民路"}))
    assert "CANG01" not in body


def test_search_with_empty_query(world):
    response = world.client(None).get("/search/", {"q": "  "})
    assert response.status_code == 200
    assert response.context["results"] == []
    assert 'class="station-card"' not in html(response)
