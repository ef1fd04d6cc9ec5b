"""Deputy roster imports through the pages, then the database: creates, updates, round trips, every error class."""

import time

import pytest

from renda.accounts.scope import scope_for
from renda.audit.models import AuditEvent
from renda.imports.checks import check_deputies
from renda.imports.models import ImportStatus
from renda.people.models import Deputy
from renda.people.rosters import DEPUTY_COLUMNS, deputy_row

from .helpers import deputy, errors_of, import_file, roster


def _import(world, rows, user=None):
    return import_file(world.client(user or world.wuzhong_staff), "deputies", roster("deputies", rows))


def _export_rows(deputies):
    """What the people app's export writes: phones masked."""
    return [deputy_row(d, phone=d.masked_phone) for d in deputies]


def test_new_deputies_are_created(world):
    before = Deputy.objects.count()
    job = _import(
        world,
        [
            deputy("张新", phone="13912345678", 工作单位及职务="木渎镇政府 干部"),
            deputy("李新", gender="女", level="乡镇", term=7, region=320506114000),  # a code typed as a number
            deputy("王新", gender="", level="街道议政代表", term=17.0, region="320506009000", phone=13800001111),
        ],
    )
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.rows_total, job.rows_done) == (3, 0, 3, 3)
    assert Deputy.objects.count() == before + 3
    zhang = Deputy.objects.get(name="张新")
    assert (zhang.level, zhang.term, zhang.gender, zhang.electoral_region) == ("county", 17, "M", world.mudu)
    assert zhang.phone == "13912345678" and zhang.work_unit == "木渎镇政府 干部"
    li = Deputy.objects.get(name="李新")
    assert (li.level, li.term, li.gender, li.electoral_region) == ("township", 7, "F", world.jinting)
    wang = Deputy.objects.get(name="王新")
    assert (wang.level, wang.gender, wang.phone, wang.electoral_region) == ("street", "", "13800001111", world.weiting)
    codes = list(Deputy.objects.values_list("public_code", flat=True))
    assert len(set(codes)) == len(codes) and all(len(code) == 6 for code in codes if code not in ("DWZ001",))
    event = AuditEvent.objects.get(action="imports.deputies")
    assert event.actor == world.wuzhong_staff
    assert event.changes == {"rows": 3, "created": 3, "updated": 0}


def test_reimport_of_export_updates_without_duplicates(world):
    _import(world, [deputy("甲代表", phone="13911112222"), deputy("乙代表"), deputy("丙代表", phone="13733334444")])
    created = list(Deputy.objects.filter(name__in=["甲代表", "乙代表", "丙代表"]).order_by("name"))
    rows = _export_rows(created)
    assert rows[0][DEPUTY_COLUMNS.index("手机号码")].count("*") == 4  # masked in the export
    rows[1][DEPUTY_COLUMNS.index("职业")] = "医生"  # one correction made in Excel
    count = Deputy.objects.count()
    job = _import(world, rows)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    assert Deputy.objects.count() == count
    fresh = {d.pk: d for d in Deputy.objects.filter(pk__in=[d.pk for d in created])}
    assert fresh[created[1].pk].occupation == "医生"
    # The masked numbers came back, and the stored ones are untouched.
    assert {fresh[d.pk].phone for d in created} == {d.phone for d in created}
    assert fresh[created[0].pk].updated == created[0].updated


def test_round_trip_of_existing_deputies(world):
    """Rows built with deputy_row (the export's builder) re-import as updates of the same records."""
    rows = _export_rows([world.deputy_wz])
    job = _import(world, rows)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count) == (0, 0)
    rows[0][DEPUTY_COLUMNS.index("姓名")] = "吴改名"
    rows[0][DEPUTY_COLUMNS.index("选区代码")] = world.jinting.code
    job = _import(world, rows)
    assert (job.status, job.created_count, job.updated_count) == (ImportStatus.DONE, 0, 1)
    world.deputy_wz.refresh_from_db()
    assert (world.deputy_wz.name, world.deputy_wz.electoral_region) == ("吴改名", world.jinting)
    assert world.deputy_wz.phone == "13800138000"


def test_new_phone_replaces_and_empty_phone_keeps(world):
    row = _export_rows([world.deputy_wz])[0]
    row[DEPUTY_COLUMNS.index("手机号码")] = ""
    assert _import(world, [row]).updated_count == 0
    world.deputy_wz.refresh_from_db()
    assert world.deputy_wz.phone == "13800138000"
    row[DEPUTY_COLUMNS.index("手机号码")] = "139 0000 1234"
    assert _import(world, [row]).updated_count == 1
    world.deputy_wz.refresh_from_db()
    assert world.deputy_wz.phone == "13900001234"


def test_zone_staff_import_into_managed_town(world):
    job = _import(world, [deputy("园区代表", region=world.weiting.code)], user=world.park_staff)
    assert job.status == ImportStatus.DONE
    job = _import(world, [deputy("园区外代表", region=world.mudu.code)], user=world.park_staff)
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["message"] == "木渎镇（320506108000）不在您管理的区域范围内。"


ERROR_CASES = [
    ({"姓名": ""}, "姓名", "此项必填。"),
    ({"level": ""}, "代表级别", "此项必填。"),
    ({"term": None}, "届次", "此项必填。"),
    ({"region": ""}, "选区代码", "此项必填。"),
    ({"gender": "男性"}, "性别", "“男性”不是有效值，请填写以下之一：男、女。"),
    ({"level": "省级"}, "代表级别", "“省级”不是有效值，请填写以下之一：全国、省、市、县区、乡镇、街道议政代表。"),
    ({"term": "十七"}, "届次", "“十七”不是正整数。"),
    ({"term": 0}, "届次", "“0”不是正整数。"),
    ({"term": 17.5}, "届次", "“17.5”不是正整数。"),
    ({"region": "3205061080"}, "选区代码", "“3205061080”不是 12 位区域代码。"),
    ({"region": "320506108999"}, "选区代码", "没有代码为 320506108999 的区域。"),
    ({"region": "320508002000"}, "选区代码", "沧浪街道（320508002000）不在您管理的区域范围内。"),
    ({"phone": "1380013800"}, "手机号码", "“1380013800”不是有效的手机号码（应为以 1 开头的 11 位数字）。"),
    ({"phone": "23800138000"}, "手机号码", "“23800138000”不是有效的手机号码（应为以 1 开头的 11 位数字）。"),
    ({"phone": "138****0000"}, "手机号码", "“138****0000”是脱敏号码，请填写完整的手机号码。"),
    ({"code": "NOSUCH"}, "编号", "编号为 NOSUCH 的代表不存在。"),
    (
        {"code": "DGS001"},
        "编号",
        "编号为 DGS001 的代表不存在。",
    ),  # exists, but in 姑苏区: outside scope reads as missing
    ({"姓名": "长" * 61}, "姓名", "内容过长：最多 60 个字符。"),
]


@pytest.mark.parametrize(("change", "column", "message"), ERROR_CASES, ids=[c[2][:14] for c in ERROR_CASES])
def test_each_error_is_reported_by_row_and_column_in_chinese(world, change, column, message):
    count = Deputy.objects.count()
    job = _import(world, [deputy("好代表"), deputy("坏代表", **change)])
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"row": 3, "column": column, "message": message}]
    assert Deputy.objects.count() == count
    page = world.client(world.wuzhong_staff).get(f"/staff/imports/{job.pk}/").content.decode()
    assert f"<td>3</td><td>{column}</td>" in page


def test_duplicate_code_in_file(world):
    row = _export_rows([world.deputy_wz])[0]
    job = _import(world, [row, deputy("中间"), row])
    assert job.errors == [{"row": 4, "column": "编号", "message": "编号 DWZ001 在文件中重复出现（第 2 行也有）。"}]


def test_masked_phone_that_does_not_match_the_record(world):
    row = _export_rows([world.deputy_wz])[0]
    row[DEPUTY_COLUMNS.index("手机号码")] = "139****0000"
    job = _import(world, [row])
    assert errors_of(job) == {(2, "手机号码")}


def test_all_or_nothing(world):
    rows = [deputy(f"代表{i:02d}") for i in range(50)]
    rows.insert(25, deputy("坏行", level="省级"))
    rows.append(_export_rows([world.deputy_wz])[0][:1] + ["改名的吴测试"] + _export_rows([world.deputy_wz])[0][2:])
    count = Deputy.objects.count()
    job = _import(world, rows)
    assert job.status == ImportStatus.FAILED
    assert errors_of(job) == {(27, "代表级别")}
    assert (job.created_count, job.updated_count) == (0, 0)
    assert Deputy.objects.count() == count
    world.deputy_wz.refresh_from_db()
    assert world.deputy_wz.name == "吴测试"
    assert not AuditEvent.objects.filter(action="imports.deputies").exists()


def test_all_errors_are_collected_at_once(world):
    job = _import(world, [deputy("", level="省级"), deputy("好"), deputy("坏", term="x", region="320508002000")])
    assert errors_of(job) == {(2, "姓名"), (2, "代表级别"), (4, "届次"), (4, "选区代码")}
    assert [e["row"] for e in job.errors] == [2, 2, 4, 4]


def test_crash_while_writing_leaves_nothing_half_written(world, monkeypatch):
    from renda.imports import actions

    real_record = actions.record

    def broken_record(actor, action, *args, **kwargs):
        if action == "imports.deputies":  # the last write of the import transaction
            raise RuntimeError("audit database went away")
        return real_record(actor, action, *args, **kwargs)

    monkeypatch.setattr("renda.imports.actions.record", broken_record)
    rows = [
        deputy("崩溃前"),
        _export_rows([world.deputy_wz])[0][:1] + ["改名"] + _export_rows([world.deputy_wz])[0][2:],
    ]
    count = Deputy.objects.count()
    job = _import(world, rows)
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"row": "", "column": "", "message": "导入因意外错误而中止，未导入任何数据，请重试。"}]
    assert Deputy.objects.count() == count
    world.deputy_wz.refresh_from_db()
    assert world.deputy_wz.name == "吴测试"


def test_progress_is_reported_while_checking(world):
    seen = []
    rows = [(number, deputy(f"进度{number}")) for number in range(2, 252)]
    plan, errors = check_deputies(rows, scope_for(world.wuzhong_staff), seen.append)
    assert not errors and len(plan.create) == 250
    assert seen == [100, 200]


def test_three_thousand_rows_import_in_seconds(world, django_assert_max_num_queries):
    rows = [deputy(f"批量{i}", phone=f"139{i:08d}", region=world.mudu.code) for i in range(3000)]
    content = roster("deputies", rows)
    client = world.client(world.wuzhong_staff)
    start = time.perf_counter()
    # Lookups and writes are batched: the query count depends on batches, not rows.
    with django_assert_max_num_queries(120):
        job = import_file(client, "deputies", content)
    elapsed = time.perf_counter() - start
    print(f"\n3,000 deputy rows imported in {elapsed:.2f} s")
    assert job.status == ImportStatus.DONE, job.errors[:3]
    assert job.created_count == 3000
    assert Deputy.objects.filter(name__startswith="批量").count() == 3000
    assert elapsed < 30
    # And again as updates of the same 3,000 (the export round trip at size).
    exported = _export_rows(Deputy.objects.filter(name__startswith="批量").select_related("electoral_region"))
    for row in exported:
        row[DEPUTY_COLUMNS.index("职业")] = "工程师"
    start = time.perf_counter()
    job = import_file(client, "deputies", roster("deputies", exported))
    print(f"3,000 deputy rows updated in {time.perf_counter() - start:.2f} s")
    assert (job.status, job.created_count, job.updated_count) == (ImportStatus.DONE, 0, 3000)
    assert Deputy.objects.filter(occupation="工程师").count() == 3000
