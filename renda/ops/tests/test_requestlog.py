"""One JSON line per request, with the request id, the user id and timing, and never a person's data."""

import io
import json
import logging
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from renda.opinions.models import Opinion
from renda.opinions.tests.public_helpers import NAME, PHONE, TEXT, form_data
from renda.ops.requestlog import REQUEST_FIELDS, JsonFormatter, current_request_id


@pytest.fixture
def log_output():
    """Everything logged at INFO and above while the test runs, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    cache.clear()
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)
    cache.clear()


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def request_lines(stream):
    return [line for line in lines(stream) if line["logger"] == "renda.requests"]


def test_a_submission_logs_one_line_without_the_submitters_data(world, log_output):
    data = form_data(str(uuid.uuid4()), name=NAME, phone="139 1234 5678", consent="on", place="金山路口")
    response = world.client(None).post("/s/MUDU01/opinion/?source=poster&q=张三丰", data)
    assert response.status_code == 302 and Opinion.objects.get().submitter_phone == PHONE

    (line,) = request_lines(log_output)
    assert set(REQUEST_FIELDS) - {"user_id", "region"} <= set(line)
    assert line["method"] == "POST" and line["path"] == "/s/MUDU01/opinion/" and line["status"] == 302
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert "user_id" not in line and "region" not in line  # a constituent without an account
    assert response["X-Request-ID"] == line["request_id"] and len(line["request_id"]) == 32
    output = log_output.getvalue()
    for forbidden in (
        NAME,
        PHONE,
        "1234 5678",
        TEXT,
        TEXT[:6],
        "金山路口",
        "poster",
        Opinion.objects.get().tracking_code,
    ):
        assert forbidden not in output
    assert all(json.loads(raw) for raw in output.splitlines())  # every line is JSON, nothing else


def test_a_staff_request_logs_the_user_id_and_region(world, log_output):
    client = world.client(world.wuzhong_staff)
    world.client(None).post("/s/MUDU01/opinion/", form_data(str(uuid.uuid4()), name=NAME, phone=PHONE, consent="on"))
    opinion = Opinion.objects.get()
    log_output.truncate(0)
    log_output.seek(0)

    response = client.get(f"/staff/opinions/{opinion.pk}/", HTTP_X_REQUEST_ID="lb-7f3a.19:2")
    assert response.status_code == 200
    (line,) = request_lines(log_output)
    assert line["request_id"] == "lb-7f3a.19:2" == response["X-Request-ID"]
    assert line["user_id"] == world.wuzhong_staff.pk
    assert line["region"] == world.wuzhong.path[-12:]
    assert line["path"] == f"/staff/opinions/{opinion.pk}/" and line["status"] == 200
    output = log_output.getvalue()
    for forbidden in (NAME, PHONE, TEXT, world.wuzhong_staff.username, world.wuzhong_staff.get_full_name() or NAME):
        assert forbidden not in output


@pytest.mark.parametrize("supplied", ["", "x" * 65, "bad id", "a\nb", "<script>", "中文"])
def test_an_insane_request_id_is_replaced(db, log_output, supplied):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=supplied)
    (line,) = request_lines(log_output)
    assert line["request_id"] != supplied and len(line["request_id"]) == 32
    assert response["X-Request-ID"] == line["request_id"]


def test_other_lines_written_during_a_request_carry_its_id(db, log_output):
    assert current_request_id() is None
    Client().get("/s/NOPE99/", HTTP_X_REQUEST_ID="abc-123")  # Django logs "Not Found" with the request
    request, not_found = lines(log_output)
    assert not_found["logger"] == "django.request" and not_found["request_id"] == "abc-123"
    assert request["logger"] == "renda.requests" and request["status"] == 404
    logging.getLogger("renda.ops.tests").warning("after the request")
    last = lines(log_output)[-1]
    assert last["message"] == "after the request" and "request_id" not in last
    assert current_request_id() is None


def test_text_format_with_debug(db):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = "import renda.settings as s; print(s.LOG_FORMAT, s.LOGGING['handlers']['console']['formatter'])"
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["text", "text"], result.stderr
    env = {**env, "DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "x", "FIELD_ENCRYPTION_KEYS": ""}
    env["FIELD_ENCRYPTION_KEYS"] = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0="
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["json", "json"], result.stderr
    env["LOG_FORMAT"] = "xml"
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and 'LOG_FORMAT must be "json" or "text"' in result.stderr


def test_a_line_logged_inside_a_view_carries_the_request_id(db, log_output, monkeypatch):
    from renda.ops import metrics

    def broken(families, now):
        raise RuntimeError("database gone")

    monkeypatch.setattr(metrics, "_fill", broken)
    response = Client().get("/metrics", HTTP_X_REQUEST_ID="scrape-1")
    assert "renda_collector_up 0.0" in response.content.decode()
    error, request = lines(log_output)
    assert error["logger"] == "renda.ops.metrics" and error["level"] == "ERROR"
    assert error["request_id"] == "scrape-1" and "RuntimeError: database gone" in error["exception"]
    assert request["request_id"] == "scrape-1" and request["status"] == 200
