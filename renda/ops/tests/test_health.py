"""/healthz, /readyz and /metrics through HTTP: who may ask, what each check says, and what the gauges count."""

import ipaddress
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from renda.notifications.models import Message, MessageStatus
from renda.opinions.workflow import State
from renda.ops import health
from renda.ops.metrics import METRIC_NAMES
from renda.workdays.models import CalendarOverride

ROOT = Path(__file__).resolve().parents[3]


def get(path, address="127.0.0.1", **headers):
    return Client(REMOTE_ADDR=address).get(path, **headers)


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_only_allowed_networks_see_the_endpoints(db, settings, path):
    assert get(path).status_code == 200
    assert get(path, "::1").status_code == 200
    for outside in ("10.1.2.3", "192.168.0.9", "2001:db8::1"):
        assert get(path, outside).status_code == 404
    settings.OPS_ALLOWED_NETWORKS = (ipaddress.ip_network("10.1.0.0/16"),)
    assert get(path, "10.1.2.3").status_code == 200
    assert get(path, "10.2.0.1").status_code == 404
    assert get(path, "127.0.0.1").status_code == 404


def test_healthz_needs_no_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_every_check(db, time_machine):
    time_machine.move_to("2026-06-01 10:00 +0800")
    response = get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "tasks": "ok", "outbox": "ok"},
        "warnings": [],
    }


def _pending(count, age_minutes, channel="sms"):
    for number in range(count):
        message = Message.objects.create(
            channel=channel,
            template="t",
            context={},
            dedupe_key=f"{channel}-{age_minutes}-{number}",
            phone="13912345678",
        )
        Message.objects.filter(pk=message.pk).update(created=timezone.now() - timedelta(minutes=age_minutes))


def test_readyz_fails_on_an_old_outbox_backlog(db, settings):
    settings.READY_OUTBOX_MAX_STALE = 2
    settings.READY_OUTBOX_STALE_MINUTES = 15
    _pending(5, age_minutes=1)  # recent: not a backlog yet
    _pending(2, age_minutes=20)
    assert get("/readyz").status_code == 200
    _pending(1, age_minutes=30, channel="wechat")
    response = get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "fail"
    assert body["checks"]["outbox"] == "3 messages pending over 15 minutes"
    assert body["checks"]["database"] == "ok"
    assert "13912345678" not in response.content.decode()


def _task(minutes_ago, status="READY", queue="default", run_after=None):
    from django_tasks_db.models import get_date_max

    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="renda.notifications.tasks.route_task",
        queue_name=queue,
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_readyz_fails_on_an_old_task_queue(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.READY_TASK_MAX_STALE = 1
    settings.READY_TASK_STALE_MINUTES = 10
    _task(30)
    _task(1)
    _task(30, status="SUCCESSFUL")
    _task(0, run_after=timezone.now() + timedelta(hours=1))  # scheduled for later: not waiting yet
    assert get("/readyz").status_code == 200
    _task(0, run_after=timezone.now() - timedelta(minutes=20))  # due 20 minutes ago
    body = get("/readyz").json()
    assert body["checks"]["tasks"] == "2 tasks waiting over 10 minutes" and body["status"] == "fail"


def test_readyz_fails_when_migrations_are_missing(db, monkeypatch):
    monkeypatch.setitem(health._migrated, "all", False)
    monkeypatch.setattr(health, "unapplied_migrations", lambda: ["opinions.9999_future"])
    response = get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["migrations"] == "1 migrations not applied"


def test_readyz_fails_when_the_cache_loses_values(db, monkeypatch):
    from django.core.cache.backends.dummy import DummyCache

    monkeypatch.setattr(health, "cache", DummyCache("dummy", {}))  # a cache that keeps nothing, as a dead one
    response = get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["cache"] == "cache does not keep values"


def test_readyz_warns_about_next_years_holidays_without_failing(db, time_machine):
    time_machine.move_to("2026-12-06 10:00 +0800")  # chinese-calendar 1.11 knows 2026, not 2027
    body = get("/readyz").json()
    assert body["status"] == "ok"
    assert body["warnings"] == ["no holiday data for 2027: enter CalendarOverride rows or upgrade chinese-calendar"]
    CalendarOverride.objects.create(date="2027-01-01", is_workday=False, note="元旦")
    assert get("/readyz").json()["warnings"] == []


def test_metrics_export_requests_and_platform_gauges(world, settings, time_machine):
    time_machine.move_to("2026-06-01 10:00 +0800", tick=True)
    from renda.opinions.tests.public_helpers import submit

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _pending(3, age_minutes=5)
    Message.objects.create(channel="wechat", template="t", context={}, dedupe_key="f1", status=MessageStatus.FAILED)
    _task(2, queue="imports")
    first, second = submit(world), submit(world)
    from renda.opinions.models import Opinion

    Opinion.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(days=1))
    Opinion.objects.filter(pk=second.pk).update(status=State.CLOSED, due_at=timezone.now() - timedelta(days=1))

    get("/healthz")
    text = get("/metrics").content.decode()
    assert 'renda_outbox_pending{channel="sms"} 3.0' in text
    assert 'renda_outbox_failed{channel="wechat"} 1.0' in text
    assert 'renda_task_queue_depth{queue="imports"} 1.0' in text
    assert "renda_opinions_overdue 1.0" in text and "renda_opinions_open 1.0" in text
    assert "renda_holiday_data_missing 0.0" in text and "renda_collector_up 1.0" in text
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert "django_db_execute_total" in text
    assert "13912345678" not in text


def test_metrics_of_the_gauges_cost_a_fixed_number_of_queries(world, settings, django_assert_max_num_queries):
    from renda.opinions.tests.public_helpers import submit

    for _ in range(3):
        submit(world)
    _pending(4, age_minutes=5)
    with django_assert_max_num_queries(12):
        assert get("/metrics").status_code == 200


def _queried_metrics(dashboard) -> set[str]:
    import re

    names = set()
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            names.update(re.findall(r"\b((?:renda|django)_[a-z0-9_]+)", target["expr"]))
    return names


def test_grafana_dashboard_queries_only_exported_metrics(db):
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "renda.json").read_text(encoding="utf-8"))
    queried = _queried_metrics(dashboard)
    assert {"renda_outbox_pending", "renda_task_queue_depth", "renda_opinions_overdue"} <= queried
    get("/healthz")  # so the request metrics have samples
    exported = get("/metrics").content.decode()

    # A labelled metric with no sample yet still has its TYPE line (counters without "_total", histograms without
    # "_bucket"): exported all the same.
    def exports(name):
        base = name.removesuffix("_total").removesuffix("_bucket")
        return any(line in exported for line in (f"\n{name}", f"# TYPE {name} ", f"# TYPE {base} "))

    missing = {name for name in queried if not exports(name)}
    assert not missing, f"the dashboard queries metrics /metrics does not export: {sorted(missing)}"
    assert set(METRIC_NAMES) >= {name for name in queried if name.startswith("renda_")}


def test_metrics_in_multiprocess_mode_keep_the_platform_gauges(db, monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # several gunicorn workers share this directory
    _pending(2, age_minutes=1)
    text = get("/metrics").content.decode()
    assert 'renda_outbox_pending{channel="sms"} 2.0' in text and "renda_collector_up 1.0" in text
