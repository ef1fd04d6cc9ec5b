"""Files refused at upload: the form explains in Chinese, and nothing is stored or queued."""

import io
import zipfile

import pytest
from django.urls import reverse

from renda.imports.models import ImportJob, ImportStatus

from .helpers import deputy, import_file, roster, upload, xlsx_bytes

NOT_XLSX = "该文件不是 Excel 工作簿（.xlsx）"


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        "编号,姓名\n,张三\n".encode(),  # CSV renamed to .xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # the OLE2 header of an old .xls
        "只是一段文字".encode(),  # plain text
        _zip_without_workbook(),  # a zip, but not a workbook (e.g. a renamed .docx)
    ],
    ids=["csv", "xls", "text", "docx"],
)
def test_non_xlsx_is_refused(world, content):
    response = upload(world.client(world.wuzhong_staff), "deputies", content, name="名册.xlsx")
    assert response.status_code == 400
    assert NOT_XLSX in response.content.decode()
    assert not ImportJob.objects.exists()


def test_empty_file_is_refused(world):
    response = upload(world.client(world.wuzhong_staff), "deputies", b"")
    assert response.status_code == 400
    assert "所提交的是空文件。" in response.content.decode()  # Django's own check, in Chinese
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("rows", [[], [[None, None], ["", "  "]]], ids=["header-only", "blank-rows"])
def test_file_without_data_rows_is_refused(world, rows):
    content = roster("deputies", rows)
    response = upload(world.client(world.wuzhong_staff), "deputies", content)
    assert response.status_code == 400
    assert "文件在表头行之下没有数据行" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_big_file_is_refused(world, settings):
    content = roster("deputies", [deputy()])
    settings.IMPORT_MAX_BYTES = len(content) - 1
    response = upload(world.client(world.wuzhong_staff), "deputies", content)
    assert response.status_code == 400
    assert "文件大于" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_zip_bomb_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 50_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 2_000_000)  # expands 40 times the limit
    assert len(buffer.getvalue()) < settings.IMPORT_MAX_BYTES
    response = upload(world.client(world.wuzhong_staff), "deputies", buffer.getvalue())
    assert response.status_code == 400 and NOT_XLSX in response.content.decode()


def test_unknown_kind_is_refused(world):
    response = upload(world.client(world.wuzhong_staff), "regions", roster("deputies", [deputy()]))
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_upload_is_for_congress_staff_only(world):
    content = roster("deputies", [deputy()])
    for user in (world.outsider, world.keeper, world.deputy_user):
        assert upload(world.client(user), "deputies", content).status_code == 404
    response = upload(world.client(None), "deputies", content)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not ImportJob.objects.exists()


def test_wrong_header_fails_with_one_clear_error(world):
    job = import_file(world.client(world.wuzhong_staff), "deputies", xlsx_bytes([deputy()], header=["姓名", "级别"]))
    assert job.status == ImportStatus.FAILED
    assert len(job.errors) == 1
    assert job.errors[0]["row"] == 1
    assert job.errors[0]["message"].startswith("表头行与模板不一致")
    assert "编号、姓名、性别" in job.errors[0]["message"]


def test_station_roster_uploaded_as_deputies_fails_on_header(world):
    from .helpers import station

    job = import_file(world.client(world.wuzhong_staff), "deputies", roster("stations", [station()]))
    assert job.status == ImportStatus.FAILED
    assert "表头行与模板不一致" in job.errors[0]["message"]


def test_uploaded_file_is_deleted_after_the_import(world):
    job = import_file(world.client(world.wuzhong_staff), "deputies", roster("deputies", [deputy()]))
    assert job.status == ImportStatus.DONE
    assert job.file.name == ""
    assert job.original_name == "名册.xlsx"
