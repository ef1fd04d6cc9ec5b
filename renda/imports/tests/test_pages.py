"""The import pages: who sees them, the blank templates, progress polling, a list whose cost does not grow."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from renda.imports.models import ImportJob, ImportStatus
from renda.people.rosters import DEPUTY_COLUMNS
from renda.stations.rosters import STATION_COLUMNS
from renda.testing import assert_statuses

from .helpers import deputy, import_file, roster

NOT_CONGRESS_STAFF = {"anonymous": 302, "outsider": 404, "keeper": 404, "unit_user": 404, "deputy_user": 404}


def _job(user, **extra) -> ImportJob:
    values = {"kind": "deputies", "file": "imports/x.xlsx", "original_name": "名册.xlsx", **extra}
    return ImportJob.objects.create(created_by=user, **values)


def test_list_grid(world):
    expected = {**NOT_CONGRESS_STAFF, "sysadmin": 404, "wuzhong_staff": 200, "gusu_staff": 200, "city_staff": 200}
    assert_statuses(world, reverse("imports:list"), expected)


def test_list_shows_only_own_jobs_and_both_upload_forms(world):
    _job(world.wuzhong_staff, original_name="吴中名册.xlsx")
    _job(world.gusu_staff, original_name="姑苏名册.xlsx")
    page = world.client(world.wuzhong_staff).get(reverse("imports:list")).content.decode()
    assert "吴中名册.xlsx" in page
    assert "姑苏名册.xlsx" not in page
    assert 'value="deputies"' in page and 'value="stations"' in page
    assert reverse("imports:template", args=["deputies"]) in page
    assert reverse("imports:template", args=["stations"]) in page
    assert "从 Excel 导入名册" in page  # zh-hans by default
    assert reverse("imports:list") in page  # the staff nav links here


def test_detail_is_only_for_the_creator(world):
    job = _job(world.wuzhong_staff, status=ImportStatus.DONE)
    expected = {**NOT_CONGRESS_STAFF, "gusu_staff": 404, "city_staff": 404, "park_staff": 404, "wuzhong_staff": 200}
    assert_statuses(world, reverse("imports:detail", args=[job.pk]), expected)
    assert_statuses(world, reverse("imports:errors", args=[job.pk]), expected)
    assert_statuses(world, reverse("imports:detail", args=[job.pk + 1000]), {"wuzhong_staff": 404})


def test_running_job_polls_and_finished_job_stops(world):
    job = _job(world.wuzhong_staff, status=ImportStatus.RUNNING, rows_total=300, rows_done=100)
    client = world.client(world.wuzhong_staff)
    url = reverse("imports:detail", args=[job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="job-progress"')
    assert "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress class="progress" max="300" value="100">' in fragment
    assert "已检查 100 / 300 行" in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and 'hx-trigger="every 1s"' in page

    job.status, job.rows_done, job.created_count = ImportStatus.DONE, 300, 300
    job.save()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert 'data-count="created">300<' in fragment


def test_failed_job_shows_error_table_and_report(world):
    errors = [{"row": 3, "column": "代表级别", "message": "“省级”不是有效值"}] * 250
    job = _job(world.wuzhong_staff, status=ImportStatus.FAILED, errors=errors)
    client = world.client(world.wuzhong_staff)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "<th>行</th><th>列</th><th>问题</th>" in page
    assert page.count("“省级”不是有效值") == 200
    assert "另有 50 个问题。" in page
    report = client.get(reverse("imports:errors", args=[job.pk]))
    sheet = load_workbook(BytesIO(report.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行", "列", "问题")
    assert len(rows) == 251 and rows[1] == (3, "代表级别", "“省级”不是有效值")


def test_template_download_grid_and_content(world):
    for kind, columns in (("deputies", DEPUTY_COLUMNS), ("stations", STATION_COLUMNS)):
        url = reverse("imports:template", args=[kind])
        assert_statuses(world, url, {**NOT_CONGRESS_STAFF, "gusu_staff": 200, "wuzhong_staff": 200})
        response = world.client(world.wuzhong_staff).get(url)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = load_workbook(BytesIO(response.content))
        assert workbook.sheetnames[1] == "说明"
        header = [cell.value for cell in workbook.worksheets[0][1]]
        assert header == columns
        assert workbook.worksheets[0].max_row == 1  # no sample row that could be imported by mistake
        notes = list(workbook["说明"].iter_rows(values_only=True))
        assert notes[0] == ("列", "是否必填", "填写说明")
        assert [row[0] for row in notes[1 : len(columns) + 1]] == columns
        assert all(row[2] for row in notes[1 : len(columns) + 1])
    notes = {row[0]: row for row in load_workbook(BytesIO(response.content))["说明"].iter_rows(values_only=True)}
    assert notes["类型"][1] == "是" and "代表之家、代表联络站、代表联系点" in notes["类型"][2]
    assert notes["地址"][1] == "否"
    assert_statuses(world, reverse("imports:template", args=["units"]), {"wuzhong_staff": 404})


def test_blank_template_imports_as_empty(world):
    """The template itself is a valid header: filled in, it imports."""
    client = world.client(world.wuzhong_staff)
    template = load_workbook(BytesIO(client.get(reverse("imports:template", args=["deputies"])).content))
    template.worksheets[0].append(deputy("模板代表"))
    template.active = 1  # saved while looking at the 说明 sheet: the roster is still read from the first sheet
    buffer = BytesIO()
    template.save(buffer)
    job = import_file(client, "deputies", buffer.getvalue())
    assert job.status == ImportStatus.DONE and job.created_count == 1


def test_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = world.client(world.wuzhong_staff)
    url = reverse("imports:list")
    for _ in range(3):
        _job(world.wuzhong_staff)
    with django_assert_max_num_queries(8) as few:
        assert client.get(url).status_code == 200
    for _ in range(30):
        _job(world.wuzhong_staff, errors=[{"row": 2, "column": "姓名", "message": "x"}])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_upload_of_a_real_file_lists_the_job(world):
    client = world.client(world.wuzhong_staff)
    job = import_file(client, "deputies", roster("deputies", [deputy("列表代表")]))
    page = client.get(reverse("imports:list")).content.decode()
    assert reverse("imports:detail", args=[job.pk]) in page
    assert "已导入" in page
