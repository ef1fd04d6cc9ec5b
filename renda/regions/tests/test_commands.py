"""import_regions and import_zones: a report in the site language, CommandError (exit code 1) on any problem."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.audit.models import AuditEvent
from renda.regions.importing import DATA_DIR
from renda.regions.models import Region, ZoneMembership


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_regions_then_zones_reports_counts_in_chinese():
    out, _ = run("import_regions", str(DATA_DIR / "jiangsu.csv"))
    assert "读取 1353 行" in out and "新建 1353 个地区" in out
    out, _ = run("import_zones", str(DATA_DIR / "suzhou-zones.csv"))
    assert "新建 3 个地区" in out and "新增 9 个开发区管辖关系" in out
    assert ZoneMembership.objects.count() == 9
    out, _ = run("import_regions", str(DATA_DIR / "jiangsu.csv"))
    assert "新建 0 个地区" in out and "已是最新" in out


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    out, _ = run("import_regions", str(DATA_DIR / "jiangsu.csv"), "--dry-run")
    assert "试运行" in out and "新建 1353 个地区" in out
    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()


def test_bad_file_lists_every_problem_and_fails(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,parent_code,kind\n3205,短码,,city\n320506120000,甲镇,329906000000,town\n", "utf-8")
    before = Region.objects.count()
    err = StringIO()
    with pytest.raises(CommandError, match="发现 2 个问题"):
        call_command("import_regions", str(bad), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("第 2 行，code 列：")
    assert lines[1].startswith("第 3 行，parent_code 列：")
    assert Region.objects.count() == before


def test_missing_file_and_zone_errors_fail(world, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_regions", str(tmp_path / "missing.csv"), stdout=StringIO(), stderr=StringIO())
    bad = tmp_path / "zones.csv"
    bad.write_text("zone_code,zone_name,parent_code,member_code,member_name,is_official\n", "utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_zones", str(bad), stdout=StringIO(), stderr=err)
    assert "没有数据行" in err.getvalue()
