"""Ten million opinions in a database of their own, kept between runs: load once, measure as often as needed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/big.py load --size 10000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/big.py measure [--runs 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/big.py dashboards [--runs 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/big.py drop

`load` creates "<name>_big" beside the database in DATABASE_URL (UTF-8, template0) if it is not there, migrates it,
loads the demo city without opinions (regions, stations, deputies, units, the demo accounts), then grows the opinions
table to --size rows with INSERT … SELECT generate_series in 1 M-row statements (bench/opinions.py `_grow`: 5,000
distinct demo texts, 7.5% of them containing 加装电梯; every station of the city; spread over --days days; the last 30
days open, older ones finished and ~80% rated; secondary indexes dropped during the load and rebuilt, then VACUUM
ANALYZE). Growing is idempotent: a second `load` with a bigger --size adds the difference. `migrate` applies new
migrations (new indexes) to the loaded rows, which is how the indexes' build time at 10 M is measured.

`measure` runs, in a Django process, the staff inbox's first page and capped count for the five demo roles (city,
district, keeper, deputy, unit), search for 停车 (two characters) and 加装电梯 (four, 7.5% of rows) in each inbox, and
the statistics page's figures (renda/opinions/stats.py) for the city and a district: counted live over all time,
over the last 30 days and over last month, and all time, last month and this year from the summary tables once
`dashboards` has refreshed them; then the staff home (/staff/, whole request through Django's test client) of the
five roles, the city's and district's read from the summary once refreshed (`HOME_SUMMARY_ABOVE`); p50/p95 of --runs
after one warm-up. `dashboards` runs `refresh_dashboards --full` and an incremental run on the loaded rows, then
every chart of the dashboards (bench/dashboards.py's measurements).

The database is never dropped by `load` or `measure`; `drop` does it. The encryption key is fixed (bench only), so
the demo's encrypted phones stay readable between runs.
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

from bench.common import bench_env  # noqa: E402

PYTHON = sys.executable
KEY = "cmVuZGEtYmlnLWJlbmNoLWtleS0wMTIzNDU2Nzg5YWI="  # base64 of 32 fixed bytes: bench only, never a deployment


def _names():
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renda")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("big: DATABASE_URL must be PostgreSQL")
    name = f"{config['NAME']}_big"
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    params["password"] = config["PASSWORD"] or None
    return url.rsplit("/", 1)[0] + "/" + name, name, params


def _admin(params):
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def _env(url):
    env = bench_env(url, DB_CONN_MAX_AGE="60")
    env["FIELD_ENCRYPTION_KEYS"] = KEY
    return env


def _run(argv, env) -> str:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"big: {' '.join(map(str, argv))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _child(env, script, *args) -> dict:
    out = _run([PYTHON, str(ROOT / "bench" / script), "--child", *args], env)
    return json.loads(out.strip().splitlines()[-1])


def load(size: int, days: int) -> None:
    url, name, params = _names()
    with _admin(params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    env = _env(url)
    started = time.perf_counter()
    _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    print(f"{name}: migrate in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    _run([PYTHON, "manage.py", "load_demo", "--opinions", "0", "--no-receptions"], env)
    print(f"{name}: demo city in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    grown = _child(env, "opinions.py", "grow", str(size), str(days))
    print(f"{name}: opinions grown to {size:,} in {grown.get('seconds', 0):.0f} s", flush=True)
    print(f"{name}: total {time.perf_counter() - started:.0f} s", flush=True)


def measure(runs: int) -> None:
    url, name, _params = _names()
    env = _env(url)
    inbox = _child(env, "opinions.py", "measure", str(runs))
    counted = "searches' counts and the statistics page: 5"
    print(f"{name}: {inbox['rows']:,} opinions, {runs} runs after one warm-up ({counted})")
    print(f"{'query':<62}{'p50 ms':>9}{'p95 ms':>9}{'rows':>8}")
    for label, row in inbox["timings"].items():
        print(f"{label:<62}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['rows']:>8}", flush=True)
    for label, row in _child(env, "big.py", "stats", str(min(runs, 5))).items():
        print(f"{label:<62}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['rows']:>8}", flush=True)
    for label, row in _child(env, "big.py", "home", str(runs)).items():
        print(f"{label:<62}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['rows']:>8}", flush=True)


def dashboards(runs: int) -> None:
    """The dashboards at 10 M: `refresh_dashboards --full` on the loaded rows (the first run of a deployment), an
    incremental run after 1,000 new opinions and events, then every chart function (bench/dashboards.py's children)."""
    from bench.dashboards import report

    url, _name, _params = _names()
    env = _env(url)
    _run([PYTHON, "manage.py", "createcachetable"], env)  # the station points are cached, as deployed
    refreshed = _child(env, "dashboards.py", "refresh")
    result = _child(env, "dashboards.py", "measure", str(runs))
    report(result["rows"], {}, refreshed, result, runs)


def drop() -> None:
    _url, name, params = _names()
    with _admin(params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{name} dropped")


def _stats(runs: str) -> dict:
    """The statistics page's figures: counted live from the opinions (all time and the last 30 days, as with dates),
    and all time from the summary tables (opinions.stats.figures, once `big.py dashboards` has refreshed them)."""
    from datetime import timedelta

    from django.utils import timezone

    from renda.opinions import stats
    from renda.regions.models import Region

    runs = int(runs)
    out = {}
    since = timezone.now() - timedelta(days=30)
    # Whole months as the page's links give them (local midnight of a 1st), which the summary answers.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    this_month = midnight.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    this_year = this_month.replace(month=1)

    def timed(label, func):
        out[label] = _timed(lambda: func()[0], runs)
        out[label]["rows"] = out[label].pop("result").total

    for label, code in [("city 苏州市", "320500"), ("district 吴中区", "320506")]:
        region = Region.objects.filter(code__startswith=code).order_by("path").first()
        timed(f"statistics page, {label}, all time, counted live", lambda r=region: stats.region_figures(r))
        timed(f"statistics page, {label}, last 30 days (live)", lambda r=region: stats.region_figures(r, since))
        timed(
            f"statistics page, {label}, last month, counted live",
            lambda r=region: stats.region_figures(r, last_month, this_month),
        )
        if stats.figures(region)[2] is not None:
            timed(f"statistics page, {label}, all time, from the summary", lambda r=region: stats.figures(r))
            timed(
                f"statistics page, {label}, last month, from the summary",
                lambda r=region: stats.figures(r, last_month, this_month),
            )
            timed(
                f"statistics page, {label}, this year, from the summary", lambda r=region: stats.figures(r, this_year)
            )
    return out


def _timed(func, runs: int) -> dict:
    """p50 and p95 in ms of `runs` calls after one warm-up, and the last call's result."""
    func()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return {"p50": statistics.median(samples), "p95": p95, "result": result}


def _home(runs: str) -> dict:
    """The staff home of the five demo roles, whole request through Django's test client ("rows": its queries)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from renda.accounts.models import User

    out = {}
    for label, username in [("city staff (苏州市)", "suzhou"), ("district staff (吴中区)", "wuzhong"),
                            ("keeper (木渎镇)", "keeper.mudu"), ("deputy", "deputy.demo"),
                            ("unit (吴中区住建局)", "unit.wzjs")]:  # fmt: skip
        client = Client()
        client.force_login(User.objects.get(username=username))
        page = client.get("/staff/")
        assert page.status_code == 200, username
        summary = b"home-staff-as-of" in page.content
        with CaptureQueriesContext(connection) as queries:
            client.get("/staff/")
        count = len(queries)  # now: the next requests empty the connection's query log
        row = _timed(lambda c=client: c.get("/staff/"), int(runs))
        out[f"staff home, {label}{', from the summary' if summary else ''}"] = {
            "p50": row["p50"], "p95": row["p95"], "rows": count
        }  # fmt: skip
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", choices=["load", "measure", "dashboards", "drop"])
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import django

        django.setup()
        print(json.dumps({"stats": _stats, "home": _home}[args.child[0]](*args.child[1:]), ensure_ascii=False))
        return
    if args.command == "load":
        load(args.size, args.days)
    elif args.command == "measure":
        measure(args.runs)
    elif args.command == "dashboards":
        dashboards(args.runs)
    elif args.command == "drop":
        drop()
    else:
        parser.error("give a command: load, measure, dashboards or drop")


if __name__ == "__main__":
    main()
