"""Every search box has one length limit (SEARCH_MAX_LENGTH): over it, a clear 400 in the user's language; at it, the
list answers normally. SQLite refuses LIKE patterns over 50,000 bytes, which made a long search a 500."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from renda.testing import assert_statuses

pytestmark = pytest.mark.django_db

LONG = "路" * 50_000
USERS = ("anonymous", "city_staff", "wuzhong_staff", "keeper", "unit_user", "deputy_user", "sysadmin")


def list_urls() -> list[str]:
    """Every GET route without a parameter (lists, searches, exports, pages), from the URL configuration itself."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and "<" not in route and not route.startswith("^"):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({url for url in found if "(" not in url and not re.search(r"[$^\\]", url)})


def test_the_walk_finds_the_lists():
    urls = list_urls()
    for url in ("/staff/regions/", "/staff/opinions/", "/accounts/users/", "/search/", "/api/v1/stations"):
        assert url in urls, url
    assert len(urls) > 40


def test_every_list_refuses_a_50000_character_search_without_a_5xx(world):
    failures = []
    for url in list_urls():
        for name in ("anonymous", "city_staff", "keeper"):
            user = None if name == "anonymous" else getattr(world, name)
            response = world.client(user).get(url, {"q": LONG, "page": "2"})
            if response.status_code != 400:
                failures.append(f"{name} {url}: {response.status_code}")
    assert failures == []


def test_html_answer_is_the_form_with_the_error_in_chinese(world):
    response = world.client(world.city_staff).get("/staff/regions/", {"q": LONG, "kind": "town"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "搜索内容过长" in body and "100" in body
    form = response.context
    assert form["value"] == "路" * 100 and form["kept"] == [("kind", "town")] and form["action"] == "/staff/regions/"
    # English when the user chose it.
    client = world.client(world.city_staff)
    client.cookies["django_language"] = "en"
    assert "The search text is too long" in client.get("/staff/regions/", {"q": LONG}).content.decode()


def test_api_answers_400_in_its_error_shape(world):
    response = world.client(None).get("/api/v1/stations", {"q": LONG})
    assert response.status_code == 400
    assert response.json() == {
        "code": "search_too_long",
        "message": "搜索内容过长，最多 100 个字符。",
        "details": {"parameter": "q", "max_length": 100},
    }


def test_at_the_limit_every_list_answers(world):
    """A search of exactly the limit runs on every list (LIKE, bigram index): no 5xx for any role."""
    failures = []
    at_limit = "停车" * 50
    for url in list_urls():
        for name in USERS:
            user = None if name == "anonymous" else getattr(world, name)
            response = world.client(user).get(url, {"q": at_limit})
            if response.status_code >= 500:
                failures.append(f"{name} {url}: {response.status_code}")
    assert failures == []


def test_the_limit_is_a_setting(world, settings):
    settings.SEARCH_MAX_LENGTH = 5
    assert_statuses(world, "/staff/regions/?q=吴中区木渎", {"city_staff": 200})
    assert_statuses(world, "/staff/regions/?q=吴中区木渎镇", {"city_staff": 400, "anonymous": 400})
    settings.SEARCH_PARAMETERS = ("q", "name")
    assert_statuses(world, "/staff/people/?name=abcdefgh", {"city_staff": 400})


def test_the_pickers_are_searches_too(world):
    """The deputy picker on a station page (dq) searched with an unbounded LIKE as well."""
    station = world.mudu_home.pk
    for url in (f"/staff/stations/{station}/", f"/staff/stations/{station}/deputies/candidates/"):
        assert_statuses(world, f"{url}?dq={'吴' * 101}", {"wuzhong_staff": 400, "keeper": 400})
        assert_statuses(world, f"{url}?dq={'吴' * 100}", {"wuzhong_staff": 200})
