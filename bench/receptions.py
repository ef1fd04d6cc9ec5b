"""Reception-day benchmark: the planner at city and province size, and the public schedule and live board.

    .venv/bin/python bench/receptions.py [--runs 5] [--province-runs 3] [--skip-db]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/receptions.py

(a) Province (in memory, no database): a synthetic province of 13 cities, 95 counties, 1,300 towns, 20,000 stations
    and 200,000 deputies of five levels (bench/receptions.py `province()` says who serves where), planned with
    renda.receptions.planner.plan. Wall time (median) and the peak of Python allocations (tracemalloc, one extra run).
(b) Suzhou (database): a fresh database (SQLite in a temporary directory, or "<name>_bench_receptions" beside the
    PostgreSQL database in DATABASE_URL, dropped afterwards), migrated, the Suzhou demo loaded without opinions, then
    in a Django process: planning a 苏州市 reception day from the database (load, plan, write every reception and
    duty; median of --runs), publishing it, and the public schedule search and the staff live board through Django's
    test client (p50/p95 over --runs × queries). See docs/performance.md for figures.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, fresh_postgres  # noqa: E402

PYTHON = sys.executable


def province(seed: int = 6):
    """200,000 deputies, 20,000 stations, 1,300 towns: roughly Jiangsu's shape."""
    from renda.receptions.planner import DeputyInfo, StationInfo

    rng = random.Random(seed)
    cities = [[] for _ in range(13)]  # city → counties → towns
    town = 0
    for county in range(95):
        towns = list(range(town, town + (14 if county % 5 else 12)))
        town += len(towns)
        cities[county % 13].append(towns)
    all_towns = list(range(town))
    stations = [StationInfo(t + 1, town=t, is_home=True) for t in all_towns]
    stations += [StationInfo(len(stations) + i + 1, town=rng.choice(all_towns)) for i in range(20_000 - len(stations))]
    by_town: dict[int, list[int]] = {}
    for s in stations:
        by_town.setdefault(s.town, []).append(s.id)
    deputies = []

    def add(level, region_towns, serve_share):
        serves = ()
        if rng.random() < serve_share:
            serves = (rng.choice(by_town[rng.choice(region_towns)]),)
        deputies.append(DeputyInfo(len(deputies) + 1, level, serves, tuple(region_towns)))

    for level, count, share, area in (
        ("national", 150, 0.5, "city"),
        ("provincial", 800, 0.5, "city"),
        ("city", 7_000, 0.6, "city"),
        ("county", 35_000, 0.7, "county"),
    ):
        for _ in range(count):
            city = rng.choice(cities)
            region = [t for county in city for t in county] if area == "city" else rng.choice(city)
            add(level, region, share)
    while len(deputies) < 200_000:
        t = rng.choice(all_towns)
        add("township", [t], 0.9)
    unavailable = set(rng.sample(range(1, 200_001), 4_000))
    return deputies, stations, unavailable


def bench_province(runs: int) -> dict:
    from renda.receptions.planner import plan

    deputies, stations, unavailable = province()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = plan(deputies, stations, unavailable)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    plan(deputies, stations, unavailable)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "deputies": len(deputies),
        "stations": len(stations),
        "towns": len({s.town for s in stations}),
        "median_s": statistics.median(times),
        "max_s": max(times),
        "peak_mib": peak / 2**20,
        "assigned": len(result.assignments),
        "unassigned": len(result.unassigned),
        "uncovered_towns": len(result.uncovered_towns),
    }


def _run(argv, env) -> str:
    child = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if child.returncode:
        sys.exit(f"bench: {' '.join(argv)} failed:\n{child.stdout}\n{child.stderr}")
    return child.stdout


def bench_suzhou(runs: int, workdir: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        url, drop = f"sqlite:///{workdir / 'bench-receptions.sqlite3'}", lambda: None
    else:
        url, drop = fresh_postgres(url, "bench_receptions")
    env = bench_env(url)
    try:
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "load_demo", "--opinions", "0"], env)
        output = _run([PYTHON, __file__, "--measure", "--runs", str(runs)], env)
        return json.loads(output.strip().splitlines()[-1]) | {"database": url.split("@")[-1].split("/")[0] or "sqlite"}
    finally:
        drop()


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"p50_ms": statistics.median(samples) * 1000, "p95_ms": samples[int(len(samples) * 0.95) - 1] * 1000}


def time_planning(campaign, user, runs: int) -> dict:
    """Inside Django: plan `campaign` from the database `runs` times (wall time, queries), then once more under
    tracemalloc for the peak of Python allocations; what the last plan wrote."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renda.receptions import actions as campaign_actions
    from renda.receptions.models import Duty, Reception

    times, queries, first_queries = [], 0, 0
    for run in range(runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            campaign_actions.plan_campaign(campaign, user)
        times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
        if run == 0:
            first_queries = queries
        campaign.refresh_from_db()
    tracemalloc.start()
    campaign_actions.plan_campaign(campaign, user)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    campaign.refresh_from_db()
    return {
        # The first run writes every reception and duty; later runs plan the same day again (since the ORM version,
        # only the difference is written), so both are reported.
        "first_s": times[0],
        "first_queries": first_queries,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "queries": queries,
        "peak_mib": peak / 2**20,
        "duties": Duty.objects.filter(campaign=campaign).count(),
        "receptions": Reception.objects.filter(campaign=campaign).count(),
    }


def measure(runs: int) -> dict:
    """Inside Django: plan, publish, then time the public schedule and the live board."""
    import datetime

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from renda.accounts.models import User
    from renda.people.models import Deputy
    from renda.receptions import actions as campaign_actions
    from renda.receptions.models import Campaign
    from renda.regions.models import Region

    suzhou = Region.objects.get(code="320500000000")
    staff = User.objects.get(username="suzhou")
    date = timezone.localdate() + datetime.timedelta(days=10)
    campaign = Campaign.objects.create(
        region=suzhou, title="基准测试接待日", date=date, starts=datetime.time(9), ends=datetime.time(11, 30)
    )
    plan = time_planning(campaign, staff, runs)
    campaign_actions.publish_campaign(staff, campaign)
    result = {"plan": plan | {"deputies": Deputy.objects.filter(is_active=True).count()}}
    reset_queries()
    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics yet; a running database has them (autovacuum).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def timed(client, urls, headers=None) -> dict:
        samples, by_url = [], {}
        for url in urls:
            client.get(url, headers=headers)  # warm-up
        for _ in range(runs):
            for url in urls:
                started = time.perf_counter()
                response = client.get(url, headers=headers)
                elapsed = time.perf_counter() - started
                samples.append(elapsed)
                by_url.setdefault(url, []).append(elapsed)
                assert response.status_code == 200, (url, response.status_code)
        slowest = max(by_url, key=lambda url: statistics.median(by_url[url]))
        return _percentiles(samples) | {
            "requests": len(samples),
            "slowest": f"{slowest} (median {statistics.median(by_url[slowest]) * 1000:.0f} ms)",
        }

    names = list(Deputy.objects.filter(duties__campaign=campaign).values_list("name", flat=True)[:5])
    public = reverse("receptions_public:schedule")
    schedule_urls = [
        public,
        f"{public}?q={names[0]}",
        f"{public}?q={names[1][:1]}",
        f"{public}?region=320506000000",
        f"{public}?lat=31.2590&lng=120.5270",
        f"{public}?q=代表之家&lat=31.30&lng=120.60",
    ]
    result["schedule"] = timed(Client(), schedule_urls)
    board_client = Client()
    board_client.force_login(staff)
    board = reverse("receptions:board", kwargs={"campaign_pk": campaign.pk})
    result["board"] = timed(board_client, [board])
    result["board_fragment"] = timed(board_client, [board], headers={"HX-Request": "true"})
    return result


def measure_province(runs: int) -> dict:
    """Inside Django: write the synthetic province into the database, then plan a province-wide day from it."""
    import datetime

    import django

    django.setup()
    from django.utils import timezone

    from renda.people.models import Deputy
    from renda.receptions.models import Campaign
    from renda.regions.models import Region
    from renda.stations.models import Assignment, Station

    deputies, stations, _unavailable = province()
    started = time.perf_counter()
    root = Region.objects.create(code="990000000000", name="基准省", kind="province")
    cities, counties, towns = [], [], []
    for c in range(13):
        cities.append(Region(code=f"99{c + 1:02d}00000000", name=f"基准市{c + 1}", kind="city", parent=root))
    for city in cities:
        city.path, city.depth = root.path + city.code, 1
    Region.objects.bulk_create(cities)
    town_region = {}
    town_ids = sorted({s.town for s in stations})
    per_county = -(-len(town_ids) // 95)
    for k in range(95):
        city = cities[k % 13]
        county = Region(code=f"{city.code[:4]}{k + 1:02d}000000", name=f"基准区{k + 1}", kind="district", parent=city)
        county.path, county.depth = city.path + county.code, 2
        counties.append(county)
    Region.objects.bulk_create(counties)
    for index, town in enumerate(town_ids):
        county = counties[min(index // per_county, 94)]
        region = Region(
            code=f"{county.code[:6]}{index % 999 + 1:03d}000", name=f"基准镇{town}", kind="town", parent=county
        )
        region.path, region.depth = county.path + region.code, 3
        towns.append(region)
        town_region[town] = region
    Region.objects.bulk_create(towns, batch_size=2000)
    station_rows = Station.objects.bulk_create(
        [
            Station(
                name=f"基准站{s.id}",
                kind="home" if s.is_home else "liaison",
                region=town_region[s.town],
                public_code=f"B{s.id:07d}",
            )
            for s in stations
        ],
        batch_size=2000,
    )
    station_pk = {s.id: row.pk for s, row in zip(stations, station_rows, strict=True)}
    town_of_region = {}
    for d in deputies:
        town_of_region.setdefault(d.region_towns, town_region[d.region_towns[0]] if len(d.region_towns) == 1 else None)
    county_of_town = {town: region.parent for town, region in town_region.items()}
    city_of_county = {county.pk: county.parent for county in counties}

    def electoral(d):
        if len(d.region_towns) == 1:
            return town_region[d.region_towns[0]]
        county = county_of_town[d.region_towns[0]]
        return county if d.level == "county" else city_of_county[county.pk]

    deputy_rows = Deputy.objects.bulk_create(
        [
            Deputy(
                name=f"代表{d.id}", term=17, level=d.level, electoral_region=electoral(d), public_code=f"P{d.id:07d}"
            )
            for d in deputies
        ],
        batch_size=5000,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(station_id=station_pk[sid], deputy_id=row.pk)
            for d, row in zip(deputies, deputy_rows, strict=True)
            for sid in d.serves
        ],
        batch_size=5000,
    )
    load_s = time.perf_counter() - started
    campaign = Campaign.objects.create(
        region=root,
        title="全省统一接待日（基准）",
        date=timezone.localdate() + datetime.timedelta(days=10),
        starts=datetime.time(9),
        ends=datetime.time(11, 30),
    )
    return time_planning(campaign, None, runs) | {"load_s": load_s}


def bench_province_db(runs: int, workdir: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        url, drop = f"sqlite:///{workdir / 'bench-province.sqlite3'}", lambda: None
    else:
        url, drop = fresh_postgres(url, "bench_province")
    env = bench_env(url)
    try:
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        started = time.perf_counter()
        output = _run([PYTHON, __file__, "--measure-province", "--runs", str(runs)], env)
        wall = time.perf_counter() - started
        return json.loads(output.strip().splitlines()[-1]) | {"wall_s": wall}
    finally:
        drop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province-runs", type=int, default=3)
    parser.add_argument("--skip-db", action="store_true", help="only the in-memory province planner")
    parser.add_argument(
        "--province-db", action="store_true", help="also write the province into the database and plan it from there"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure-province", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    if args.measure_province:
        print(json.dumps(measure_province(args.runs)))
        return
    print("province planner (in memory) …", flush=True)
    p = bench_province(args.province_runs)
    rows = [
        (
            f"plan a province: {p['deputies']:,} deputies, {p['stations']:,} stations, {p['towns']:,} towns",
            f"{p['median_s']:.1f} s (max {p['max_s']:.1f} s), peak {p['peak_mib']:.0f} MiB",
        ),
        (
            "  outcome",
            f"{p['assigned']:,} assigned, {p['unassigned']:,} unassigned, {p['uncovered_towns']} towns uncovered",
        ),
    ]
    if args.province_db:
        print("province on the database …", flush=True)
        with tempfile.TemporaryDirectory(prefix="renda-bench-") as workdir:
            pdb = bench_province_db(args.province_runs, Path(workdir))
        rows += [
            (
                "plan the province from the database",
                f"{pdb['median_s']:.1f} s (max {pdb['max_s']:.1f} s), {pdb['queries']} q, "
                f"peak {pdb['peak_mib']:.0f} MiB",
            ),
            (
                "  of which the first plan (writes every row)",
                f"{pdb['first_s']:.1f} s, {pdb['first_queries']} q",
            ),
            (
                "  outcome",
                f"{pdb['duties']:,} duties at {pdb['receptions']:,} stations "
                f"(writing the province itself: {pdb['load_s']:.0f} s)",
            ),
        ]
    if not args.skip_db:
        print("Suzhou on the database …", flush=True)
        with tempfile.TemporaryDirectory(prefix="renda-bench-") as workdir:
            s = bench_suzhou(args.runs, Path(workdir))
        plan_row = s["plan"]
        rows += [
            (
                f"plan Suzhou from the database ({s['database']})",
                f"{plan_row['median_s'] * 1000:.0f} ms (max {plan_row['max_s'] * 1000:.0f} ms), "
                f"{plan_row['queries']} q, peak {plan_row['peak_mib']:.0f} MiB",
            ),
            (
                "  of which the first plan (writes every row)",
                f"{plan_row['first_s'] * 1000:.0f} ms, {plan_row['first_queries']} q",
            ),
            (
                "  outcome",
                f"{plan_row['deputies']:,} active deputies, {plan_row['duties']:,} duties at "
                f"{plan_row['receptions']:,} stations",
            ),
            (
                "public schedule search",
                f"p50 {s['schedule']['p50_ms']:.1f} ms, p95 {s['schedule']['p95_ms']:.1f} ms "
                f"({s['schedule']['requests']} requests)",
            ),
            ("  slowest query string", s["schedule"]["slowest"]),
            (
                "live board, htmx refresh (city staff)",
                f"p50 {s['board_fragment']['p50_ms']:.1f} ms, p95 {s['board_fragment']['p95_ms']:.1f} ms "
                f"({s['board_fragment']['requests']} requests)",
            ),
            (
                "live board, whole page (city staff)",
                f"p50 {s['board']['p50_ms']:.1f} ms, p95 {s['board']['p95_ms']:.1f} ms "
                f"({s['board']['requests']} requests)",
            ),
        ]
    width = max(len(label) for label, _ in rows) + 2
    print()
    for label, value in rows:
        print(f"{label:<{width}}{value}")


if __name__ == "__main__":
    main()
