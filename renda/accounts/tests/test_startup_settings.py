"""Start-up refuses security settings that would leave production open: the settings module is started in a fresh
process with the environment under test, as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = Fernet.generate_key().decode()


def start(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS")
    }
    clean.update({"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "renda.example.gov.cn"})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import renda.settings as s; print(len(s.FIELD_ENCRYPTION_KEYS), s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FIELD_ENCRYPTION_KEYS": "not-a-key"}, "FIELD_ENCRYPTION_KEYS: key 1 is not a Fernet key"),
        # A second, truncated key (a copy-paste accident during rotation) is caught too.
        ({"FIELD_ENCRYPTION_KEYS": f"{GOOD_KEY},{GOOD_KEY[:-4]}"}, "FIELD_ENCRYPTION_KEYS: key 2 is not a Fernet key"),
        ({"FIELD_ENCRYPTION_KEYS": GOOD_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set when DEBUG is off"),
        ({"FIELD_ENCRYPTION_KEYS": GOOD_KEY, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must be set when DEBUG is off"),
    ],
)
def test_bad_security_settings_stop_start_up(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr
    # The key itself is never echoed.
    assert GOOD_KEY not in result.stderr


def test_good_production_settings_start():
    result = start(FIELD_ENCRYPTION_KEYS=f"{GOOD_KEY},{Fernet.generate_key().decode()}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 ['renda.example.gov.cn']"


def test_debug_needs_neither():
    result = start(DEBUG="1", ALLOWED_HOSTS="", FIELD_ENCRYPTION_KEYS="")
    assert result.returncode == 0, result.stderr
