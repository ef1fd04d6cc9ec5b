"""Query counts of every public page are pinned and do not grow with the number of stations, deputies or photos."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.people.models import Member, MemberLevel
from renda.stations.models import Assignment

from .helpers import add_deputies, add_photos, add_stations, place

# page → pinned number of queries (anonymous visitor: no session or user lookups).
PINNED = {
    "/": 5,  # home region (aggregate), region, children, zones' towns, counts
    "/search/?q=站": 1,
    "/near/?lat=31.3&lng=120.6": 1,
    "/r/320506000000/": 6,  # region, ancestors, children, counts, page count, page
    "/r/320506000000/?lat=31.3&lng=120.6": 6,
    "/r/320571000000/": 8,  # a zone adds its managed towns: for the subtree, the children and the counts
    "/s/MUDU01/": 6,  # station with region, deputies, photos, breadcrumbs, coming receptions (+1: deputies), open round
    # deputy with region, stations served with their regions, coming receptions (none here); the performance
    # section (renda/records): published reports, the public figures of this year and last
    "/d/DWZ001/": 5,
    "/m/MWZ001/": 1,
}


def grow(world):
    """Many more rows everywhere the pages read: stations, deputies with photos, station photos, members."""
    for region in (world.mudu, world.weiting, world.xietang, world.canglang, world.jinting):
        add_stations(region, 30, latitude=31.3, longitude=120.6)
    add_deputies(world.mudu_home, 40)
    add_photos(world.mudu_home, 12)
    for station in add_stations(world.mudu, 15, prefix="另站"):
        Assignment.objects.create(station=station, deputy=world.deputy_wz)
    Member.objects.bulk_create(
        Member(
            name=f"委员{i}",
            term=14,
            level=MemberLevel.COUNTY,
            region=world.wuzhong,
            sector="经济界",
            public_code=f"MX{i}",
        )
        for i in range(20)
    )
    place(world.mudu_home, 31.26, 120.51)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", PINNED)
def test_query_count_is_pinned(world, url, django_assert_num_queries):
    client = world.client(None)
    client.get(url)  # warm up caches that are per process, not per request (content types, translations)
    with django_assert_num_queries(PINNED[url]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PINNED)
def test_query_count_does_not_grow_with_rows(world, url):
    client = world.client(None)
    client.get(url)
    before = count(client, url)
    grow(world)
    assert count(client, url) == before == PINNED[url]


def test_pages_really_show_the_grown_rows(world):
    # Guard for the test above: the extra rows are on the pages, so their counts were measured with them.
    grow(world)
    client = world.client(None)
    station = client.get("/s/MUDU01/")
    assert len(station.context["station"].serving) == 42
    assert len(station.context["station"].photo_list) == 12
    assert len(client.get("/d/DWZ001/").context["deputy"].served) == 16
    assert len(client.get("/near/?lat=31.3&lng=120.6").context["stations"]) == 20
    assert (
        client.get("/r/320506000000/").context["page"].paginator.count == 2 + 30 * 3 + 15
    )  # 木渎, 唯亭 and 金庭 are all in 吴中区
