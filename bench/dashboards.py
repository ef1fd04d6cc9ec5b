"""Dashboard benchmark: every chart query at millions of opinions on PostgreSQL, from the summary tables, beside the
same figures counted from the opinion table directly and a bare round trip.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/dashboards.py \
        [--size 1000000 --size 10000000] [--runs 20] [--keep]

A fresh database "<name>_bench_dashboards" is created next to the one in DATABASE_URL (migrate + the demo city) and
dropped at the end (--keep keeps it). Opinions are added as bench/opinions.py does (INSERT … SELECT generate_series
over the demo's stations, a year of dates, 3% submitted / 5% forwarded / 4% refused / the rest finished, 80%
rated); open ones get a due date, one in ten opinions an accept event. Then:
- `refresh_dashboards --full` (the first run on a deployment) and an incremental run after 1,000 new opinions and
  1,000 events on opinions of the last 30 days (what a run every few minutes meets: staff act on open opinions, the
  newest), timed;
- each chart function of renda/dashboards/charts.py for the city (苏州市) and one district (吴中区), p50/p95 over
  --runs after one warm-up;
- the baseline: `SELECT 1`, and the handling/satisfaction figures per district counted from opinions_opinion directly
  (what the statistics page does), to show what the summary saves.
See docs/performance.md, "Dashboards".
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, fresh_postgres  # noqa: E402
from bench.opinions import PYTHON, _run  # noqa: E402


def _child(env, *args) -> dict:
    out = _run([PYTHON, __file__, "--child", *args], env)
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, action="append", help="opinions (repeat for several sizes)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    import os

    url, drop = fresh_postgres(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renda"), "bench_dashboards", force=True
    )
    env = bench_env(url)
    try:
        started = time.perf_counter()
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "createcachetable"], env)  # the station points are cached, as deployed
        _run([PYTHON, "manage.py", "load_demo", "--opinions", "0"], env)
        print(f"fresh database {url.rsplit('/', 1)[1]}: migrate + demo city in {time.perf_counter() - started:.0f} s")
        for size in sorted(args.size or [1_000_000]):
            grown = _child(env, "grow", str(size))
            refreshed = _child(env, "refresh")
            result = _child(env, "measure", str(args.runs))
            report(size, grown, refreshed, result, args.runs)
    finally:
        if not args.keep:
            drop()


def report(size, grown, refreshed, result, runs):
    print()
    print(
        f"== {result['rows']:,} opinions, {result['events']:,} events (loaded in {grown.get('seconds', 0):.0f} s); "
        f"summary rows: {result['summary']}"
    )
    print(
        f"refresh_dashboards --full: {refreshed['full']:.1f} s; incremental after 1,000 opinions + 1,000 events: "
        f"{refreshed['incremental']:.2f} s"
    )
    print(f"{'query (' + str(runs) + ' runs)':<58}{'p50 ms':>9}{'p95 ms':>9}")
    for name, row in result["timings"].items():
        print(f"{name:<58}{row['p50']:>9.1f}{row['p95']:>9.1f}")


def child(argv):
    import django

    django.setup()
    command, rest = argv[0], argv[1:]
    result = {"grow": _grow, "refresh": _refresh, "measure": _measure}[command](*rest)
    print(json.dumps(result))


def _grow(size):
    from django.db import connection

    from bench.opinions import _grow as grow_opinions

    grown = grow_opinions(size)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE opinions_opinion SET due_at = created + interval '15 days' "
            "WHERE status IN ('submitted', 'forwarded') AND due_at IS NULL"
        )
        cursor.execute(
            """
            INSERT INTO opinions_event (opinion_id, action, from_state, to_state, actor_role, public_actor, note,
                internal_note, due_at, created)
            SELECT o.id, 'accept', 'submitted', 'accepted', 'staff', '', '', '', NULL, o.created + interval '2 days'
            FROM opinions_opinion o
            WHERE o.id % 10 = 0 AND NOT EXISTS (SELECT 1 FROM opinions_event e WHERE e.opinion_id = o.id)
            """
        )
        cursor.execute("VACUUM ANALYZE opinions_opinion")
        cursor.execute("VACUUM ANALYZE opinions_event")
    grown["seconds"] = grown.get("seconds", 0.0) + time.perf_counter() - started
    return grown


def _refresh():
    from django.db import connection

    from renda.dashboards.refresh import refresh
    from renda.opinions.models import Opinion

    started = time.perf_counter()
    refresh(full=True)
    full = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO opinions_opinion (tracking_code, station_id, region_id, category_id, text, place,
                submitter_name, submitter_phone, consent, status, refusal_reason, reopen_count, rating,
                created, updated, due_at, search_text, public_id)
            SELECT 'N' || lpad(to_hex(g), 9, '0'), o.station_id, o.region_id, o.category_id, '', '', '', '', false,
                'submitted', '', 0, '', now(), now(), now() + interval '5 days', '', 'N' || lpad(g::text, 15, '0')
            FROM (SELECT row_number() OVER (ORDER BY id) + (SELECT max(id) FROM opinions_opinion) AS g, *
                  FROM opinions_opinion WHERE id % 997 = 0 LIMIT 1000) o
            """
        )
        cursor.execute(
            """
            INSERT INTO opinions_event (opinion_id, action, from_state, to_state, actor_role, public_actor, note,
                internal_note, created)
            SELECT id, 'note', status, status, 'staff', '', '', '', now()
            FROM opinions_opinion WHERE created > now() - interval '30 days' AND id % 97 = 1 ORDER BY id LIMIT 1000
            """
        )
    started = time.perf_counter()
    refresh()
    incremental = time.perf_counter() - started
    assert Opinion.objects.exists()
    return {"full": full, "incremental": incremental}


def _measure(runs):
    from django.db import connection
    from django.db.models import Count, Q
    from django.db.models.functions import Substr
    from django.utils import timezone

    from renda.dashboards import charts
    from renda.dashboards.models import OpenDue, OpinionMonth, StepMonth
    from renda.opinions.models import Event, Opinion
    from renda.opinions.workflow import DONE_STATES
    from renda.regions.models import Region

    runs = int(runs)
    today = timezone.localdate()
    city = Region.objects.get(code="320500000000")
    district = Region.objects.get(code="320506000000")
    timings = {}

    def timed(name, func):
        func()
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            func()
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        timings[name] = {"p50": statistics.median(samples), "p95": samples[min(runs - 1, int(runs * 0.95))]}

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    timed("baseline: SELECT 1", select_one)
    for label, region in (("苏州市", city), ("吴中区", district)):
        timed(f"{label}: opinions over time (categories, states)", lambda r=region: charts.opinions_over_time(r, today))
        timed(f"{label}: rates by child region", lambda r=region: charts.rates_by_child(r, today))
        timed(f"{label}: overdue ageing", lambda r=region: charts.overdue_ageing(r, today))
        timed(f"{label}: top topics", lambda r=region: charts.top_topics(r, today))
        timed(f"{label}: big-screen totals", lambda r=region: charts.region_totals(r, today))
        rates = charts.rates_by_child(region, today)
        timed(f"{label}: map (shapes, stations)", lambda r=region, x=rates: charts.region_map(r, x))
        timed(f"{label}: reception progress", lambda r=region: charts.reception_progress(r, today))

    done = [str(s) for s in DONE_STATES]

    def direct():
        length = len(city.path) + 12
        return list(
            Opinion.objects.filter(city.subtree_q("region__path"))
            .annotate(child=Substr("region__path", 1, length))
            .values("child")
            .annotate(
                n=Count("id"), handled=Count("id", filter=Q(status__in=done)), rated=Count("id", filter=~Q(rating=""))
            )
            .order_by()
        )

    timed("baseline: 苏州市 rates counted from opinions_opinion", direct)
    return {
        "timings": timings,
        "rows": Opinion.objects.count(),
        "events": Event.objects.count(),
        "summary": f"{OpinionMonth.objects.count():,} opinion-month, {StepMonth.objects.count():,} step-month, "
        f"{OpenDue.objects.count():,} open-due",
    }


if __name__ == "__main__":
    main()
