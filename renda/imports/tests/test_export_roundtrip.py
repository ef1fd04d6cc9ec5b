"""A district's own export re-imports cleanly, although it lists deputies that another region keeps."""

from io import BytesIO

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from renda.imports.models import ImportStatus
from renda.people.models import Deputy
from renda.people.rosters import DEPUTY_COLUMNS

from .helpers import import_file


def exported_rows(client):
    response = client.get(reverse("people:deputy_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_file(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_own_export_reimports_unchanged(world):
    client = world.client(world.wuzhong_staff)
    rows = exported_rows(client)
    assert rows[0] == DEPUTY_COLUMNS
    codes = {row[0] for row in rows[1:]}
    # 苏测试 is elected in 姑苏区 but serves at 木渎镇's station, so 吴中区's list (and export) shows them.
    assert world.deputy_city.public_code in codes
    before = {d.pk: (d.name, d.term, d.phone) for d in Deputy.objects.all()}
    job = import_file(client, "deputies", as_file(rows))
    assert job.status == ImportStatus.DONE, job.errors
    assert job.created_count == 0
    assert {d.pk: (d.name, d.term, d.phone) for d in Deputy.objects.all()} == before


def test_changing_a_deputy_kept_by_another_region_is_refused(world):
    client = world.client(world.wuzhong_staff)
    rows = exported_rows(client)
    index = next(i for i, row in enumerate(rows) if row[0] == world.deputy_city.public_code)
    rows[index][DEPUTY_COLUMNS.index("职业")] = "改过的职业"
    job = import_file(client, "deputies", as_file(rows))
    assert job.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(index + 1, "编号")]
    assert "姑苏区" in job.errors[0]["message"]
    world.deputy_city.refresh_from_db()
    assert world.deputy_city.occupation != "改过的职业"
