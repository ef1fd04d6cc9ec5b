"""`manage.py check_deployment`: exit status 1 on errors, warnings listed, each finding by its stable id."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renda.accounts.models import Grant, Role, User
from renda.ops import health
from renda.workdays.models import CalendarOverride

SANE = {
    "DEBUG": False,
    "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN",
    "ALLOWED_HOSTS": ["renda.example.gov.cn"],
    "PUBLIC_BASE_URL": "https://renda.example.gov.cn",
    "SESSION_COOKIE_SECURE": True,
}


@pytest.fixture
def sane(settings, time_machine):
    for name, value in SANE.items():
        setattr(settings, name, value)
    time_machine.move_to("2026-06-01 10:00 +0800")
    return settings


def run():
    """(ready, ids, output): ready is False when the command failed."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_deployment", stdout=out, stderr=err)
        ready = True
    except CommandError as exc:
        err.write(str(exc))
        ready = False
    output = out.getvalue() + err.getvalue()
    ids = {word for word in output.split() if word.startswith("ops.")}
    return ready, ids, output


def test_a_sane_deployment_is_ready(db, sane):
    ready, ids, output = run()
    assert ready and ids == set() and "ready: 0 errors, 0 warnings" in output


@pytest.mark.parametrize(
    ("name", "value", "finding"),
    [
        ("DEBUG", True, "ops.E001"),
        ("SECRET_KEY", "short-key", "ops.E002"),
        ("SECRET_KEY", "insecure-development-key-do-not-use-in-production-xxxxxxxx", "ops.E002"),
        ("SECRET_KEY", "a" * 60, "ops.E002"),
        ("ALLOWED_HOSTS", ["*"], "ops.E003"),
        ("ALLOWED_HOSTS", [], "ops.E003"),
        ("PUBLIC_BASE_URL", "http://renda.example.gov.cn", "ops.E004"),
        ("FIELD_ENCRYPTION_KEYS", [], "ops.E005"),
    ],
)
def test_unsafe_settings_are_errors(db, sane, name, value, finding):
    setattr(sane, name, value)
    ready, ids, output = run()
    assert not ready and ids == {finding} and f"ERROR {finding} " in output and "not ready: 1 errors" in output


def test_insecure_cookies_and_open_metrics_are_warnings(db, sane):
    import ipaddress

    sane.SESSION_COOKIE_SECURE = False
    sane.OPS_ALLOWED_NETWORKS = (ipaddress.ip_network("0.0.0.0/0"),)
    ready, ids, output = run()
    assert ready and ids == {"ops.W001", "ops.W002"} and "ready: 0 errors, 2 warnings" in output


def test_unapplied_migrations_are_an_error(db, sane, monkeypatch):
    monkeypatch.setattr(health, "unapplied_migrations", lambda: ["opinions.0099_future", "ops.0001_x"])
    ready, ids, output = run()
    assert not ready and ids == {"ops.E007"} and "opinions.0099_future" in output


def test_the_database_cache_needs_its_table(db, sane):
    sane.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "renda_cache"}}
    ready, ids, output = run()
    assert not ready and ids == {"ops.E008"} and "createcachetable" in output
    call_command("createcachetable", verbosity=0)
    assert run()[:2] == (True, set())


def test_holidays_of_this_and_next_year(db, sane, time_machine):
    time_machine.move_to("2026-12-06 10:00 +0800")
    ready, ids, _output = run()
    assert ready and ids == {"ops.W003"}  # 2027 unknown, reminded from December 1
    time_machine.move_to("2027-03-01 10:00 +0800")
    ready, ids, _output = run()
    assert not ready and ids == {"ops.E009"}  # in 2027 itself, deadlines are counted wrongly now
    CalendarOverride.objects.create(date="2027-10-01", is_workday=False, note="国庆节")
    assert run()[:2] == (True, set())


def test_superusers_once_the_three_administrators_exist(world, sane):
    root = User.objects.create_superuser("root", password="Very-long-password-1")
    ready, ids, _output = run()
    assert ready and ids == {"ops.W005"}  # the world has a system admin only: the superuser is still needed
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        user = User.objects.create_user(f"admin-{role}", password="Very-long-password-1")
        Grant.objects.create(user=user, role=role, region=world.suzhou)
    assert run()[1] == {"ops.W004"}
    call_command("disable_superusers", stdout=io.StringIO())
    root.refresh_from_db()
    assert not root.is_active and run()[:2] == (True, set())


def test_findings_speak_the_sites_language(db, sane):
    sane.DEBUG = True
    sane.PUBLIC_BASE_URL = "http://renda.example.gov.cn"
    _ready, _ids, output = run()
    assert "ERROR ops.E001 DEBUG 已开启：生产环境中必须关闭。" in output
    assert (
        "ERROR ops.E004 PUBLIC_BASE_URL 必须以 https:// 开头" in output and "not ready: 2 errors, 0 warnings" in output
    )
