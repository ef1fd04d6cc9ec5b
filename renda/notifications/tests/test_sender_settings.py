"""Sender classes come from the environment; a malformed value stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def load(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NOTIFICATION_", "DATABASE_URL"))}
    clean.update({"DEBUG": "1"}, **env)
    code = "import renda.settings as s; print(s.NOTIFICATION_SENDERS['sms'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_default_sms_sender_logs():
    result = load()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "renda.notifications.senders.LogSender"


def test_sender_from_the_environment():
    result = load(NOTIFICATION_SMS_SENDER="myorg.sms.GatewaySender")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "myorg.sms.GatewaySender"


def test_malformed_sender_stops_start_up():
    result = load(NOTIFICATION_SMS_SENDER="not a class path")
    assert result.returncode != 0
    assert "the sms sender must be a dotted class path" in result.stderr
