"""Background exports: a long export becomes a job, runs in the worker (immediately in tests), shows its progress,
and its file goes to its owner only; a failed or killed job says so and can be run again; old files expire."""

import datetime
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from renda.exports.actions import run_export_job
from renda.exports.models import ExportJob, ExportStatus
from renda.exports.registry import Built, register_builder
from renda.opinions.tests.staff_helpers import make_opinion

pytestmark = pytest.mark.django_db

SEEN = []  # (rows_done, rows_total) read back from the database while a job runs
BROKEN = {"on": False}


def counting(job, progress):
    """A test builder: three rows, checking after each that the job's row in the database moved."""
    for done in (1, 2, 3):
        progress(done, 3)
        SEEN.append(tuple(ExportJob.objects.values_list("rows_done", "rows_total").get(pk=job.pk)))
    if BROKEN["on"]:
        raise RuntimeError("disk full")
    return Built(b"a,b\n1,2\n", "counted.csv", "text/csv")


register_builder("test.counting", counting)


def start(world, user=None):
    from renda.exports.jobs import start_export

    job = start_export(user or world.wuzhong_staff, "test.counting", "计数", {}, "counted.csv")
    job.refresh_from_db()  # the immediate backend has run it
    return job


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_job_runs_and_its_progress_moves(world):
    SEEN.clear()
    job = start(world)
    job.refresh_from_db()
    assert SEEN == [(1, 3), (2, 3), (3, 3)]
    assert job.status == ExportStatus.DONE and job.attempts == 1 and job.percent == 100
    assert job.file.name.startswith("exports/") and "counted" not in job.file.name  # a random stored name


def test_the_file_is_its_owners_alone(world):
    job = start(world)
    owner = world.client(world.wuzhong_staff)
    page = owner.get(reverse("exports:detail", args=[job.pk]))
    assert page.status_code == 200 and reverse("exports:download", args=[job.pk]) in page.content.decode()
    download = owner.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200 and body(download) == b"a,b\n1,2\n"
    assert "counted.csv" in download["Content-Disposition"]
    for user in (world.gusu_staff, world.city_staff, world.keeper):  # even a user above the owner's region
        client = world.client(user)
        for name in ("exports:detail", "exports:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (user, name)
        assert client.post(reverse("exports:retry", args=[job.pk])).status_code == 404
        assert job.title not in client.get(reverse("exports:list")).content.decode()
    assert world.client(None).get(reverse("exports:download", args=[job.pk])).status_code == 302
    assert world.client(world.outsider).get(reverse("exports:list")).status_code == 404
    assert job.title in owner.get(reverse("exports:list")).content.decode()


def test_an_unfinished_job_polls_and_has_no_download(world):
    job = ExportJob.objects.create(
        kind="test.counting", title="计数", created_by=world.wuzhong_staff, download_name="x.csv", status="running"
    )
    ExportJob.objects.filter(pk=job.pk).update(rows_done=40, rows_total=160, heartbeat=timezone.now())
    client = world.client(world.wuzhong_staff)
    fragment = client.get(reverse("exports:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    assert 'value="40"' in fragment and "25%" in fragment
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_a_failed_job_says_so_and_can_be_retried(world):
    BROKEN["on"] = True
    try:
        job = start(world)
    finally:
        BROKEN["on"] = False
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    client = world.client(world.wuzhong_staff)
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "导出因意外错误而中止" in page and reverse("exports:retry", args=[job.pk]) in page
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    assert client.post(reverse("exports:retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.attempts == 2 and not job.error
    # A finished job is not run again.
    assert client.post(reverse("exports:retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_killed_job_is_shown_stopped_and_can_be_retried(world, settings):
    job = ExportJob.objects.create(
        kind="test.counting", title="计数", created_by=world.wuzhong_staff, download_name="x.csv", status="running"
    )
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_STALE_MINUTES + 1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat=long_ago, rows_done=5, rows_total=10)
    client = world.client(world.wuzhong_staff)
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "已停止" in page and "hx-trigger" not in page and "后台任务长时间没有回应" in page
    run_export_job(job.pk)  # a redelivered task does not touch a job that is not queued
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING
    client.post(reverse("exports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.file


def test_old_exports_expire_with_their_files(world, settings):
    job = start(world)
    kept = start(world)
    storage, name = job.file.storage, job.file.name
    ExportJob.objects.filter(pk=job.pk).update(
        created=timezone.now() - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS, minutes=1)
    )
    call_command("expire_exports")
    assert not ExportJob.objects.filter(pk=job.pk).exists() and not storage.exists(name)
    assert ExportJob.objects.filter(pk=kept.pk).exists() and storage.exists(kept.file.name)
    call_command("expire_exports")  # idempotent
    assert ExportJob.objects.filter(pk=kept.pk).exists()


# The two users of export jobs ------------------------------------------------------------------------------------


def test_a_long_inbox_export_becomes_a_job_and_a_short_one_does_not(world, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    made = [make_opinion(world, text=f"意见{i}") for i in range(3)]
    client = world.client(world.wuzhong_staff)
    short = client.get(reverse("opinions:export"), {"q": "意见1"})
    assert short["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get(reverse("opinions:export"), {"q": "意见"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[job.pk])
    assert job.kind == "opinions.inbox" and job.status == ExportStatus.DONE and job.rows_total == 3
    sheet = load_workbook(BytesIO(body(client.get(reverse("exports:download", args=[job.pk])))), read_only=True)
    codes = {row[0] for row in list(sheet.active.iter_rows(values_only=True))[1:]}
    assert codes == {opinion.tracking_code for opinion in made}
    assert world.client(world.gusu_staff).get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_the_job_reads_with_its_owners_scope(world, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    make_opinion(world, text="吴中的意见")
    make_opinion(world, text="姑苏的意见", station=world.canglang_home)
    world.client(world.gusu_staff).get(reverse("opinions:export"))
    job = ExportJob.objects.get()
    sheet = load_workbook(BytesIO(job.file.read()), read_only=True)
    texts = [row[6] for row in list(sheet.active.iter_rows(values_only=True))[1:]]
    assert texts == ["姑苏的意见"]


def test_a_long_poster_batch_becomes_a_job_with_page_footers(world, settings):
    settings.EXPORT_SYNC_MAX_PAGES = 1
    settings.ISSUING_OFFICE = ""
    client = world.client(world.wuzhong_staff)
    response = client.get(f"/staff/regions/{world.wuzhong.code}/posters.pdf")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.kind == "qrcodes.posters" and job.status == ExportStatus.DONE
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    pages = PdfReader(BytesIO(body(download))).pages
    assert len(pages) == job.rows_total > 1
    last = "".join(pages[-1].extract_text().replace("\x00", "").split())
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert f"第{len(pages)}页/共{len(pages)}页" in last and today in last and "人大常委会" in last


def test_a_long_deputy_roster_becomes_a_job_read_with_the_owners_scope(world, settings):
    from renda.people.access import deputies_for

    settings.EXPORT_SYNC_MAX_ROWS = 1
    client = world.client(world.wuzhong_staff)
    response = client.get(reverse("people:deputy_export"))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.kind == "people.deputies" and job.status == ExportStatus.DONE
    sheet = load_workbook(BytesIO(body(client.get(reverse("exports:download", args=[job.pk])))), read_only=True)
    codes = {row[0] for row in list(sheet.active.iter_rows(values_only=True))[1:]}
    assert codes == set(deputies_for(world.wuzhong_staff).values_list("public_code", flat=True)) and len(codes) > 1
    assert world.client(world.city_staff).get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_my_exports_lists_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _i in range(25):
        ExportJob.objects.create(
            kind="test.counting", title="计数", created_by=world.wuzhong_staff, download_name="x.csv", status="done"
        )
    client = world.client(world.wuzhong_staff)
    client.get(reverse("exports:list"))  # warm the session and the user's scope
    with django_assert_max_num_queries(8):
        page = client.get(reverse("exports:list"))
    assert page.status_code == 200 and page.content.decode().count('data-status="done"') == 20
