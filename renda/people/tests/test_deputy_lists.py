"""The deputy list: filters, search as you type, cost per page, masked phones, and the Excel export."""

from django.urls import reverse

from renda.people.models import Deputy, DeputyLevel
from renda.people.rosters import DEPUTY_COLUMNS
from renda.stations.models import Assignment
from renda.testing import assert_statuses

from .utils import audit_text, xlsx_rows


def _add_deputies(world, count, *, region=None, start=0):
    """`count` 吴中区 deputies with phones, each serving at 木渎镇代表之家."""
    for i in range(start, start + count):
        deputy = Deputy.objects.create(
            name=f"批量代表{i:03d}",
            gender="M",
            term=17,
            level=DeputyLevel.TOWNSHIP,
            electoral_region=region or world.mudu,
            public_code=f"BULK{i:03d}",
            phone=f"1390000{i:04d}",
        )
        Assignment.objects.create(station=world.mudu_home, deputy=deputy)


def _get(world, user, **params):
    return world.client(user).get(reverse("people:deputy_list"), params).content.decode()


def test_search_by_name(world):
    page = _get(world, world.wuzhong_staff, q="吴测")
    assert "吴测试" in page and "苏测试" not in page


def test_htmx_search_returns_only_the_table_fragment(world):
    response = world.client(world.wuzhong_staff).get(reverse("people:deputy_list"), {"q": "苏"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<div id="results">')
    assert "<html" not in text and "苏测试" in text and "吴测试" not in text


def test_filter_by_level_term_and_active(world):
    assert "苏测试" in _get(world, world.wuzhong_staff, level="city")
    assert "吴测试" not in _get(world, world.wuzhong_staff, level="city")
    Deputy.objects.filter(pk=world.deputy_city.pk).update(term=16)
    page = _get(world, world.wuzhong_staff, term="16")
    assert "苏测试" in page and "吴测试" not in page


def test_filter_by_region_takes_the_subtree(world):
    # 木渎镇 holds 吴测试; 苏测试 is elected in 姑苏区 and only serves here.
    page = _get(world, world.wuzhong_staff, region=world.mudu.code)
    assert "吴测试" in page and "苏测试" not in page
    page = _get(world, world.wuzhong_staff, region="320506")
    assert "吴测试" in page


def test_filter_by_zone_takes_its_managed_towns(world):
    _add_deputies(world, 1, region=world.weiting)
    page = _get(world, world.city_staff, region=world.park.code)
    assert "批量代表000" in page and "吴测试" not in page


def test_region_filter_outside_scope_shows_an_error_and_no_rows(world):
    page = _get(world, world.wuzhong_staff, region=world.canglang.code)
    assert f"您的管辖范围内没有代码为 {world.canglang.code} 的区域" in page
    assert "吴测试" not in page and "苏测试" not in page


def test_list_never_shows_a_full_phone(world):
    _add_deputies(world, 3)
    page = _get(world, world.wuzhong_staff)
    assert "138****8000" in page and "13800138000" not in page
    for i in range(3):
        assert f"1390000{i:04d}" not in page and f"139****{i:04d}" in page


def test_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries, django_assert_num_queries):
    client = world.client(world.wuzhong_staff)
    url = reverse("people:deputy_list")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(6) as few:
        assert client.get(url).status_code == 200
    _add_deputies(world, 60)  # more than a page
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/staff/people/deputies/") >= 50


def test_filtered_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    client = world.client(world.wuzhong_staff)
    url = reverse("people:deputy_list")
    params = {"q": "代表", "region": world.mudu.code, "level": "township", "term": "17"}
    client.get(url, params)
    _add_deputies(world, 2)
    with django_assert_num_queries(6) as few:
        client.get(url, params)
    _add_deputies(world, 60, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url, params)


def test_pagination(world):
    _add_deputies(world, 60)
    client = world.client(world.wuzhong_staff)
    first = client.get(reverse("people:deputy_list")).content.decode()
    second = client.get(reverse("people:deputy_list"), {"page": "2"}).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' in second
    names = ["吴测试", "苏测试", *(f"批量代表{i:03d}" for i in range(60))]
    on_first = {name for name in names if name in first}
    on_second = {name for name in names if name in second}
    assert len(on_first) == 50 and len(on_second) == 12 and not on_first & on_second


# Export


def test_export_grid(world):
    assert_statuses(
        world,
        reverse("people:deputy_export"),
        {
            "anonymous": 302,
            "outsider": 404,
            "keeper": 404,
            "deputy_user": 404,
            "unit_user": 404,
            "sysadmin": 404,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
        },
    )


def test_export_is_an_import_file_with_masked_phones_and_only_rows_in_scope(world):
    response = world.client(world.wuzhong_staff).get(reverse("people:deputy_export"))
    rows = xlsx_rows(response)
    assert rows[0] == DEPUTY_COLUMNS
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"DWZ001", "DCT001"}
    wz = by_code["DWZ001"]
    assert wz[1] == "吴测试" and wz[2] == "女" and wz[3] == "县区" and wz[4] == 17 and wz[5] == world.mudu.code
    assert wz[DEPUTY_COLUMNS.index("手机号码")] == "138****8000"
    assert b"13800138000" not in response.content
    assert "DGS001" not in by_code


def test_export_follows_the_filters(world):
    response = world.client(world.wuzhong_staff).get(reverse("people:deputy_export"), {"level": "city"})
    rows = xlsx_rows(response)
    assert [row[0] for row in rows[1:]] == ["DCT001"]


def test_export_is_audited(world):
    world.client(world.wuzhong_staff).get(reverse("people:deputy_export"), {"level": "city"})
    assert "level=city" in audit_text()
