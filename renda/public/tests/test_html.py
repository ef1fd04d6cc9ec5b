"""Every public page loads nothing from another host and is built for phones."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from .helpers import add_deputies, add_photos, html, place

URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "formaction", "hx-get", "hx-post"}
PAGES = [
    "/",
    "/search/?q=站",
    "/near/",
    "/near/?lat=31.3&lng=120.6",
    "/near/?lat=bad",
    "/r/320506000000/",
    "/r/320506000000/?lat=31.3&lng=120.6",
    "/r/320571000000/",
    "/s/MUDU01/",
    "/d/DWZ001/",
    "/m/MWZ001/",
    "/s/NOSUCH/",  # the 404 page
]


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.metas, self.inline_scripts, self.style_attrs = [], [], 0, 0
        self.tap_links = []  # a station's phone number and its map apps: links followed only when tapped
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("id", "").startswith("nav-") or attrs.get("href", "").startswith("tel:")):
            self.tap_links.append(attrs["href"])
            attrs.pop("href")
        for name, value in attrs.items():
            if name == "srcset" and value:
                self.urls.extend(part.strip().split(" ")[0] for part in value.split(","))
            elif name in URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
            if name.startswith("on") or name == "hx-on" or name.startswith("hx-on:"):
                self.inline_scripts += 1
        if tag == "meta":
            self.metas.append(attrs)
        if tag == "script":
            self._in_script = "src" not in attrs
        if tag == "style":
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


def is_same_host(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return parts.scheme in ("http", "https") and parts.netloc == "testserver"
    return not url.startswith("//")


@pytest.fixture
def rich_world(world):
    """Photos and coordinates, so that every kind of link and image is on the pages."""
    add_photos(world.mudu_home, 2)
    add_deputies(world.mudu_home, 3)
    world.deputy_wz.photo = "people/wu.jpg"
    world.deputy_wz.save(update_fields=["photo"])
    world.member_wz.photo = "people/m.jpg"
    world.member_wz.save(update_fields=["photo"])
    place(world.mudu_home, 31.26, 120.51)
    return world


@pytest.mark.parametrize("url", PAGES)
def test_every_url_on_the_page_is_on_this_host(rich_world, url):
    collector = Collector()
    collector.feed(html(rich_world.client(None).get(url)))
    assert collector.urls, url
    foreign = [u for u in collector.urls if not is_same_host(u)]
    assert not foreign, f"{url} refers to other hosts: {foreign}"
    schemes = {urlsplit(link).scheme for link in collector.tap_links}
    assert schemes <= {"tel", "geo", "https"}, schemes


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_made_for_phones_and_a_strict_csp(rich_world, url):
    collector = Collector()
    collector.feed(html(rich_world.client(None).get(url)))
    viewports = [m for m in collector.metas if m.get("name") == "viewport"]
    assert viewports and "width=device-width" in viewports[0]["content"]
    # A Content-Security-Policy without 'unsafe-inline' is coming: no inline scripts, handlers or style blocks.
    assert collector.inline_scripts == 0


def test_the_same_host_check_itself():
    assert is_same_host("/s/MUDU01/") and is_same_host("?page=2") and is_same_host("#main")
    assert is_same_host("http://testserver/static/x.css")
    assert not is_same_host("https://cdn.example.com/htmx.js")
    assert not is_same_host("//cdn.example.com/htmx.js")
    assert not is_same_host("javascript:alert(1)")


def test_collector_finds_inline_code():
    collector = Collector()
    collector.feed('<script>alert(1)</script><a onclick="x()" href="/">x</a><script src="/a.js"></script>')
    assert collector.inline_scripts == 2
    assert collector.urls == ["/", "/a.js"]
