"""Livelihood projects benchmark: 1,000 deputies casting electronic ballots at once, the tally, the public round page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/projects.py \
        [--deputies 1000] [--candidates 100] [--workers 4] [--runs 30] [--keep]

PostgreSQL only. A fresh database "<name>_bench_projects" (UTF-8, template0) is created next to the one in
DATABASE_URL and dropped at the end (--keep keeps it); the database in DATABASE_URL itself is never touched.

(a) Casting: a round in voting with --candidates candidates (10 places) and --deputies deputies on the roll, all
    present, each with an API token. gunicorn (--workers sync workers, the product's own WSGI app) on 127.0.0.1; one
    client thread per deputy, all released together by a barrier, each POSTing its ballot to
    /api/v1/staff/projects/sessions/<id>/cast; a tenth of them send the same ballot a second time at the same
    moment from a second thread (a double tap on two phones). Then the database: ballots, receipts and roll entries
    marked voted must all equal the number of deputies (0 lost, 0 double); every second cast must be a 409 "twice".
(b) Tally: closing the vote (rewriting the ballots in random order and counting them into the tallies, in one
    transaction) and reading the count record (votes per candidate and option), timed in a Django process.
(c) The public round page with --candidates projects and their results, through Django's test client: p50/p95.
See docs/performance.md for figures.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, fresh_postgres  # noqa: E402

PYTHON = sys.executable
PLACES = 10


def _run(argv, env) -> str:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench: {' '.join(map(str, argv))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _child(env, *args) -> dict:
    out = _run([PYTHON, __file__, "--child", *args], env)
    return json.loads(out.strip().splitlines()[-1])


def _wait_for(port: int, server) -> None:
    for _ in range(300):
        if server.poll() is not None:
            server.log.seek(0)
            sys.exit("bench: gunicorn did not start:\n" + server.log.read().decode())
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/api/v1/projects/rounds")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("bench: gunicorn did not answer")


def _percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def bench_casting(env, info, workers: int, port: int) -> dict:
    # A file, not a pipe: the workers log every request to stderr, and a pipe nobody reads fills (64 KB) and blocks
    # them in write() — which stalled every burst of more than ~200 casts.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "renda.wsgi:application",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    server.log = log
    jobs = [(token, ballot) for token, ballot in zip(info["tokens"], info["ballots"], strict=True)]
    jobs += jobs[: len(jobs) // 10]  # the double taps
    latencies, statuses, codes = [], {}, {}
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs))
    path = f"/api/v1/staff/projects/sessions/{info['session']}/cast"

    def phone(token, ballot):
        body = json.dumps({"choices": ballot, "secret": os.urandom(16).hex()})
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        barrier.wait()
        started = time.perf_counter()
        for attempt in range(5):  # a refused connection (full backlog) is retried, as a phone would
            try:
                connection = HTTPConnection("127.0.0.1", port, timeout=120)
                connection.request("POST", path, body, headers)
                response = connection.getresponse()
                payload = json.loads(response.read() or b"{}")
                connection.close()
                break
            except OSError:
                time.sleep(0.2 * (attempt + 1))
        else:
            payload, response = {"code": "connection"}, None
        elapsed = time.perf_counter() - started
        status = response.status if response is not None else 0
        with lock:
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 201:
                codes[payload.get("code")] = codes.get(payload.get("code"), 0) + 1

    try:
        _wait_for(port, server)
        threads = [threading.Thread(target=phone, args=job) for job in jobs]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still holding a kept-alive connection: not worth waiting for
            server.kill()
            server.wait()
    return {
        "requests": len(latencies),
        "wall": wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": _percentile(latencies, 0.99) * 1000,
        "max": max(latencies) * 1000,
        "statuses": statuses,
        "codes": codes,
        "check": _child(env, "check", str(info["session"])),
    }


# ---------------------------------------------------------------------------------------------------------------
# The child: Django set up against the bench database


def _setup():
    import django

    django.setup()


def child_prepare(deputies: int, candidates: int) -> dict:
    import datetime
    import random
    from decimal import Decimal

    from django.utils import timezone

    from renda.accounts.models import Grant, Role, User
    from renda.api.actions import create_token
    from renda.people.models import Deputy, DeputyLevel, Unit
    from renda.projects.actions import sessions
    from renda.projects.models import Method, Project, Round, RoundPhase, SessionKind
    from renda.projects.phases import DATED, Phase
    from renda.projects.phases import Role as R
    from renda.regions.models import Region, RegionKind

    province = Region.objects.create(code="320000000000", name="江苏省", kind=RegionKind.PROVINCE)
    city = Region.objects.create(code="320500000000", name="苏州市", kind=RegionKind.CITY, parent=province)
    district = Region.objects.create(code="320506000000", name="吴中区", kind=RegionKind.DISTRICT, parent=city)
    staff = User.objects.create_user(username="bench_staff")
    Grant.objects.create(user=staff, role=Role.CONGRESS_STAFF, region=district)
    unit = Unit.objects.create(name="吴中区住房和城乡建设局", region=district)
    people = Deputy.objects.bulk_create(
        Deputy(name=f"代表{n}", term=17, level=DeputyLevel.COUNTY, electoral_region=district, public_code=f"B{n:05d}")
        for n in range(deputies)
    )
    users = User.objects.bulk_create(User(username=f"bench_deputy_{n}", password="!") for n in range(deputies))
    Grant.objects.bulk_create(Grant(user=u, role=Role.DEPUTY, deputy=d) for u, d in zip(users, people, strict=True))
    for deputy, user in zip(people, users, strict=True):
        deputy.user = user
    Deputy.objects.bulk_update(people, ["user"])
    tokens = [create_token(user, "bench")[1] for user in users]
    today = timezone.localdate()
    round_ = Round.objects.create(
        region=district,
        year=today.year,
        title="基准测试民生实事",
        places=PLACES,
        phase=Phase.VOTING,
        candidates_published_at=timezone.now(),
    )
    day = today - datetime.timedelta(days=60)
    for phase in DATED:
        RoundPhase.objects.create(round=round_, phase=phase, starts=day, ends=day + datetime.timedelta(days=9))
        day += datetime.timedelta(days=10)
    projects = Project.objects.bulk_create(
        Project(
            round=round_,
            number=n + 1,
            title=f"项目{n + 1}",
            description="基准测试",
            budget=Decimal(100),
            lead_unit=unit,
            timeline="年内",
        )
        for n in range(candidates)
    )
    now = timezone.now()
    roles = {R.STAFF, R.PUBLIC}
    session = sessions.prepare_session(
        staff,
        round_,
        roles,
        kind=SessionKind.VOTE,
        method=Method.ELECTRONIC,
        title="基准测试会议",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=6),
        scrutineers=[people[0]],
        counters=["计票员"],
    )
    sessions.open_session(staff, session, roles)
    sessions.record_presence(staff, session, roles, [d.pk for d in people])
    sessions.start_voting(staff, session, roles)
    rng = random.Random(2026)
    ballots = []
    for _ in people:
        chosen = set(rng.sample(range(candidates), PLACES))
        ballots.append(
            {str(p.pk): "for" if n in chosen else rng.choice(["against", "abstain"]) for n, p in enumerate(projects)}
        )
    return {"session": session.pk, "round": round_.pk, "tokens": tokens, "ballots": ballots}


def child_check(session_pk: int) -> dict:
    from renda.projects.models import Ballot, Receipt, RollEntry

    return {
        "ballots": Ballot.objects.filter(session_id=session_pk).count(),
        "receipts": Receipt.objects.filter(session_id=session_pk).count(),
        "voted": RollEntry.objects.filter(session_id=session_pk, voted=True).count(),
        "roll": RollEntry.objects.filter(session_id=session_pk).count(),
    }


def child_tally(session_pk: int, runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from renda.projects.actions import sessions
    from renda.projects.counting import count_record, tally_ballots
    from renda.projects.models import Result, Session
    from renda.projects.phases import Role as R

    staff = get_user_model().objects.get(username="bench_staff")
    session = Session.objects.select_related("round__region").get(pk=session_pk)
    started = time.perf_counter()
    sessions.close_voting(staff, session, {R.STAFF, R.PUBLIC})
    close_ms = (time.perf_counter() - started) * 1000
    session = Session.objects.get(pk=session_pk)
    recount_ms = []
    for _ in range(runs + 1):  # the tally closing the vote does: every ballot's choices counted in the database
        started = time.perf_counter()
        votes_counted = sum(tally_ballots(session).values())
        recount_ms.append((time.perf_counter() - started) * 1000)
    recount_ms = recount_ms[1:]
    record_ms = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        record = count_record(session)
        record_ms.append((time.perf_counter() - started) * 1000)
    record_ms = record_ms[1:]
    # Results on the page, as after publication.
    votes = {project.pk: v["for"] for project, v in record.lines}
    ranked = sorted(votes, key=lambda pk: -votes[pk])
    for project, _v in record.lines:
        project.result = Result.ELECTED if project.pk in ranked[:PLACES] else Result.NOT_ELECTED
        project.votes_for = votes[project.pk]
        project.save(update_fields=["result", "votes_for"])
    client = Client()
    url = f"/projects/{session.round_id}/"
    from django.core.cache import cache

    def timed(clear: bool) -> list[float]:
        times = []
        for _ in range(runs + 1):
            if clear:
                cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        return times[1:]

    cold_ms = timed(True)  # the projects fragment rendered every time (after each change of the round)
    page_ms = timed(False)  # the fragment from the cache (until the round's next event)
    return {
        "close_ms": close_ms,
        "votes_counted": votes_counted,
        "recount_p50": statistics.median(recount_ms),
        "recount_p95": _percentile(recount_ms, 0.95),
        "record_p50": statistics.median(record_ms),
        "record_p95": _percentile(record_ms, 0.95),
        "cold_p50": statistics.median(cold_ms),
        "cold_p95": _percentile(cold_ms, 0.95),
        "page_p50": statistics.median(page_ms),
        "page_p95": _percentile(page_ms, 0.95),
        "lines": len(record.lines),
        "valid": record.valid,
        "for_total": sum(votes.values()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deputies", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--port", type=int, default=8738)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        _setup()
        kind, *rest = args.child
        if kind == "prepare":
            result = child_prepare(int(rest[0]), int(rest[1]))
        elif kind == "check":
            result = child_check(int(rest[0]))
        else:
            result = child_tally(int(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return
    url, drop = fresh_postgres(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renda"), "bench_projects", force=True
    )
    env = bench_env(url, DB_CONN_MAX_AGE="60")
    try:
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        _run([PYTHON, "manage.py", "createcachetable"], env)  # the production cache is the database's by default
        info = _child(env, "prepare", str(args.deputies), str(args.candidates))
        cast = bench_casting(env, info, args.workers, args.port)
        tally = _child(env, "tally", str(info["session"]), str(args.runs))
    finally:
        if not args.keep:
            drop()
    check = cast["check"]
    print(
        f"\n(a) casting: {args.deputies} deputies at once (+{args.deputies // 10} double taps), gunicorn "
        f"{args.workers} sync workers, PostgreSQL, 127.0.0.1"
    )
    statuses = ", ".join(f"{code}×{n}" for code, n in sorted(cast["statuses"].items()))
    print(
        f"requests {cast['requests']}, wall {cast['wall']:.1f} s, p50 {cast['p50']:.0f} ms, "
        f"p99 {cast['p99']:.0f} ms, max {cast['max']:.0f} ms; statuses {statuses}; refusals {cast['codes']}"
    )
    lost = args.deputies - check["ballots"]
    double = check["ballots"] - check["voted"]
    print(
        f"ballots {check['ballots']}, receipts {check['receipts']}, roll voted {check['voted']} of "
        f"{check['roll']}: lost {lost}, double {double}"
    )
    print(f"\n(b) tally of {tally['lines']} candidates × {tally['valid']} ballots")
    print(f"close voting (shuffle + count, one transaction): {tally['close_ms']:.0f} ms")
    print(
        f"tally of the ballots (counted in the database): p50 {tally['recount_p50']:.1f} ms, "
        f"p95 {tally['recount_p95']:.1f} ms"
    )
    print(f"count record: p50 {tally['record_p50']:.1f} ms, p95 {tally['record_p95']:.1f} ms")
    print(
        f"\n(c) public round page with {tally['lines']} projects: fragment cached p50 {tally['page_p50']:.1f} ms, "
        f"p95 {tally['page_p95']:.1f} ms; rendered afresh p50 {tally['cold_p50']:.1f} ms, "
        f"p95 {tally['cold_p95']:.1f} ms"
    )


if __name__ == "__main__":
    main()
