"""Station roster imports: stations with their deputies and head, updates that replace assignments, every error."""

import pytest

from renda.audit.models import AuditEvent
from renda.imports.models import ImportStatus
from renda.people.models import Deputy
from renda.stations.models import Assignment, Station
from renda.stations.rosters import STATION_COLUMNS, station_row

from .helpers import deputy, errors_of, import_file, roster, station


def _import(world, rows, user=None):
    return import_file(world.client(user or world.wuzhong_staff), "stations", roster("stations", rows))


def _export_row(st):
    """What the stations app's export writes for one station."""
    assignments = list(st.assignments.select_related("deputy").order_by("id"))
    head = next((a.deputy.public_code for a in assignments if a.is_head), "")
    return station_row(st, [a.deputy.public_code for a in assignments], head)


def _serving(st) -> dict:
    return dict(Assignment.objects.filter(station=st).values_list("deputy__public_code", "is_head"))


def test_new_station_with_deputies_and_head(world):
    job = _import(world, [station("木渎镇山塘联系点", kind="代表联系点", deputies="DWZ001、DCT001", head="DCT001")])
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count) == (1, 0)
    st = Station.objects.get(name="木渎镇山塘联系点")
    assert (st.kind, st.region, st.reception_hours) == ("point", world.mudu, "每周三上午")
    assert (str(st.latitude), str(st.longitude)) == ("31.260000", "120.510000")
    assert len(st.public_code) == 6
    assert _serving(st) == {"DWZ001": False, "DCT001": True}
    assert AuditEvent.objects.get(action="imports.stations").changes == {"rows": 1, "created": 1, "updated": 0}


def test_update_replaces_assignments_and_head(world):
    row = _export_row(world.mudu_home)
    assert row[STATION_COLUMNS.index("进站代表编号")] == "DWZ001、DCT001"
    row[STATION_COLUMNS.index("进站代表编号")] = "DCT001, DGS001"  # DWZ001 leaves; a 姑苏区 deputy joins
    row[STATION_COLUMNS.index("站长代表编号")] = "DCT001"
    row[STATION_COLUMNS.index("接待时间")] = "每周五下午"
    job = _import(world, [row])
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count) == (0, 1)
    world.mudu_home.refresh_from_db()
    assert world.mudu_home.reception_hours == "每周五下午"
    assert _serving(world.mudu_home) == {"DCT001": True, "DGS001": False}
    assert Station.objects.count() == 4


def test_round_trip_of_exported_stations_changes_nothing(world):
    rows = [_export_row(st) for st in (world.mudu_home, world.weiting_station)]
    before = {st.pk: _serving(st) for st in (world.mudu_home, world.weiting_station)}
    job = _import(world, rows)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    assert {st.pk: _serving(st) for st in (world.mudu_home, world.weiting_station)} == before


def test_assignments_only_change_counts_as_update_and_empty_list_removes_all(world):
    row = _export_row(world.mudu_home)
    row[STATION_COLUMNS.index("进站代表编号")] = ""
    row[STATION_COLUMNS.index("站长代表编号")] = ""
    job = _import(world, [row])
    assert (job.status, job.updated_count) == (ImportStatus.DONE, 1)
    assert _serving(world.mudu_home) == {}


def test_station_may_list_deputies_from_an_earlier_deputy_import(world):
    client = world.client(world.wuzhong_staff)
    first = import_file(client, "deputies", roster("deputies", [deputy("先导入甲"), deputy("先导入乙")]))
    assert first.status == ImportStatus.DONE
    codes = dict(Deputy.objects.filter(name__startswith="先导入").values_list("name", "public_code"))
    rows = [
        station(
            "金庭镇代表之家",
            kind="代表之家",
            region=world.jinting.code,
            deputies=f"{codes['先导入甲']}，{codes['先导入乙'].lower()}",
            head=codes["先导入乙"],
        )
    ]
    job = import_file(client, "stations", roster("stations", rows))
    assert job.status == ImportStatus.DONE, job.errors
    st = Station.objects.get(name="金庭镇代表之家")
    assert _serving(st) == {codes["先导入甲"]: False, codes["先导入乙"]: True}


def test_renamed_station_frees_its_name_for_a_new_one(world):
    row = _export_row(world.mudu_home)
    row[STATION_COLUMNS.index("名称")] = "木渎镇人大代表之家"
    job = _import(world, [row, station("木渎镇代表之家", kind="代表之家")])
    assert job.status == ImportStatus.DONE, job.errors
    assert set(Station.objects.filter(region=world.mudu).values_list("name", flat=True)) == {
        "木渎镇人大代表之家",
        "木渎镇代表之家",
    }


def test_coordinates_may_be_empty_or_text(world):
    job = _import(world, [station("无坐标站", 纬度="", 经度=""), station("文本坐标站", 纬度="31.3", 经度=" 120.6 ")])
    assert job.status == ImportStatus.DONE, job.errors
    assert Station.objects.get(name="无坐标站").latitude is None
    assert str(Station.objects.get(name="文本坐标站").longitude) == "120.600000"


ERROR_CASES = [
    ({"名称": ""}, "名称", "此项必填。"),
    ({"kind": ""}, "类型", "此项必填。"),
    ({"region": ""}, "所在区域代码", "此项必填。"),
    (
        {"kind": "代表之站"},
        "类型",
        "“代表之站”不是有效值，请填写以下之一：代表之家、代表联络站、代表联系点、委员工作室。",
    ),
    ({"region": "32050610800"}, "所在区域代码", "“32050610800”不是 12 位区域代码。"),
    ({"region": "320506108777"}, "所在区域代码", "没有代码为 320506108777 的区域。"),
    ({"region": "320508002000"}, "所在区域代码", "沧浪街道（320508002000）不在您管理的区域范围内。"),
    ({"纬度": "北纬31度"}, "纬度", "“北纬31度”不是数字。"),
    ({"纬度": 131.2}, "纬度", "131.2 超出范围（-90 至 90）。"),
    ({"经度": -190}, "经度", "-190 超出范围（-180 至 180）。"),
    ({"经度": ""}, "经度", "纬度和经度须同时填写或同时留空。"),
    ({"deputies": "DWZ001、NOSUCH、DXX999"}, "进站代表编号", "编号为 NOSUCH、DXX999 的代表不存在。"),
    ({"deputies": "DWZ001", "head": "DCT001"}, "站长代表编号", "站长 DCT001 不在“进站代表编号”所列的代表之中。"),
    (
        {"deputies": "DWZ001、DCT001", "head": "DWZ001、DCT001"},
        "站长代表编号",
        "每个站点只有一名站长，请只填写一个编号。",
    ),
    ({"code": "NOSUCH"}, "编号", "编号为 NOSUCH 的站点不存在。"),
    ({"code": "CANG01"}, "编号", "编号为 CANG01 的站点不存在。"),  # 姑苏区's station: outside scope reads as missing
    ({"名称": "木渎镇代表之家"}, "名称", "该区域已有同名站点（编号 MUDU01）。"),
    ({"地址": "路" * 201}, "地址", "内容过长：最多 200 个字符。"),
    ({"联系电话": "请找王站长"}, "联系电话", "“请找王站长”不是电话号码（数字、空格和连字符）。"),
]


@pytest.mark.parametrize(("change", "column", "message"), ERROR_CASES, ids=[c[2][:14] for c in ERROR_CASES])
def test_each_error_is_reported_by_row_and_column_in_chinese(world, change, column, message):
    count, assignments = Station.objects.count(), Assignment.objects.count()
    job = _import(world, [station("好站", deputies="DWZ001", head="DWZ001"), station("坏站", **change)])
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"row": 3, "column": column, "message": message}]
    assert (Station.objects.count(), Assignment.objects.count()) == (count, assignments)


def test_same_name_twice_in_one_region(world):
    job = _import(world, [station("重名站"), station("重名站", region=world.jinting.code), station("重名站")])
    assert job.errors == [{"row": 4, "column": "名称", "message": "同一区域内已有同名站点（见第 2 行）。"}]


def test_all_or_nothing_for_stations(world):
    update = _export_row(world.mudu_home)
    update[STATION_COLUMNS.index("进站代表编号")] = "DCT001"
    update[STATION_COLUMNS.index("站长代表编号")] = "DCT001"
    rows = [station(f"联络站{i:02d}", deputies="DWZ001") for i in range(50)] + [update, station("坏站", kind="")]
    job = _import(world, rows)
    assert errors_of(job) == {(53, "类型")}
    assert not Station.objects.filter(name__startswith="联络站").exists()
    assert _serving(world.mudu_home) == {"DWZ001": True, "DCT001": False}


def test_many_stations_keep_query_count_flat(world, django_assert_max_num_queries):
    rows = [station(f"批量站{i}", deputies="DWZ001、DCT001", head="DWZ001") for i in range(600)]
    with django_assert_max_num_queries(80):
        job = _import(world, rows)
    assert (job.status, job.created_count) == (ImportStatus.DONE, 600)
    assert Assignment.objects.filter(station__name__startswith="批量站").count() == 1200
    assert Assignment.objects.filter(station__name__startswith="批量站", is_head=True).count() == 600


def test_the_public_phone_goes_in_and_comes_back_out(world):
    job = _import(world, [station("电话站", 联系电话="0512-66668888"), station("座机站", 联系电话=51266668888.0)])
    assert job.status == ImportStatus.DONE, job.errors
    st = Station.objects.get(name="电话站")
    assert st.phone == "0512-66668888"
    assert Station.objects.get(name="座机站").phone == "51266668888"  # typed as a number in Excel: no ".0"
    assert _export_row(st)[STATION_COLUMNS.index("联系电话")] == "0512-66668888"
