"""Building roster workbooks in memory and uploading them through the pages, as a member of staff would."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from renda.imports.models import ImportJob
from renda.people.rosters import DEPUTY_COLUMNS
from renda.stations.rosters import STATION_COLUMNS

COLUMNS = {"deputies": DEPUTY_COLUMNS, "stations": STATION_COLUMNS}


def xlsx_bytes(rows, header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster(kind: str, rows) -> bytes:
    return xlsx_bytes(rows, header=COLUMNS[kind])


def deputy(name="新代表", *, code="", gender="男", level="县区", term=17, region="320506108000", phone="", **extra):
    values = {
        "编号": code,
        "姓名": name,
        "性别": gender,
        "代表级别": level,
        "届次": term,
        "选区代码": region,
        "代表团或代表小组": "木渎代表小组",
        "职业": "教师",
        "工作单位及职务": "木渎中学 教师",
        "手机号码": phone,
        "简介": "",
    }
    values.update(extra)
    return [values[title] for title in DEPUTY_COLUMNS]


def station(name="新联络站", *, code="", kind="代表联络站", region="320506108000", deputies="", head="", **extra):
    values = {
        "编号": code,
        "名称": name,
        "类型": kind,
        "所在区域代码": region,
        "地址": "木渎镇中山路1号",
        "联系电话": "0512-66668888",
        "纬度": 31.26,
        "经度": 120.51,
        "开放时间": "周一至周五 9:00-17:00",
        "接待时间": "每周三上午",
        "一站一品主题": "古镇议事",
        "进站代表编号": deputies,
        "站长代表编号": head,
    }
    values.update(extra)
    return [values[title] for title in STATION_COLUMNS]


def upload(client, kind: str, content: bytes, name: str = "名册.xlsx"):
    """POST a file to the import page; the immediate task backend finishes the job inside the request."""
    return client.post(reverse("imports:list"), {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=False)


def import_file(client, kind: str, content: bytes) -> ImportJob:
    """Upload, follow the redirect to the job page, and return the job as stored."""
    response = upload(client, kind, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.get_status_display() in detail.content.decode()
    return job


def errors_of(job) -> set[tuple]:
    return {(error["row"], error["column"]) for error in job.errors}
