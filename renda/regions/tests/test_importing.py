"""The division and zone importers: the shipped files, idempotence, moves, and every kind of bad input."""

import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from renda.audit.models import AuditEvent
from renda.regions.importing import DATA_DIR, import_divisions, import_zones, load_shipped_regions
from renda.regions.models import COUNTY_KINDS, TOWN_KINDS, Region, RegionKind, ZoneMembership, path_range_q

JIANGSU = DATA_DIR / "jiangsu.csv"
ZONES = DATA_DIR / "suzhou-zones.csv"
HEADER = "code,name,parent_code,kind\n"
ZONE_HEADER = "zone_code,zone_name,parent_code,member_code,member_name,is_official\n"


def upload(text: str | bytes, name="list.csv"):
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


def snapshot():
    """Everything an import could change, to show that a refused one changed nothing."""
    regions = list(Region.objects.order_by("code").values_list("code", "name", "kind", "parent_id", "path", "depth"))
    members = list(ZoneMembership.objects.order_by("id").values_list("zone_id", "member_id"))
    return regions, members, AuditEvent.objects.count()


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_the_whole_jiangsu_file_imports_quickly_with_consistent_paths():
    started = time.perf_counter()
    result = import_divisions(JIANGSU)
    elapsed = time.perf_counter() - started

    assert result.ok, result.problems
    assert (result.rows, result.created, result.updated) == (1353, 1353, 0)
    assert elapsed < 2.0
    assert Region.objects.count() == 1353
    for region in Region.objects.select_related("parent"):
        assert region.path == (region.parent.path if region.parent else "") + region.code
        assert region.depth == len(region.path) // 12 - 1
    expected = {row["code"]: (row["name"], row["parent_code"] or None, row["kind"]) for row in csv_rows(JIANGSU)}
    imported = {
        r.code: (r.name, r.parent.code if r.parent else None, r.kind) for r in Region.objects.select_related("parent")
    }
    assert imported == expected
    audit = AuditEvent.objects.get()
    assert audit.action == "regions.import_divisions"
    assert audit.changes["created"] == 1353


@pytest.mark.django_db
def test_suzhou_has_nine_legal_districts_a_hundred_towns_and_three_zones():
    divisions, zones = load_shipped_regions()
    assert divisions.created == 1353 and zones.created == 3 and zones.members_added == 9

    suzhou = Region.objects.get(code="320500000000")
    legal = suzhou.children.exclude(kind=RegionKind.ZONE)
    assert legal.count() == 9
    assert set(legal.values_list("kind", flat=True)) <= COUNTY_KINDS
    assert sorted(suzhou.children.filter(kind=RegionKind.ZONE).values_list("code", "is_official")) == [
        ("320571000000", True),
        ("320590000000", False),
        ("320591000000", False),
    ]
    assert Region.objects.filter(path_range_q(suzhou.path), kind__in=TOWN_KINDS).count() == 100
    resort = Region.objects.get(code="320590000000")
    assert sorted(resort.zone_members.values_list("name", flat=True)) == sorted(
        ["金庭镇", "东山镇", "光福镇", "香山街道"]
    )
    park = Region.objects.get(code="320571000000")
    assert park.zone_members.count() == 5
    assert not Region.objects.get(code="320591000000").zone_members.exists()
    # A managed town keeps its legal parent.
    assert Region.objects.get(code="320506114000").parent.name == "吴中区"


@pytest.mark.django_db
def test_reimport_changes_nothing_and_writes_no_audit_record():
    load_shipped_regions()
    before = snapshot()
    started = time.perf_counter()
    divisions, zones = load_shipped_regions()
    assert time.perf_counter() - started < 2.0
    assert (divisions.created, divisions.updated, divisions.moved) == (0, 0, 0)
    assert (zones.created, zones.updated, zones.members_added) == (0, 0, 0)
    assert snapshot() == before


@pytest.mark.django_db
def test_rows_may_come_in_any_order():
    lines = JIANGSU.read_text(encoding="utf-8").splitlines()
    reversed_file = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    result = import_divisions(upload(reversed_file))
    assert result.ok, result.problems[:3]
    parents = {row["code"]: row["parent_code"] for row in csv_rows(JIANGSU)}

    def expected_path(code):
        return (expected_path(parents[code]) if parents[code] else "") + code

    assert {r.code: r.path for r in Region.objects.all()} == {code: expected_path(code) for code in parents}


@pytest.mark.django_db
def test_dry_run_counts_but_writes_nothing(world):
    before = snapshot()
    result = import_divisions(JIANGSU, dry_run=True)
    assert result.ok and result.dry_run
    assert result.created == 1353 - 11  # the world holds 11 of the file's regions already
    assert snapshot() == before


def test_existing_regions_are_updated_and_their_subtrees_move(world):
    """吴中区 placed directly under the province (allowed: its code starts with 32): every path below it follows."""
    result = import_divisions(upload(HEADER + "320506000000,吴中区（新）,320000000000,district\n"))
    assert result.ok, result.problems
    assert (result.created, result.updated) == (0, 1)
    assert result.moved == 4  # 唯亭街道, 木渎镇, 金庭镇 and the demo village
    world.wuzhong.refresh_from_db()
    assert (world.wuzhong.name, world.wuzhong.parent_id, world.wuzhong.depth) == ("吴中区（新）", world.jiangsu.pk, 1)
    village = Region.objects.get(pk=world.mudu_village.pk)
    assert village.path == "320000000000320506000000320506108000320506108201"
    assert village.depth == 3
    subtree = set(Region.objects.filter(world.wuzhong.subtree_q()).values_list("code", flat=True))
    assert subtree == {"320506000000", "320506009000", "320506108000", "320506114000", "320506108201"}
    assert AuditEvent.objects.filter(action="regions.import_divisions").get().changes["moved"] == 4


def test_new_children_of_existing_regions_are_created_under_them(world):
    text = HEADER + "320506108202,木渎镇新村,320506108000,village\n320506120000,新镇,320506000000,town\n"
    result = import_divisions(upload(text))
    assert result.ok, result.problems
    village = Region.objects.get(code="320506108202")
    assert village.parent == world.mudu
    assert village.path == world.mudu.path + "320506108202"


@pytest.mark.parametrize(
    ("content", "line", "column", "fragment"),
    [
        (HEADER + "32050,短码,320000000000,city\n", 2, "code", "exactly 12 digits"),
        (HEADER + "3205a6000000,字母,320500000000,district\n", 2, "code", "exactly 12 digits"),
        (
            HEADER + "320506120000,甲镇,320506000000,town\n320506120000,乙镇,320506000000,town\n",
            3,
            "code",
            "appears already on line",
        ),
        (HEADER + "320506120000,,320506000000,town\n", 2, "name", "required"),
        (HEADER + ",无码,320506000000,town\n", 2, "code", "required"),
        (HEADER + "320506120000,甲镇,320506000000,hamlet\n", 2, "kind", "Unknown kind"),
        (
            HEADER + "320506120000,甲镇,329906000000,town\n",
            2,
            "parent_code",
            "neither in this file nor in the database",
        ),
        (HEADER + "320506120000,甲镇,3205060000,town\n", 2, "parent_code", "exactly 12 digits"),
        (HEADER + "320599120000,甲镇,320500000000,town\n", 2, "kind", "cannot be placed under a city"),
        (HEADER + "320599000000,某区,,district\n", 2, "kind", "needs a parent"),
        (HEADER + "320506120000,甲镇,320506120000,town\n", 2, "parent_code", "own parent"),
        (HEADER + "320507120000,甲镇,320506000000,town\n", 2, "code", "must start with 320506"),
        (
            HEADER + "320506000000,吴中区,320400000000,district\n320400000000,常州市,320000000000,city\n",
            2,
            "code",
            "start with 3204",
        ),
        (HEADER + "320506120001,甲镇,320506000000,town\n", 2, "code", "shape of a town"),
        (HEADER + "320506120000,甲镇,320506000000\n", 2, "", "Expected 4 cells"),
        ("code,name,parent,kind\n320506120000,甲镇,320506000000,town\n", 1, "", "header"),
        (HEADER, 0, "", "no data rows"),
        ("", 0, "", "empty"),
        ("\n \n", 0, "", "empty"),
        ((HEADER + "320506120000,甲镇,320506000000,town\n").encode("gbk"), 2, "", "UTF-8"),
    ],
)
def test_bad_division_files_change_nothing_and_say_where(world, content, line, column, fragment):
    good_row = "320506121000,好镇,320506000000,town\n"  # would be created if the import were not all-or-nothing
    if isinstance(content, str) and content.startswith(HEADER) and content != HEADER:
        content = HEADER + good_row + content.removeprefix(HEADER)
        line = line + 1 if line >= 2 else line
    before = snapshot()
    with translation.override("en"):
        result = import_divisions(upload(content))
        messages = [(p.line, p.column, p.message) for p in result.problems]
    assert not result.ok
    assert any(
        p_line == line and p_column == column and fragment in message for p_line, p_column, message in messages
    ), messages
    assert snapshot() == before
    assert not Region.objects.filter(code="320506121000").exists()


def test_an_excel_file_is_refused_as_not_csv(world):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    before = snapshot()
    with translation.override("en"):
        result = import_divisions(upload(buffer.getvalue(), "regions.xlsx"))
    assert [p.message for p in result.problems] == ["This is not a CSV text file (it contains binary data)."]
    assert snapshot() == before


def test_every_problem_is_reported_at_once_in_chinese(world):
    text = (
        HEADER
        + "32050,短码,320000000000,city\n320506120000,甲镇,329906000000,town\n320506122000,乙镇,320506000000,hamlet\n"
    )
    with translation.override("zh-hans"):
        result = import_divisions(upload(text))
        report = [str(problem) for problem in result.problems]
    assert [(p.line, p.column) for p in result.problems] == [(2, "code"), (3, "parent_code"), (4, "kind")]
    assert report[0].startswith("第 2 行")
    assert "12 位数字" in report[0]


def test_changing_a_kind_must_still_suit_the_children_left_in_the_database(world):
    """木渎镇 as a zone would be a valid row, but its demo village (not in the file) cannot sit under a zone."""
    before = snapshot()
    with translation.override("en"):
        result = import_divisions(upload(HEADER + "320506108000,木渎镇,320506000000,zone\n"))
    assert [(p.line, p.column) for p in result.problems] == [(2, "kind")]
    assert "木渎镇示范村 (320506108201)" in result.problems[0].message
    assert "cannot be placed under a development zone" in result.problems[0].message
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------------------------
# Zones


def test_zones_import_updates_the_world_and_keeps_staff_made_members(world):
    import_divisions(JIANGSU)
    extra = Region.objects.get(code="320505002000")  # 狮山街道, added by staff to the park
    ZoneMembership.objects.create(zone=world.park, member=extra)
    result = import_zones(ZONES)
    assert result.ok, result.problems
    assert result.created == 1  # 吴中经济技术开发区; the park and the resort exist in the world
    assert world.park.zone_members.filter(pk=extra.pk).exists()
    assert world.park.zone_members.count() == 6
    again = import_zones(ZONES)
    assert (again.created, again.updated, again.members_added) == (0, 0, 0)


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("320506000000,吴中区,320500000000,,,1", "zone_code", "not a zone"),
        ("320593000000,新区,320599000000,,,0", "parent_code", "import the division list first"),
        ("320593000000,新区,320505002000,,,0", "parent_code", "cannot be placed under a street"),
        ("320592000000,新区,320500000000,320506000000,吴中区,0", "member_code", "only towns, streets and townships"),
        ("320592000000,新区,320500000000,320506114000,金庭,0", "member_name", "is 金庭镇 in the database"),
        ("320592000000,新区,320500000000,320506199000,,0", "member_code", "not in the database"),
        ("320592000000,新区,320500000000,,木渎镇,0", "member_code", "needs the member's code"),
        ("320592000000,新区,320500000000,,,maybe", "is_official", "Write 1"),
        ("32059,新区,320500000000,,,0", "zone_code", "12 digits"),
        ("320592000000,,320500000000,,,0", "zone_name", "required"),
    ],
)
def test_bad_zone_rows_change_nothing(world, row, column, fragment):
    content = ZONE_HEADER + "320592000000,新区,320500000000,320506108000,木渎镇,0\n" + row + "\n"
    before = snapshot()
    with translation.override("en"):
        result = import_zones(upload(content))
        messages = [(p.line, p.column, p.message) for p in result.problems]
    assert any(p_line == 3 and p_column == column and fragment in message for p_line, p_column, message in messages), (
        messages
    )
    assert snapshot() == before


def test_zone_rows_must_agree_and_not_repeat(world):
    content = (
        ZONE_HEADER
        + "320592000000,新区,320500000000,320506108000,木渎镇,0\n"
        + "320592000000,另一名,320500000000,320506108000,木渎镇,0\n"
    )
    with translation.override("en"):
        result = import_zones(upload(content))
    assert [(p.line, p.column) for p in result.problems] == [(3, "zone_name"), (3, "member_code")]
    assert "line 2" in result.problems[0].message
    assert not Region.objects.filter(code="320592000000").exists()
