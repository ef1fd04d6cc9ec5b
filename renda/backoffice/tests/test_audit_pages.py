"""The audit log page: audit administrators only (separation from system administrators), within their regions."""

import io

import pytest
from openpyxl import load_workbook

from renda.accounts.models import Grant, Role, User
from renda.audit.actions import record
from renda.audit.models import AuditEvent
from renda.testing import assert_statuses

pytestmark = pytest.mark.django_db

URL = "/staff/audit/"


def audit_admin(username, region):
    user = User.objects.create_user(username=username, password="Test-password-1", display_name=username)
    Grant.objects.create(user=user, role=Role.AUDIT_ADMIN, region=region)
    return user


@pytest.fixture
def auditors(world):
    world.wuzhong_auditor = audit_admin("wuzhong_auditor", world.wuzhong)
    world.gusu_auditor = audit_admin("gusu_auditor", world.gusu)
    world.city_auditor = audit_admin("city_auditor", world.jiangsu)
    return world


def test_page_grid(auditors):
    assert_statuses(
        auditors,
        URL,
        {
            "anonymous": 302,
            "outsider": 404,
            "wuzhong_staff": 404,
            "sysadmin": 404,  # separation: who administers does not read the log of what they did
            "wuzhong_auditor": 200,
            "gusu_auditor": 200,
        },
    )
    assert_statuses(auditors, URL + "export.xlsx", {"anonymous": 302, "outsider": 404, "sysadmin": 404})


def test_an_audit_admin_who_also_administers_reads_nothing(auditors):
    Grant.objects.create(user=auditors.wuzhong_auditor, role=Role.SYSTEM_ADMIN, region=auditors.wuzhong)
    assert auditors.client(auditors.wuzhong_auditor).get(URL).status_code == 404


def test_records_are_scoped_to_the_auditors_regions(auditors):
    w = auditors
    record(w.wuzhong_staff, "station.update", w.mudu_home, changes={"name": ["a", "b"]})
    record(w.gusu_staff, "station.update", w.canglang_home)
    record(w.sysadmin, "account.grant_add", w.outsider)  # no region: system-wide
    body = w.client(w.wuzhong_auditor).get(URL).content.decode()
    assert "wuzhong_staff" in body and "gusu_staff" not in body and "account.grant_add" not in body
    body = w.client(w.gusu_auditor).get(URL).content.decode()
    assert "gusu_staff" in body and "wuzhong_staff" not in body
    body = w.client(w.city_auditor).get(URL).content.decode()
    assert "wuzhong_staff" in body and "gusu_staff" in body and "account.grant_add" in body
    # Filters: a region code outside the reach finds nothing; the actor filter narrows.
    body = w.client(w.wuzhong_auditor).get(URL, {"region": w.gusu.code}).content.decode()
    assert "station.update" not in body
    body = w.client(w.city_auditor).get(URL, {"actor": "gusu_staff"}).content.decode()
    assert "gusu_staff" in body and "wuzhong_staff" not in body


def test_keyset_pages_and_flat_query_count(auditors, settings, django_assert_max_num_queries):
    """Newest first, `after` = the last id shown; the page costs the same number of queries with more rows."""
    settings.PAGE_SIZE = 5
    w = auditors
    client = w.client(w.city_auditor)
    for n in range(7):
        record(w.wuzhong_staff, f"test.page{n}", w.mudu_home)
    client.get(URL)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        response = client.get(URL)
    baseline = len(few.captured_queries)
    assert 0 < baseline <= 12, baseline
    assert response.status_code == 200
    after = response.context["next_after"]
    assert after is not None and len(response.context["events"]) == 5
    older = client.get(URL, {"after": after})
    assert all(e.pk < after for e in older.context["events"]) and older.context["next_after"] is None
    for n in range(30):
        record(w.wuzhong_staff, f"test.more{n}", w.mudu_home)
    with django_assert_max_num_queries(baseline):
        assert client.get(URL).status_code == 200


def test_excel_export_is_scoped_and_audited(auditors):
    w = auditors
    record(w.wuzhong_staff, "station.update", w.mudu_home)
    record(w.gusu_staff, "station.update", w.canglang_home)
    response = w.client(w.wuzhong_auditor).get(URL + "export.xlsx", {"action": "station."})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    actors = [row[2] for row in rows[1:]]
    assert actors == ["wuzhong_staff"]
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == w.wuzhong_auditor and export.changes == {"filters": {"action": "station."}}


def test_nav_link_only_for_audit_admins(auditors):
    w = auditors
    assert 'href="/staff/audit/"' in w.client(w.wuzhong_auditor).get(URL).content.decode()
    assert 'href="/staff/audit/"' not in w.client(w.sysadmin).get("/staff/stations/").content.decode()
    assert 'href="/staff/audit/"' not in w.client(w.wuzhong_staff).get("/staff/stations/").content.decode()


def test_failed_logins_show_the_attempted_username(auditors):
    """A failed sign-in has no actor: the page and the export name the account that was tried, as typed."""
    w = auditors
    from django.test import Client

    Client().post("/accounts/login/", {"username": "ｗｕｚｈｏｎｇ_staff", "password": "wrong"}, REMOTE_ADDR="10.3.0.1")
    client = w.client(w.city_auditor)
    response = client.get(URL, {"action": "login"})
    body = response.content.decode()
    assert "尝试登录的用户名" in body and "ｗｕｚｈｏｎｇ_staff" in body
    rows = list(load_workbook(io.BytesIO(client.get(URL + "export.xlsx").content)).active.iter_rows(values_only=True))
    column = rows[0].index("尝试登录的用户名")
    failed = [row for row in rows[1:] if row[4] == "login.failed"]
    assert [row[column] for row in failed] == ["ｗｕｚｈｏｎｇ_staff"]
    assert all(row[column] in ("", None) for row in rows[1:] if not str(row[4]).startswith("login"))
