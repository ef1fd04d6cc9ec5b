"""The station list: who reaches it, what each user sees, search and filters, query count, Excel export."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.stations.models import StationKind
from renda.stations.rosters import STATION_COLUMNS
from renda.testing import assert_statuses

from .helpers import assign, make_deputy, make_station, sheet_rows

URL = reverse("stations:list")


def names(response):
    return {station.name for station in response.context["page"]}


def test_list_grid(world):
    assert_statuses(
        world,
        URL,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit_user": 404,
            "sysadmin": 404,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
            "park_staff": 200,
            "keeper": 200,
            "deputy_user": 200,
            "city_staff": 200,
        },
    )


def test_each_user_sees_only_their_stations(world):
    seen = {name: names(world.client(getattr(world, name)).get(URL)) for name in ("wuzhong_staff", "gusu_staff")}
    assert seen["wuzhong_staff"] == {"木渎镇代表之家", "唯亭街道代表联络站"}
    assert seen["gusu_staff"] == {"沧浪街道代表之家"}
    assert names(world.client(world.park_staff).get(URL)) == {"唯亭街道代表联络站", "斜塘街道代表联络站"}
    assert names(world.client(world.resort_staff).get(URL)) == set()
    assert names(world.client(world.keeper).get(URL)) == {"木渎镇代表之家"}
    assert names(world.client(world.deputy_user).get(URL)) == {"木渎镇代表之家"}
    assert len(names(world.client(world.city_staff).get(URL))) == 4


def test_columns_show_deputy_count_and_head(world):
    response = world.client(world.wuzhong_staff).get(URL)
    row = next(station for station in response.context["page"] if station.pk == world.mudu_home.pk)
    assert (row.deputy_count, row.head_name) == (2, "吴测试")
    content = response.content.decode()
    assert "木渎镇代表之家" in content and "吴测试" in content and 'class="table-wrap"' in content


def test_search_by_name_and_address(world):
    client = world.client(world.city_staff)
    assert names(client.get(URL, {"q": "唯亭"})) == {"唯亭街道代表联络站"}
    world.canglang_home.address = "人民路88号"
    world.canglang_home.save(update_fields=["address"])
    assert names(client.get(URL, {"q": "人民路"})) == {"沧浪街道代表之家"}


def test_htmx_search_returns_the_table_fragment(world):
    response = world.client(world.city_staff).get(URL, {"q": "木渎"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "木渎镇代表之家" in content and "沧浪街道代表之家" not in content
    assert "<html" not in content and "<form" not in content


def test_filters_kind_active_and_region_subtree(world):
    client = world.client(world.city_staff)
    assert names(client.get(URL, {"kind": StationKind.LIAISON})) == {"唯亭街道代表联络站", "斜塘街道代表联络站"}
    # A zone's subtree is its managed streets, legally under other districts.
    assert names(client.get(URL, {"region": world.park.code})) == {"唯亭街道代表联络站", "斜塘街道代表联络站"}
    assert names(client.get(URL, {"region": world.wuzhong.code})) == {"木渎镇代表之家", "唯亭街道代表联络站"}
    world.mudu_home.is_active = False
    world.mudu_home.save(update_fields=["is_active"])
    assert names(client.get(URL, {"region": world.wuzhong.code, "active": "1"})) == {"唯亭街道代表联络站"}
    assert names(client.get(URL, {"active": "0"})) == {"木渎镇代表之家"}


def test_region_filter_outside_scope_is_rejected_not_ignored(world):
    response = world.client(world.wuzhong_staff).get(URL, {"region": world.gusu.code})
    assert response.status_code == 200
    assert names(response) == set()
    assert response.context["form"].errors["region"]


def test_list_query_count_does_not_grow_with_rows(world):
    client = world.client(world.city_staff)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for n in range(30):
        station = make_station(world.mudu, kind=StationKind.POINT)
        first, second = make_deputy(world.mudu), make_deputy(world.mudu)
        assign(station, first, second, head=first if n % 2 else None)
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL)
    assert len(response.context["page"]) == 34
    assert len(after) == len(before)


def test_list_query_count_is_pinned(world, django_assert_max_num_queries):
    client = world.client(world.wuzhong_staff)
    for _ in range(10):
        make_station(world.mudu)
    client.get(URL)
    # session, user, grants (scope), region datalist, count, page
    with django_assert_max_num_queries(6):
        client.get(URL)


def test_export_contains_the_filtered_list_in_roster_columns(world):
    response = world.client(world.wuzhong_staff).get(reverse("stations:export"), {"kind": StationKind.HOME})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response)
    assert rows[0] == STATION_COLUMNS
    assert len(rows) == 2
    row = dict(zip(STATION_COLUMNS, rows[1], strict=True))
    assert row["编号"] == "MUDU01"
    assert row["名称"] == "木渎镇代表之家"
    assert row["类型"] == "代表之家"
    assert row["所在区域代码"] == world.mudu.code
    assert set(row["进站代表编号"].split("、")) == {"DWZ001", "DCT001"}
    assert row["站长代表编号"] == "DWZ001"


def test_export_grid_and_scope(world):
    url = reverse("stations:export")
    assert_statuses(world, url, {"anonymous": 302, "outsider": 404, "unit_user": 404, "gusu_staff": 200, "keeper": 200})
    codes = [row[0] for row in sheet_rows(world.client(world.gusu_staff).get(url))[1:]]
    assert codes == ["CANG01"]


def test_export_query_count_does_not_grow_with_rows(world):
    client = world.client(world.city_staff)
    url = reverse("stations:export")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(20):
        assign(make_station(world.mudu), make_deputy(world.mudu))
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(sheet_rows(response)) == 25
    assert len(after) == len(before)
