"""Benchmark: load the Suzhou demo into a fresh database, then time subtree queries and the main pages.

    .venv/bin/python bench/run.py [--runs 5] [--scale 1 --scale 10] [--keep]

SQLite by default (a new file in a temporary directory). With DATABASE_URL pointing at PostgreSQL, a separate
database "<name>_bench_s<scale>" is created next to it and dropped afterwards; the database in DATABASE_URL itself is
never touched. See bench/README.md for what each row means.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, fresh_postgres  # noqa: E402

PYTHON = sys.executable


# ---------------------------------------------------------------------------------------------------------------
# The parent: databases, the load, and the report


def _bench_databases(scale: int, workdir: Path):
    """(url, drop) for a fresh benchmark database; drop() removes it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        path = workdir / f"bench-s{scale}.sqlite3"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in workdir.glob(f"{path.name}*")]
    return fresh_postgres(url, f"bench_s{scale}")


def _env(database_url: str) -> dict:
    return bench_env(database_url)


def _timed(argv, env) -> tuple[float, int, str]:
    """Run a child; wall seconds, its peak RSS in MiB, and its output."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"bench: {' '.join(argv)} failed:\n{output}")
    return time.perf_counter() - started, usage.ru_maxrss // 1024, output


def bench_scale(scale: int, runs: int, workdir: Path, keep: bool) -> dict:
    url, drop = _bench_databases(scale, workdir)
    env = _env(url)
    try:
        _timed([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        print(f"scale {scale}: loading the demo into {url.split('@')[-1]} …", flush=True)
        load_s, rss, output = _timed([PYTHON, "manage.py", "load_demo", "--scale", str(scale)], env)
        again_s, _rss, _out = _timed([PYTHON, "manage.py", "load_demo", "--scale", str(scale)], env)
        _s, _rss, measured = _timed([PYTHON, __file__, "--measure", "--runs", str(runs)], env)
        result = json.loads(measured.strip().splitlines()[-1])
        result["load"] = {"seconds": load_s, "again": again_s, "rss_mib": rss, "summary": output.strip()}
        return result
    finally:
        if keep:
            print(f"kept: DATABASE_URL={url}")
        else:
            drop()


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a terminal width: Chinese characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


def report(results: dict[int, dict], runs: int):
    scales = list(results)
    first = results[scales[0]]
    for scale in scales:
        print(f"\nscale {scale}: {results[scale]['load']['summary']}")
    print(f"\nmedian of {runs} runs; q = SQL queries per request or query set; rows = rows returned or listed")
    header = f"{'measurement':<44}" + "".join(f"{'scale ' + str(s):>30}" for s in scales)
    print(header)
    print("-" * len(header))
    load_rows = [
        ("demo load (fresh database, process wall)", lambda r: f"{r['load']['seconds']:.1f} s"),
        ("  of which load_demo itself", lambda r: r["load"]["summary"].rsplit("Loaded in ", 1)[-1].rstrip(".")),
        ("demo load again (idempotent, wall)", lambda r: f"{r['load']['again']:.1f} s"),
        ("demo load peak RSS", lambda r: f"{r['load']['rss_mib']} MiB"),
    ]
    for label, cell in load_rows:
        print(f"{label:<44}" + "".join(f"{cell(results[s]):>30}" for s in scales))
    for name in first["measurements"]:
        cells = []
        for scale in scales:
            item = results[scale]["measurements"].get(name)
            if item is None or item.get("skipped"):
                cells.append(_pad("skipped: " + (item or {}).get("skipped", "missing"), 30, right=True))
                continue
            rows = "" if item["rows"] is None else f"  {item['rows']:,} rows"
            cells.append(_pad(f"{item['median_ms']:.1f} ms  {item['queries']} q{rows}", 30, right=True))
        print(_pad(name, 44) + "".join(cells))
    notes = {note for r in results.values() for note in r.get("notes", [])}
    for note in sorted(notes):
        print(f"note: {note}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed repetitions per measurement (median reported)")
    parser.add_argument("--scale", type=int, action="append", help="demo scale; repeat to compare (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child that measures
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    scales = args.scale or [1]
    with tempfile.TemporaryDirectory(prefix="renda-bench-") as workdir:
        results = {scale: bench_scale(scale, args.runs, Path(workdir), args.keep) for scale in scales}
        report(results, args.runs)
        if args.keep and not os.environ.get("DATABASE_URL"):
            print("note: SQLite files live in a temporary directory and go away with it; use DATABASE_URL to keep")


# ---------------------------------------------------------------------------------------------------------------
# The child: measurements inside Django


def measure(runs: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from math import ceil

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from renda.accounts.models import User
    from renda.demo.logins import MUDU
    from renda.demo.plan import station_code
    from renda.people.models import Deputy
    from renda.regions.models import Region
    from renda.stations.models import Station

    measurements, notes = {}, []

    def timed(name, func):
        func()  # warm-up: templates, caches, connection
        times, queries, rows = [], 0, 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                rows = func()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
        measurements[name] = {"median_ms": statistics.median(times), "queries": queries, "rows": rows}

    for code, label in (("320506000000", "吴中区"), ("320571000000", "工业园区 zone")):
        region = Region.objects.get(code=code)

        def subtree(region=region, field="path", model=Region):
            return len(list(model.objects.filter(region.subtree_q(field)).values_list("id", flat=True)))

        timed(f"subtree {label}: regions", subtree)
        timed(f"subtree {label}: stations", lambda r=region: subtree(r, "region__path", Station))
        timed(f"subtree {label}: deputies elected", lambda r=region: subtree(r, "electoral_region__path", Deputy))

    user = User.objects.get(username="suzhou")
    client = Client()
    client.force_login(user)

    def page(name, url, rows):
        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return rows

        try:
            timed(name, get)
        except RuntimeError as exc:
            measurements[name] = {"skipped": "status"}
            notes.append(str(exc))

    def url_for(name, *args, query=""):
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            notes.append(f"{name} is not there yet: skipped")
            return None

    lists = (
        ("regions", "regions:list", "renda.accounts.region_access", "regions_for"),
        ("deputies", "people:deputy_list", "renda.people.access", "deputies_for"),
        ("members", "people:member_list", "renda.people.access", "members_for"),
        ("stations", "stations:list", "renda.stations.access", "stations_for"),
        ("units", "people:unit_list", "renda.people.access", "units_for"),
    )
    for label, url_name, module, function in lists:
        url = url_for(url_name)
        if url is None:
            measurements[f"staff list {label}, page 1"] = {"skipped": "no URL"}
            continue
        total = getattr(__import__(module, fromlist=[function]), function)(user).count()
        last = max(1, ceil(total / settings.PAGE_SIZE))
        page(f"staff list {label}, page 1", url, total)
        page(f"staff list {label}, last page", f"{url}?page={last}", total)
    if url := url_for("people:deputy_list", query="?q=%E7%8E%8B"):  # 王: the most common surname
        page("staff list deputies, search 王", url, Deputy.objects.filter(name__contains="王").count())
    if url := url_for("stations:coverage", query="?region=320500000000"):
        suzhou = Region.objects.get(code="320500000000")
        page("coverage page 苏州市", url, Station.objects.filter(suzhou.subtree_q("region__path")).count())
    mudu_home = Station.objects.get(public_code=station_code(MUDU, 0))
    serving = mudu_home.assignments.count()
    public = Client()
    for label, name, args, rows in (
        ("public home", "public:home", (), None),
        ("public region page 苏州市", "public:region", ("320500000000",), None),
        ("public station page (木渎镇人大代表之家)", "public:station", (mudu_home.public_code,), serving),
    ):
        if url := url_for(name, *args):

            def get(url=url, rows=rows):
                response = public.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                return rows

            try:
                timed(label, get)
            except RuntimeError as exc:
                measurements[label] = {"skipped": "status"}
                notes.append(str(exc))
    return {"measurements": measurements, "notes": notes}


if __name__ == "__main__":
    main()
