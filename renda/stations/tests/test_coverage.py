"""Coverage per region on a constructed tree (exact figures), its scope grid, fixed query count and Excel export."""

from io import BytesIO
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from renda.regions.models import Region, RegionKind, ZoneMembership
from renda.stations.models import StationKind
from renda.testing import assert_statuses

from .helpers import assign, make_deputy, make_station, sheet_rows, staff_user

URL = reverse("stations:coverage")
K = RegionKind


def region(code, name, kind, parent):
    return Region.objects.create(code=code, name=name, kind=kind, parent=parent)


@pytest.fixture
def tree(world):
    """测试市 with two districts and a zone managing one town of each (see the figures in the tests below).

    甲区: 甲一街道 (甲一社区, 甲二社区), 甲镇 (甲村), 乙镇 — 乙区: 乙一街道 (乙一社区), 乙镇二
    测试开发区 (a zone under the city): manages 甲一街道 and 乙镇二.
    Stations: 甲区代表之家 at the district itself, a home at 甲一街道, a point at 甲一社区, a liaison at 甲村,
    an inactive home at 乙一街道, a point at 乙镇二.
    """
    city = region("320600000000", "测试市", K.CITY, world.jiangsu)
    a = region("320602000000", "甲区", K.DISTRICT, city)
    b = region("320603000000", "乙区", K.DISTRICT, city)
    zone = region("320671000000", "测试开发区", K.ZONE, city)
    a1 = region("320602001000", "甲一街道", K.STREET, a)
    v1 = region("320602001001", "甲一社区", K.COMMUNITY, a1)
    region("320602001002", "甲二社区", K.COMMUNITY, a1)
    a2 = region("320602100000", "甲镇", K.TOWN, a)
    v3 = region("320602100201", "甲村", K.VILLAGE, a2)
    a3 = region("320602101000", "乙镇", K.TOWN, a)
    b1 = region("320603001000", "乙一街道", K.STREET, b)
    v4 = region("320603001001", "乙一社区", K.COMMUNITY, b1)
    b2 = region("320603100000", "乙镇二", K.TOWN, b)
    for member in (a1, b2):
        ZoneMembership.objects.create(zone=zone, member=member)

    d = {n: make_deputy(a1, name=f"代表{n}") for n in range(1, 9)}
    d[7].is_active = False
    d[7].save(update_fields=["is_active"])
    s_a = make_station(a, kind=StationKind.HOME)
    s1 = make_station(a1, kind=StationKind.HOME)
    s2 = make_station(v1, kind=StationKind.POINT)
    s3 = make_station(v3, kind=StationKind.LIAISON)
    s4 = make_station(b1, kind=StationKind.HOME, is_active=False)
    s5 = make_station(b2, kind=StationKind.POINT)
    assign(s_a, d[6])
    assign(s1, d[1], d[2], d[7], head=d[1])
    assign(s2, d[1], d[3])
    assign(s3, d[4], d[8])
    assign(s4, d[5])
    assign(s5, d[2])
    return SimpleNamespace(
        city=city, a=a, b=b, zone=zone, a1=a1, a2=a2, a3=a3, b1=b1, b2=b2, v1=v1, v4=v4, staff=staff_user(city)
    )


FIELDS = (
    "towns",
    "towns_covered",
    "town_share",
    "villages",
    "villages_covered",
    "village_share",
    "home",
    "liaison",
    "point",
    "deputies",
    "deputies_per_station",
)


def figures(row):
    return tuple(getattr(row, name) for name in FIELDS)


def table(client, code=None):
    response = client.get(URL, {"region": code} if code else {})
    assert response.status_code == 200
    rows = {row.region.name: figures(row) for row in response.context["rows"]}
    return response, rows, figures(response.context["total"])


def test_city_rows_include_the_zone_with_its_managed_towns(world, tree):
    response, rows, total = table(world.client(tree.staff))
    assert response.context["region"] == tree.city  # the staff's top region by default
    assert list(rows) == ["甲区", "乙区", "测试开发区"]
    #                   towns      share  villages   share  home liaison point deputies per station
    assert rows["甲区"] == (3, 2, 66.7, 3, 2, 66.7, 2, 1, 1, 6, 1.5)
    assert rows["乙区"] == (2, 1, 50.0, 1, 0, 0.0, 0, 0, 1, 1, 1.0)
    assert rows["测试开发区"] == (2, 2, 100.0, 2, 1, 50.0, 1, 0, 2, 3, 1.0)
    # The total counts each town once, though 甲一街道 and 乙镇二 appear under a district and the zone.
    assert total == (5, 3, 60.0, 4, 2, 50.0, 2, 1, 2, 6, 1.2)


def test_district_rows_are_its_towns(world, tree):
    _, rows, total = table(world.client(tree.staff), tree.a.code)
    assert rows == {
        "甲一街道": (1, 1, 100.0, 2, 1, 50.0, 1, 0, 1, 3, 1.5),
        "甲镇": (1, 1, 100.0, 1, 1, 100.0, 0, 1, 0, 2, 2.0),
        "乙镇": (1, 0, 0.0, 0, 0, None, 0, 0, 0, 0, None),
    }
    assert total == (3, 2, 66.7, 3, 2, 66.7, 2, 1, 1, 6, 1.5)


def test_zone_rows_are_its_managed_towns(world, tree):
    _, rows, total = table(world.client(tree.staff), tree.zone.code)
    assert rows == {
        "甲一街道": (1, 1, 100.0, 2, 1, 50.0, 1, 0, 1, 3, 1.5),
        "乙镇二": (1, 1, 100.0, 0, 0, None, 0, 0, 1, 1, 1.0),
    }
    assert total == (2, 2, 100.0, 2, 1, 50.0, 1, 0, 2, 3, 1.0)


def test_town_rows_are_its_villages(world, tree):
    _, rows, total = table(world.client(tree.staff), tree.a1.code)
    assert rows == {
        "甲一社区": (0, 0, None, 1, 1, 100.0, 0, 0, 1, 2, 2.0),
        "甲二社区": (0, 0, None, 1, 0, 0.0, 0, 0, 0, 0, None),
    }
    assert total == (1, 1, 100.0, 2, 1, 50.0, 1, 0, 1, 3, 1.5)


def test_coverage_grid(world):
    assert_statuses(
        world,
        URL,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit_user": 404,
            "keeper": 404,
            "deputy_user": 404,
            "sysadmin": 404,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
            "park_staff": 200,
            "resort_staff": 200,
            "city_staff": 200,
        },
    )
    wuzhong = f"{URL}?region={world.wuzhong.code}"
    assert_statuses(world, wuzhong, {"wuzhong_staff": 200, "city_staff": 200, "gusu_staff": 404, "park_staff": 404})
    assert_statuses(world, f"{URL}?region={world.weiting.code}", {"park_staff": 200, "resort_staff": 404})
    assert_statuses(world, f"{URL}?region=999999999999", {"city_staff": 404})


def test_default_region_is_the_users_top_region(world):
    for name, expected in (("wuzhong_staff", world.wuzhong), ("park_staff", world.park), ("city_staff", world.suzhou)):
        response = world.client(getattr(world, name)).get(URL)
        assert response.context["region"] == expected, name


def test_world_park_row(world):
    _, rows, _ = table(world.client(world.city_staff))
    assert list(rows) == ["虎丘区", "吴中区", "姑苏区", "苏州工业园区", "苏州太湖国家旅游度假区"]
    assert rows["苏州工业园区"] == (2, 2, 100.0, 0, 0, None, 0, 2, 0, 0, 0.0)
    assert rows["吴中区"] == (3, 2, 66.7, 1, 0, 0.0, 1, 1, 0, 2, 1.0)
    assert rows["苏州太湖国家旅游度假区"] == (1, 0, 0.0, 0, 0, None, 0, 0, 0, 0, None)


def test_coverage_queries_do_not_grow_with_regions_or_stations(world, tree, django_assert_max_num_queries):
    client = world.client(tree.staff)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    # Many more districts, towns, villages, stations, deputies and zone members.
    for n in range(4, 10):
        district = region(f"3206{n:02d}000000", f"新区{n}", K.DISTRICT, tree.city)
        for t in range(1, 5):
            town = region(f"3206{n:02d}{t:03d}000", f"新镇{n}-{t}", K.TOWN, district)
            village = region(f"3206{n:02d}{t:03d}201", f"新村{n}-{t}", K.VILLAGE, town)
            assign(make_station(town, kind=StationKind.HOME), make_deputy(town))
            assign(make_station(village), make_deputy(village))
            if t == 1:
                ZoneMembership.objects.create(zone=tree.zone, member=town)
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL)
    assert len(response.context["rows"]) == 9
    assert response.context["total"].towns == 5 + 24
    assert len(after) == len(before)
    with django_assert_max_num_queries(16):
        client.get(URL)


def test_coverage_export(world, tree):
    response = world.client(tree.staff).get(reverse("stations:coverage_export"), {"region": tree.city.code})
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert rows[0][:3] == ["区域代码", "区域", "乡镇（街道）"]
    assert [row[1] for row in rows[1:]] == ["甲区", "乙区", "测试开发区", "合计"]
    # Shares are real percentages: the fraction in the cell, shown as 66.7%.
    assert rows[1] == ["320602000000", "甲区", 3, 2, 0.667, 3, 2, 0.667, 2, 1, 1, 6, 1.5]
    assert rows[4] == ["320600000000", "合计", 5, 3, 0.6, 4, 2, 0.5, 2, 1, 2, 6, 1.2]
    sheet = load_workbook(BytesIO(response.content)).active
    assert [sheet.cell(2, column).number_format for column in (5, 8)] == ["0.0%", "0.0%"]
    # Empty shares are empty cells, not "None".
    district_rows = sheet_rows(
        world.client(tree.staff).get(reverse("stations:coverage_export"), {"region": tree.a.code})
    )
    assert district_rows[3][1] == "乙镇" and district_rows[3][7] == "" and district_rows[3][12] == ""


def test_coverage_export_grid(world):
    url = reverse("stations:coverage_export")
    assert_statuses(world, url, {"anonymous": 302, "outsider": 404, "keeper": 404, "wuzhong_staff": 200})
    assert_statuses(world, f"{url}?region={world.wuzhong.code}", {"gusu_staff": 404, "park_staff": 404})
