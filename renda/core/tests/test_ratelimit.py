"""Rate limits count atomically across connections and processes, and every limit is a setting.

Each thread below has its own database connection (and its own cache client), as separate worker processes would;
together they must never let more than the limit through.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.core import ratelimit
from renda.core.models import RateCounter

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


def _retrying_locks(call):
    """SQLite's shared in-memory test database answers "table is locked" at once where a file database with a busy
    timeout (as configured in settings) would wait: try again, as the waiting would. PostgreSQL never does this."""
    for _attempt in range(500):
        try:
            return call()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.002)
    raise AssertionError("still locked")


def _hammer(limit: ratelimit.Limit, ident: str, workers: int, hits: int) -> list[bool]:
    """`workers` threads, each with its own connection, hit the limit `hits` times at once."""
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            for _ in range(hits):
                results.append(_retrying_locks(lambda: limit.hit(ident)))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def test_separate_connections_together_never_exceed_the_limit(transactional_db):
    limit = ratelimit.Limit("t-atomic", 25, 3600)
    results = _hammer(limit, "10.0.0.1", workers=4, hits=20)
    assert len(results) == 80 and results.count(True) == 25
    assert ratelimit.count("t-atomic:10.0.0.1", 3600) == 25  # refused hits were given back: the count is exact
    assert RateCounter.objects.count() == 1


def test_redis_store_counts_across_clients_too():
    """CACHE_URL=redis://… with RATELIMIT_STORE=cache: each thread gets its own django-redis client and pool."""
    prefix = f"renda-test-{uuid.uuid4().hex}"
    redis_cache = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": redis_cache}, RATELIMIT_STORE="cache"):
        try:
            limit = ratelimit.Limit("t-redis", 25, 3600)
            results = _hammer(limit, "10.0.0.2", workers=4, hits=20)
            assert results.count(True) == 25
            assert ratelimit.count("t-redis:10.0.0.2", 3600) == 25
            limit.undo("10.0.0.2")
            assert limit.hit("10.0.0.2") and not limit.hit("10.0.0.2")
        finally:
            caches["default"].clear()


PROCESS_SCRIPT = """
import sys, time
import django
django.setup()
from django.db import connection
from renda.core.models import RateCounter
from renda.core.ratelimit import Limit
if sys.argv[1] == "create":
    with connection.schema_editor() as editor:
        editor.create_model(RateCounter)
    sys.exit(0)
start, hits = float(sys.argv[2]), int(sys.argv[3])
time.sleep(max(0.0, start - time.time()))
limit = Limit("t-processes", 25, 3600)
print(sum(limit.hit("10.0.0.3") for _ in range(hits)))
"""


def _processes(env: dict, workers: int = 2, hits: int = 30) -> list[int]:
    """`workers` separate Python processes (each its own connection pool, as gunicorn workers) hit one limit."""
    full = (
        {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        | {
            "DJANGO_SETTINGS_MODULE": "renda.test_settings",
            "PYTHONPATH": str(ROOT),
        }
        | env
        | {"RENDA_TEST_KEEP_ENV": ",".join(env)}  # renda/test_settings.py drops the shell's settings otherwise
    )
    start = time.time() + 3  # all start together, after their imports
    procs = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", PROCESS_SCRIPT, "hit", str(start), str(hits)],
            cwd=ROOT,
            env=full,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), [err for _out, err in outputs]
    return [int(out) for out, _err in outputs]


def test_two_worker_processes_share_the_database_count(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "RATELIMIT_STORE": "database"}
    created = subprocess.run(
        [sys.executable, "-c", PROCESS_SCRIPT, "create"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        | {"DJANGO_SETTINGS_MODULE": "renda.test_settings", "PYTHONPATH": str(ROOT)}
        | env,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    passed = _processes(env)
    assert sum(passed) == 25, passed  # not 2 × 25, as with a per-process cache


def test_two_worker_processes_share_the_redis_count(tmp_path):
    prefix = f"renda-test-{uuid.uuid4().hex}"
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "RATELIMIT_STORE": "cache",
    }
    passed = _processes(env)
    assert sum(passed) == 25, passed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(1, 6), steps=st.lists(st.sampled_from(["hit", "undo"]), max_size=25))
def test_hits_and_undos_keep_the_count_exact(db, limit, steps):
    """Whatever the order of hits and give-backs, a hit passes exactly when the count is below the limit, and the
    count is never below zero nor above the limit."""
    rule = ratelimit.Limit(f"t-prop-{uuid.uuid4().hex}", limit, 3600)
    expected = 0
    for step in steps:
        if step == "hit":
            assert rule.hit("x") == (expected < limit)
            expected = min(expected + 1, limit)
        else:
            rule.undo("x")
            expected = max(expected - 1, 0)
        assert ratelimit.count(rule._key("x"), 3600) == expected


def test_expired_windows_are_purged(db, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    ratelimit.hit("a", 5, 60)
    now[0] += 120
    ratelimit.hit("a", 5, 60)
    assert RateCounter.objects.count() == 2
    assert ratelimit.purge() == 1 and RateCounter.objects.count() == 1


def _settings_value(expression: str, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LIMIT_", "CACHE_URL", "RATELIMIT_"))}
    clean.update({"DEBUG": "1"}, **env)
    return subprocess.run(
        [sys.executable, "-c", f"import renda.settings as s; print({expression})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_every_limit_is_read_from_the_environment():
    names = [
        "LIMIT_SUBMIT_PER_IP_HOUR",
        "LIMIT_SUBMIT_PER_DEVICE_HOUR",
        "LIMIT_TRACK_PER_IP_MINUTE",
        "LIMIT_OPEN311_KEY_HOUR",
        "LIMIT_API_TOKEN_MINUTE",
    ]
    env = {name: str(100 + i) for i, name in enumerate(names)}
    result = _settings_value("[" + ", ".join(f"s.{name}" for name in names) + "]", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[100, 101, 102, 103, 104]"


def test_the_store_follows_the_cache():
    assert _settings_value("s.RATELIMIT_STORE").stdout.strip() == "database"
    redis = _settings_value("s.RATELIMIT_STORE, s.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/1")
    assert redis.stdout.strip() == "cache django_redis.cache.RedisCache"
    production = _settings_value("s.CACHES['default']['BACKEND']", DEBUG="0", SECRET_KEY="x")
    assert production.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", production.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LIMIT_SUBMIT_PER_IP_HOUR": "ten"}, "LIMIT_SUBMIT_PER_IP_HOUR must be an integer"),
        ({"LIMIT_OPEN311_KEY_HOUR": "0"}, "LIMIT_OPEN311_KEY_HOUR must be at least 1"),
        ({"RATELIMIT_STORE": "memory"}, 'RATELIMIT_STORE must be "database" or "cache"'),
        ({"RATELIMIT_STORE": "cache", "CACHE_URL": "db://renda_cache"}, "RATELIMIT_STORE=cache needs CACHE_URL=redis"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL must be"),
    ],
)
def test_bad_limit_settings_stop_start_up(env, message):
    result = _settings_value("1", **env)
    assert result.returncode != 0 and message in result.stderr
