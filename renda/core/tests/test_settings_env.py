"""Settings come from the environment and refuse bad values loudly (healthchecks' envbool habit)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG = "postgres://u@127.0.0.1:5432/x"


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
        # The cluster's settings (docs/deploy.md, "A cluster on one machine").
        ({"DEBUG": "1", "DATABASE_REPLICA_URL": PG}, "DATABASE_REPLICA_URL needs DATABASE_URL to point to PostgreSQL"),
        ({"DEBUG": "1", "DATABASE_URL": PG, "DATABASE_REPLICA_URL": "mysql://u@h/db"}, "must point to PostgreSQL"),
        (
            {"DEBUG": "1", "DATABASE_URL": PG, "DATABASE_REPLICA_URL": "nonsense"},
            "DATABASE_REPLICA_URL is not a usable",
        ),
        ({"DEBUG": "1", "DB_PGBOUNCER": "1"}, "DB_PGBOUNCER needs DATABASE_URL to point to PostgreSQL"),
        ({"DEBUG": "1", "DB_PGBOUNCER": "sometimes"}, "DB_PGBOUNCER must be true or false"),
        ({"DEBUG": "1", "DB_REPLICA_PIN_SECONDS": "-1"}, "DB_REPLICA_PIN_SECONDS must be 0 or more"),
        ({"DEBUG": "1", "DB_REPLICA_VIEWS": "stats"}, 'DB_REPLICA_VIEWS items must be "namespace:name"'),
        ({"DEBUG": "1", "DB_REPLICA_MAX_LAG_SECONDS": "five"}, "DB_REPLICA_MAX_LAG_SECONDS must be a number"),
        ({"DEBUG": "1", "DB_REPLICA_MAX_LAG_SECONDS": "-1"}, "DB_REPLICA_MAX_LAG_SECONDS must be 0 or more"),
        ({"DEBUG": "1", "DB_REPLICA_MAX_LAG_SECONDS": "nan"}, "DB_REPLICA_MAX_LAG_SECONDS must be a finite number"),
        ({"DEBUG": "1", "DB_REPLICA_LAG_CHECK_SECONDS": "0"}, "DB_REPLICA_LAG_CHECK_SECONDS must be at least 0.1"),
        ({"DEBUG": "1", "DB_REPLICA_LAG_CHECK_SECONDS": "2s"}, "DB_REPLICA_LAG_CHECK_SECONDS must be a number"),
        ({"DEBUG": "1", "DB_CONNECT_TIMEOUT": "0"}, "DB_CONNECT_TIMEOUT must be at least 1 second"),
        ({"DEBUG": "1", "DB_PREPARE_THRESHOLD": "-1"}, "DB_PREPARE_THRESHOLD must be 0 or more"),
        ({"DEBUG": "1", "HOME_SUMMARY_ABOVE": "-1"}, "HOME_SUMMARY_ABOVE must be 0 or more"),
        ({"DEBUG": "1", "HOME_SUMMARY_ABOVE": "many"}, "HOME_SUMMARY_ABOVE must be an integer"),
        ({"DEBUG": "1", "HOME_SUMMARY_MAX_AGE_MINUTES": "0"}, "HOME_SUMMARY_MAX_AGE_MINUTES must be at least 1"),
        ({"DEBUG": "1", "SESSION_STORE": "file"}, 'SESSION_STORE must be "db", "cache" or "cached_db"'),
        ({"DEBUG": "1", "SESSION_STORE": "cache", "CACHE_URL": "db://t"}, "SESSION_STORE=cache needs CACHE_URL=redis"),
        (
            {"DEBUG": "1", "CACHE_URL": "redis://127.0.0.1:6379/0", "REDIS_TIMEOUT": "0"},
            "REDIS_TIMEOUT must be at least",
        ),
        ({"DEBUG": "1", "TRUSTED_PROXIES": "nginx"}, "TRUSTED_PROXIES must be a comma-separated list of CIDR networks"),
        ({"DEBUG": "1", "TASK_LOST_SECONDS": "-5"}, "TASK_LOST_SECONDS must be 0 or more"),
    ],
)
def test_bad_values_stop_start_up(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_cluster_is_configured_by_the_environment_alone():
    """PgBouncer, a replica with its router, Redis for the cache, the rate limits and the sessions (deploy/cluster)."""
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://u@127.0.0.1:6432/renda",
        "DATABASE_REPLICA_URL": "postgres://u@127.0.0.1:6432/renda_replica",
        "DB_PGBOUNCER": "true",
        "DB_CONN_MAX_AGE": "60",
        "CACHE_URL": "redis://127.0.0.1:6380/0",
        "SESSION_STORE": "cache",
        "DB_REPLICA_MAX_LAG_SECONDS": "2.5",
    }
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")} | env
    code = (
        "import json, renda.settings as s; d = s.DATABASES; print(json.dumps([d['default']['OPTIONS'], "
        "d['replica']['DISABLE_SERVER_SIDE_CURSORS'], d['replica']['TEST'], d['default']['CONN_HEALTH_CHECKS'], "
        "s.DATABASE_ROUTERS, s.SESSION_ENGINE, s.RATELIMIT_STORE, s.CACHES['default']['OPTIONS'], "
        "[s.DB_REPLICA_MAX_LAG_SECONDS, s.DB_REPLICA_LAG_CHECK_SECONDS]]))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    options, no_cursors, test, checks, routers, engine, store, redis, lag = json.loads(result.stdout)
    assert options == {"connect_timeout": 5, "prepare_threshold": None} and no_cursors is True
    assert test["MIRROR"] == "default" and checks is True
    assert routers == ["renda.core.dbrouter.ReplicaRouter"] and lag == [2.5, 2.0]  # DB_REPLICA_LAG_CHECK_SECONDS: 2
    assert engine == "renda.core.sessions" and store == "cache"
    assert redis == {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2}


def test_postgresql_connections_ask_for_no_jit_unless_told():
    """JIT compiling of expensive plans costs the app's short statements more than it saves (docs/performance.md):
    off on each connection by default; DB_JIT=true leaves PostgreSQL's own setting; behind PgBouncer the option
    cannot be passed (the database's ALTER DATABASE … SET jit = off does it)."""
    code = "import json, renda.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    seen = {}
    for name, extra in {"default": {}, "jit": {"DB_JIT": "true"}, "pgbouncer": {"DB_PGBOUNCER": "true"}}.items():
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "DB_JIT")}
        env |= {"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/renda", **extra}
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        seen[name] = json.loads(result.stdout).get("options")
    assert seen == {"default": "-c jit=off", "jit": None, "pgbouncer": None}
    assert "DB_JIT must be true or false" in load_settings(DEBUG="1", DB_JIT="maybe").stderr


def test_prepared_statements_are_allowed_except_behind_pgbouncer():
    """psycopg prepares the server-bound statements (core/dbcursor.py) after DB_PREPARE_THRESHOLD executions on a
    direct connection; PgBouncer in transaction mode (1.18, Debian 12) keeps no prepared statement: never there."""
    code = "import json, renda.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    seen = {}
    cases = {"default": {}, "zero": {"DB_PREPARE_THRESHOLD": "0"}, "pgbouncer": {"DB_PGBOUNCER": "true"}}
    for name, extra in cases.items():
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
        env |= {"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/renda", **extra}
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        seen[name] = json.loads(result.stdout)["prepare_threshold"]
    assert seen == {"default": 5, "zero": 0, "pgbouncer": None}
