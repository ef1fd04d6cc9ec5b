"""Staff home benchmark: "what do I do now" for each role, at the demo city and at millions of opinions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/home.py [--size 1000000]
        [--runs 50] [--keep]

PostgreSQL only. A fresh database "<name>_bench_home" is created next to the one in DATABASE_URL (migrate + the demo
city with its opinions, receptions, suggestions and projects) and dropped at the end (--keep keeps it). With --size,
opinions are then added up to that many rows (bench/opinions.py's generate_series load). The home (/staff/) is
requested through Django's test client in one process (whole request: middleware, session, scope, every count,
template) as the city's staff (苏州市, the biggest scope), a district's staff, the keeper, the demo deputy and the
demo unit; the bare baseline is /bench/ok/ (a view reading nothing, same middleware and session), and the opinion
inbox's first page is measured beside them as an existing staff page for scale. One warm-up,
then --runs; p50 and p95 in milliseconds, and the queries of one request. Target: p95 < 50 ms. See
docs/performance.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, fresh_postgres  # noqa: E402

PYTHON = sys.executable
CASES = (
    ("bare baseline (/bench/ok/, logged in)", "suzhou", "/bench/ok/"),
    ("for scale: the opinion inbox, city staff", "suzhou", "/staff/opinions/"),
    ("home, city staff (苏州市)", "suzhou", "/staff/"),
    ("home, district staff (吴中区)", "wuzhong", "/staff/"),
    ("home, keeper (木渎镇)", "keeper.mudu", "/staff/"),
    ("home, deputy", "deputy.demo", "/staff/"),
    ("home, unit (吴中区住建局)", "unit.wzjs", "/staff/"),
)


def _run(argv, env) -> str:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench: {' '.join(map(str, argv))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=0, help="grow the opinions table to this many rows")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        return child(*args.child)
    url, drop = fresh_postgres(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renda"),
                               "bench_home", force=True)  # fmt: skip
    env = bench_env(url, DJANGO_SETTINGS_MODULE="bench.settings")
    try:
        started = time.perf_counter()
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "load_demo"], env)
        print(f"migrate + demo city in {time.perf_counter() - started:.0f} s")
        out = _run([PYTHON, __file__, "--child", str(args.size), str(args.runs)], env)
        result = json.loads(out.strip().splitlines()[-1])
        print(f"{result['opinions']:,} opinions; p50 / p95 ms over {args.runs} runs, queries per request:")
        print(f"  {'page':<45} {'p50':>7} {'p95':>7} {'queries':>8}")
        for name, (p50, p95, queries) in result["timings"].items():
            print(f"  {name:<45} {p50:7.1f} {p95:7.1f} {queries:8d}")
    finally:
        if not args.keep:
            drop()


def child(size, runs):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from renda.accounts.models import User
    from renda.opinions.models import Opinion

    if int(size):
        from bench.opinions import _grow

        _grow(size)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the planner's statistics, as autovacuum keeps them in production
    timings = {}
    for name, username, url in CASES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, url
        queries = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):  # a wrapper: the request closes and reopens the connection
            client.get(url)
        samples = []
        for _ in range(int(runs)):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        timings[name] = (statistics.median(samples), p95, len(queries))
    print(json.dumps({"opinions": Opinion.objects.count(), "timings": timings}))


if __name__ == "__main__":
    main()
