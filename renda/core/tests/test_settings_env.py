"""Settings come from the environment and refuse bad values loudly (healthchecks' envbool habit)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import renda.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_defaults_to_sqlite_in_debug():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django_prometheus.db.backends.sqlite3"


def test_postgres_url_selects_postgres():
    result = load_settings(DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django_prometheus.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "x", "FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS must be set"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must point to PostgreSQL or SQLite"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense"}, "DATABASE_URL is not a usable database URL"),
        ({"DEBUG": "1", "PUBLIC_BASE_URL": "example.org"}, "PUBLIC_BASE_URL must start with"),
        ({"DEBUG": "1", "PAGE_SIZE": "many"}, "PAGE_SIZE must be an integer"),
        ({"DEBUG": "1", "SQLITE_BUSY_TIMEOUT": "0"}, "SQLITE_BUSY_TIMEOUT must be at least 1 second"),
    ],
)
def test_bad_values_stop_start_up(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr
