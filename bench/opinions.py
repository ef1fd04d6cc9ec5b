"""Opinion benchmark: submissions under gunicorn, and the staff inbox and search at millions of opinions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/opinions.py \
        [--requests 2000] [--rounds 4] [--concurrency 16] [--workers 5] [--size 1000000 --size 10000000] [--runs 30]
        [--keep] [--skip-inbox]

PostgreSQL only. A fresh database "<name>_bench_opinions" (UTF-8, template0) is created next to the one in
DATABASE_URL and dropped at the end (--keep keeps it); the database in DATABASE_URL itself is never touched.

(a) Submissions: gunicorn (--workers sync workers, bench/settings.py) on 127.0.0.1; a bounded number of requests from
    --concurrency client threads to a bare Django view inserting one row, to `actions.submit` alone (bench/views.py
    says exactly what each does), to the JSON API and to the web form, taking turns in --rounds rounds.
    Requests/second, p50/p99 latency and CPU ms per request (app, PostgreSQL, Redis, client), side by side.
(b) Inbox and search: opinions are added with INSERT … SELECT generate_series (indexes dropped during the load and
    rebuilt, as a restore would) up to each --size in turn, then the staff inbox's ORM queries are timed in a Django
    process: `opinions_for(user)` ordered by -created (first page of 50 + 1, as renda/opinions/views.py does), the
    capped count, and the same with `search.matching_q` for 2- and 4-character queries. One warm-up, then --runs.
See docs/performance.md for figures and what they mean.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import RAISED_LIMITS, bench_env, fresh_postgres  # noqa: E402

PYTHON = sys.executable
USERS = [
    ("suzhou", "city staff (苏州市)"),
    ("wuzhong", "district staff (吴中区)"),
    ("keeper.mudu", "station keeper"),
    ("deputy.demo", "deputy"),
    ("unit.wzjs", "unit staff"),
]
QUERIES = ["停车", "加装电梯"]


# ---------------------------------------------------------------------------------------------------------------
# The parent: database, server, load generator, report


def _database():
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renda")
    return fresh_postgres(url, "bench_opinions", force=True)


def _env(database_url: str) -> dict:
    # persistent connections, as a production deployment sets; the bench-only URLconf adds the bare view
    return bench_env(database_url, DB_CONN_MAX_AGE="60", DJANGO_SETTINGS_MODULE="bench.settings")


def _run(argv, env) -> str:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench: {' '.join(map(str, argv))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _child(env, *args) -> dict:
    out = _run([PYTHON, __file__, "--child", *args], env)
    return json.loads(out.strip().splitlines()[-1])


def _wait_for(port: int, server) -> None:
    for _ in range(200):
        if server.poll() is not None:
            sys.exit("bench: gunicorn did not start (its log: bench-gunicorn.log in the temporary directory)")
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/favicon.ico")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("bench: gunicorn did not answer")


def _request(port: int, method: str, path: str, body: bytes | None, headers: dict):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body, headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def _form_session(port: int, path: str) -> dict:
    """What a phone holds after opening the opinion form: the CSRF cookie and token, and the device cookie."""
    response, html = _request(port, "GET", path, None, {})
    cookies = "; ".join(value.split(";", 1)[0] for name, value in response.getheaders() if name.lower() == "set-cookie")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if response.status != 200 or token is None:
        sys.exit(f"bench: the opinion form {path} answered {response.status} without a CSRF token")
    return {"cookie": cookies, "csrf": token.group(1).decode()}


def _load(port: int, requests: list[tuple[str, bytes, dict]], concurrency: int, session=None) -> dict:
    """Send every (path, body, headers) once from `concurrency` threads, one connection per request (gunicorn's sync
    workers close after each answer). `session(thread_index)` gives a thread extra headers and form fields (the web
    form's cookies and CSRF token, fetched once per thread, as one phone per thread)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    queue = iter(requests)

    def worker(index):
        extra = session(index) if session else {}
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            path, body, headers = item
            if extra:
                body = body + b"&csrfmiddlewaretoken=" + extra["csrf"].encode()
                headers = {**headers, "Cookie": extra["cookie"]}
            started = time.perf_counter()
            response, _data = _request(port, "POST", path, body, headers)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"latencies": latencies, "wall": wall, "statuses": statuses}


def _summary(parts: list[dict]) -> dict:
    """One endpoint's rounds together: requests over the summed wall time, percentiles over every request."""
    latencies = sorted(latency for part in parts for latency in part["latencies"])
    statuses: dict[int, int] = {}
    for part in parts:
        for code, count in part["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    return {
        "requests": len(latencies),
        "rps": len(latencies) / sum(part["wall"] for part in parts),
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "statuses": statuses,
        "cpu": {key: sum(part["cpu"][key] for part in parts) * 1000 / len(latencies) for key in parts[0]["cpu"]},
    }


ENDPOINTS = [
    ("bare", "bare view: one INSERT"),
    ("action", "actions.submit only (bench view)"),
    ("api", "JSON API POST /api/v1/opinions"),
    ("web", "web form POST /s/<code>/opinion/"),
]


def bench_submissions(env, requests: int, concurrency: int, port: int, workers: int, rounds: int) -> dict:
    info = _child(env, "prepare-submit")
    # The product's limits, raised by configuration (one client address and one device cookie per thread here).
    env = env | RAISED_LIMITS
    # The server's log (a JSON line per request, as in production) goes to a file: a pipe nobody reads would fill up
    # and stop the workers.
    log = open(Path(tempfile.gettempdir()) / "bench-gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "bench.wsgi:application", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    stations, texts, category = info["stations"], info["texts"], info["category"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def body(kind: str, i: int, tag: str = "") -> tuple[str, bytes, dict]:
        station, text = stations[i % len(stations)], texts[i % len(texts)]
        token = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}{kind}-{i}"))
        if kind == "api":
            data = {"station": station, "category": category, "text": text, "consent": False}
            headers = {"Content-Type": "application/json", "Idempotency-Key": token}
            return "/api/v1/opinions", json.dumps(data).encode(), headers
        fields = {"category": category, "text": text, "client_token": token}
        if kind == "web":
            return f"/s/{station}/opinion/", urllib.parse.urlencode(fields).encode(), form
        path = {"bare": "/bench/bare/", "action": "/bench/submit/"}[kind]
        return path, urllib.parse.urlencode(fields | {"station": station, "token": token}).encode(), form

    results = {}
    try:
        _wait_for(port, server)
        sessions = [_form_session(port, f"/s/{stations[i % len(stations)]}/opinion/") for i in range(concurrency)]
        warm = max(50, requests // 20)
        for kind, _label in ENDPOINTS:  # warm-up: every worker has imported, connected and cached what it keeps
            _load(port, [body(kind, i, "warm-") for i in range(warm)], concurrency, _web(kind, sessions))
        # In rounds, every endpoint in turn: a machine whose speed drifts during the run (a shared VM) moves every
        # endpoint's figures alike instead of the one that happened to run at that moment.
        parts: dict[str, list] = {kind: [] for kind, _label in ENDPOINTS}
        per_round = requests // rounds
        for round_ in range(rounds):
            for kind, _label in ENDPOINTS:
                batch = [body(kind, warm + round_ * per_round + i) for i in range(per_round)]
                before = _cpu(server.pid)
                part = _load(port, batch, concurrency, _web(kind, sessions))
                after = _cpu(server.pid)
                parts[kind].append(part | {"cpu": {key: after[key] - before[key] for key in after}})
        results = {kind: _summary(kind_parts) for kind, kind_parts in parts.items()}
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    return results | {"check": _child(env, "check-submit")}


def _cpu(server_pid: int) -> dict:
    """CPU seconds used so far by the app (gunicorn's master and workers), PostgreSQL (every server process on this
    machine: the benchmark's connections and the background writers), Redis (when the limits count there) and this
    client, read from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    app = db = cache = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        pid, ppid, used = int(entry.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if pid == server_pid or ppid == server_pid:
            app += used
        elif name == "postgres":
            db += used
        elif name == "redis-server":
            cache += used
    client = os.times()
    return {"app": app, "db": db, "cache": cache, "client": client.user + client.system}


def _web(kind: str, sessions: list[dict]):
    if not kind.endswith("web"):
        return None
    return lambda index: sessions[index]


def report_submissions(result: dict, concurrency: int, workers: int) -> None:
    print(f"\n(a) submissions: gunicorn {workers} sync workers, {concurrency} client connections, 127.0.0.1")
    print("    CPU ms per request, from /proc: the app (gunicorn), PostgreSQL, Redis, this client")
    heads = f"{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  {'app':>5}{'db':>5}{'cache':>6}{'client':>7}"
    print(f"{'endpoint':<44}{heads}")
    for kind, label in ENDPOINTS:
        row = result[kind]
        statuses = ", ".join(f"{code}×{count}" for code, count in sorted(row["statuses"].items()))
        cpu = "".join(f"{row['cpu'][part]:>{width}.2f}" for part, width in (("app", 5), ("db", 5), ("cache", 6)))
        figures = f"{row['requests']:>9}{row['rps']:>9.1f}{row['p50']:>9.1f}{row['p99']:>9.1f}"
        print(f"{label:<44}{figures}  {cpu}{row['cpu']['client']:>7.2f}  {statuses}")
    bare = result["bare"]["rps"]
    for kind, label in ENDPOINTS[1:]:
        print(f"{label} / bare throughput: {result[kind]['rps'] / bare:.2f}  (target ≥ 0.6)")
    check = result["check"]
    print(f"rows written: {check['opinions']} opinions, {check['events']} events, {check['messages']} queued tasks")


def report_inbox(size: int, result: dict, runs: int) -> None:
    print(f"\n(b) inbox and search at {result['rows']:,} opinions (load {result['load_seconds']:.0f} s), {runs} runs")
    print(f"{'query':<58}{'p50 ms':>9}{'p95 ms':>9}{'rows':>7}")
    for name, row in result["timings"].items():
        print(f"{name:<58}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['rows']:>7}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4, help="submissions: in this many turns")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (2 × cores + 1)")
    parser.add_argument("--size", type=int, action="append", help="opinions for the inbox measurements (repeat)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--skip-submit", action="store_true")
    parser.add_argument("--skip-inbox", action="store_true", help="submissions only: no opinions grown")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    sizes = sorted(args.size or [1_000_000])
    url, drop = _database()
    env = _env(url)
    try:
        started = time.perf_counter()
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "load_demo", "--opinions", "0"], env)
        print(f"fresh database {url.rsplit('/', 1)[1]}: migrate + demo city in {time.perf_counter() - started:.0f} s")
        if not args.skip_submit:
            result = bench_submissions(env, args.requests, args.concurrency, args.port, args.workers, args.rounds)
            report_submissions(result, args.concurrency, args.workers)
        for size in sizes if not args.skip_inbox else []:
            grown = _child(env, "grow", str(size))
            result = _child(env, "measure", str(args.runs))
            report_inbox(size, result | {"load_seconds": grown.get("seconds", 0.0)}, args.runs)
    finally:
        if not args.keep:
            drop()


# ---------------------------------------------------------------------------------------------------------------
# The children: Django set up against the benchmark database


def child(argv: list[str]) -> None:
    import django

    django.setup()
    command, rest = argv[0], argv[1:]
    commands = {"prepare-submit": _prepare_submit, "check-submit": _check_submit, "grow": _grow, "measure": _measure}
    result = commands[command](*rest)
    print(json.dumps(result, ensure_ascii=False))


def _prepare_submit() -> dict:
    import random

    from django.db import connection

    from renda.demo import texts
    from renda.opinions.models import Category
    from renda.stations.models import Station

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, text text NOT NULL)")
    rng = random.Random(1)
    bodies = [rng.choice(topic[3]).format(place="春晖社区", road="人民路", n=5, time="晚上") for topic in texts.TOPICS]
    return {
        "stations": list(Station.objects.order_by("pk").values_list("public_code", flat=True)[:200]),
        "category": Category.objects.order_by("pk").first().pk,
        "texts": bodies,
    }


def _check_submit() -> dict:
    from django_tasks_db.models import DBTaskResult

    from renda.opinions.models import Event, Opinion

    return {
        "opinions": Opinion.objects.count(),
        "events": Event.objects.count(),
        "messages": DBTaskResult.objects.count(),
    }


def _texts(count: int):
    """Distinct opinion texts from the demo's templates, with their search_text."""
    import random

    from renda.demo.data import PLACE_STEMS
    from renda.demo.opinions import _text
    from renda.demo.texts import TOPICS
    from renda.opinions import search

    rng = random.Random(7)
    rows = []
    for i in range(count):
        place = rng.choice(PLACE_STEMS) + rng.choice(["社区", "村", "花园", "新村"])
        text = _text(rng, rng.choice(TOPICS), place)
        rows.append((i + 1, text, search.bigrams(text)))
    return rows


def _grow(size: str, days: str = "365") -> dict:
    """Add opinions with generate_series until the table holds `size` rows; secondary indexes rebuilt after.

    Spread evenly over the last `days` days; the newest 30 days' worth are open (submitted, forwarded, handling,
    unit replied; due 15 days after submission), older ones finished (final, closed, refused, merged; ~80% rated)."""
    from django.db import connection

    from renda.opinions.models import Category, Opinion
    from renda.people.models import Unit
    from renda.stations.models import Station

    size, days = int(size), int(days)
    open_tail = size * 30 // days
    started = time.perf_counter()
    have = Opinion.objects.count()
    if have >= size:
        return {}
    units: dict[str, list[int]] = {}
    for pk, code in Unit.objects.values_list("pk", "region__code"):
        units.setdefault(code[:6], []).append(pk)
    stations = list(Station.objects.order_by("pk").values_list("pk", "region_id", "region__code"))
    categories = list(Category.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("DROP TABLE IF EXISTS bench_st, bench_tx")
        cursor.execute("CREATE TEMP TABLE bench_st (idx int PRIMARY KEY, station_id int, region_id int, unit_id int)")
        cursor.executemany(
            "INSERT INTO bench_st VALUES (%s, %s, %s, %s)",
            [
                (i, pk, region, (units.get(code[:6]) or [None])[i % len(units.get(code[:6]) or [None])])
                for i, (pk, region, code) in enumerate(stations)
            ],
        )
        cursor.execute("CREATE TEMP TABLE bench_tx (idx int PRIMARY KEY, text text, search_text text, category_id int)")
        texts = _texts(5000)
        cursor.executemany(
            "INSERT INTO bench_tx VALUES (%s, %s, %s, %s)",
            [(i, text, st, categories[i % len(categories)]) for i, text, st in texts],
        )
        # Secondary indexes out of the way during the load (a restore does the same), rebuilt afterwards.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'opinions_opinion' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'opinions_opinion'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # skip FK triggers: rows are consistent by design
        n_st, n_tx = len(stations), len(texts)
        step = 1_000_000
        for first in range(have + 1, size + 1, step):
            last = min(size, first + step - 1)
            cursor.execute(
                f"""
                INSERT INTO opinions_opinion (tracking_code, station_id, region_id, category_id, text, place,
                    submitter_name, submitter_phone, consent, status, unit_id, refusal_reason, reopen_count, rating,
                    created, updated, due_at, search_text, public_id)
                SELECT 'B' || lpad(to_hex(g), 9, '0'), s.station_id, s.region_id, t.category_id, t.text, '',
                    '', '', false,
                    CASE WHEN g <= {size} - {open_tail} THEN
                            CASE WHEN g %% 100 < 4 THEN 'refused' WHEN g %% 100 < 6 THEN 'merged'
                                 WHEN g %% 100 < 14 THEN 'closed' ELSE 'final' END
                         WHEN g %% 100 < 30 THEN 'submitted' WHEN g %% 100 < 70 THEN 'forwarded'
                         WHEN g %% 100 < 80 THEN 'handling' ELSE 'unit_replied' END,
                    CASE WHEN g %% 100 BETWEEN 30 AND 60 OR g %% 100 > 70 THEN s.unit_id END, '', 0,
                    CASE WHEN g %% 100 > 20 AND g <= {size} - {open_tail} THEN 'satisfied'
                         WHEN g %% 100 BETWEEN 14 AND 20 AND g <= {size} - {open_tail} THEN 'dissatisfied'
                         ELSE '' END,
                    now() - ({size} - g) * (interval '{days} days' / {size}),
                    now() - ({size} - g) * (interval '{days} days' / {size}),
                    CASE WHEN g > {size} - {open_tail}
                         THEN now() - ({size} - g) * (interval '{days} days' / {size}) + interval '15 days' END,
                    t.search_text, lpad(g::text, 16, '0')
                FROM generate_series(%s::bigint, %s::bigint) AS g
                JOIN bench_st s ON s.idx = (g * 7919) %% {n_st}
                JOIN bench_tx t ON t.idx = 1 + (g * 104729) %% {n_tx}
                """,
                [first, last],
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE")  # the whole database: autovacuum would have analysed regions and stations too
    return {"seconds": time.perf_counter() - started}


def _measure(runs: str) -> dict:
    from django.db import connection, reset_queries

    from renda.accounts.models import User
    from renda.opinions import search
    from renda.opinions.access import opinions_for, scope_parts
    from renda.opinions.views import inbox_page

    runs = int(runs)

    def first_page(user, query=""):
        # as the inbox view reads it: the scope, its parts (merged when several), the search window
        return inbox_page(opinions_for(user), query=query, parts=scope_parts(user))[0]

    def capped_count(queryset):
        return queryset.order_by()[:1001].count()

    timings = {}

    def timed(name, func, repeat=None):
        func()  # warm-up
        samples, rows = [], 0
        for _ in range(repeat or runs):
            started = time.perf_counter()
            result = func()
            samples.append((time.perf_counter() - started) * 1000)
            rows = result if isinstance(result, int) else len(result)
            reset_queries()
        samples.sort()
        timings[name] = {
            "p50": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
            "rows": rows,
        }

    for username, label in USERS:
        user = User.objects.get(username=username)
        timed(f"inbox page 1, {label}", lambda u=user: first_page(u))
        timed(f"  capped count (≤1001), {label}", lambda u=user: capped_count(opinions_for(u)))
        for query in QUERIES:
            timed(
                f"  search {query!r} page 1, {label}",
                lambda u=user, q=query: first_page(u, q),
            )
            timed(
                f"  search {query!r} capped count, {label}",
                lambda u=user, q=query: search.capped_count(opinions_for(u), q, 1000),
                min(runs, 5),  # seconds each for a frequent term at 10 M: fewer runs
            )
    from renda.opinions.models import Opinion

    rows = Opinion.objects.count()
    connection.close()
    return {"timings": timings, "rows": rows}


if __name__ == "__main__":
    main()
