"""The app's instructions per request for the bare insert, the JSON API and the web form, counted by valgrind.

Why: bench/opinions.py measures requests per second on a VM whose speed drifts by ±10% within minutes, so a change
worth a few percent of the app's work cannot be seen there. valgrind's callgrind counts the instructions a process
executes, which do not drift: the same code, data and requests give the same count (within a fraction of a percent).
It counts the app's side only (the Django process: middleware, view, validation, the driver's work); PostgreSQL's
side is in bench/opinions.py's "db" column.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_big .venv/bin/python bench/instructions.py [--requests 200]

Each endpoint runs in its own process under `valgrind --tool=callgrind --instr-atstart=no` (about 2 minutes each):
the process sets Django up and sends 300 requests uncounted (caches warm, statements prepared), turns counting on
with `callgrind_control -i on`, sends `--requests` requests through Django's test client, and turns it off. It writes
opinions into that database (`bench/big.py load --size 0` makes a scratch one, renda_big); no personal field is
written, so the bench's fresh encryption key does not matter.
"""

import argparse
import gc
import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENDPOINTS = ["bare", "api", "form"]
LABELS = {"bare": "bare view: one INSERT", "api": "JSON API POST /api/v1/opinions", "form": "web form POST /s/<code>/"}
WARM_UP = 300


def child(endpoint: str, requests: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from renda.opinions.models import Category
    from renda.stations.models import Station

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, text text NOT NULL)")
    stations = list(Station.objects.filter(is_active=True).order_by("pk").values_list("public_code", flat=True)[:200])
    category = Category.objects.filter(is_active=True).order_by("pk").first().pk
    text = "春晖社区5号楼希望加装电梯，老人上下楼不方便，请尽快协调。"
    client = Client(enforce_csrf_checks=endpoint == "form")
    csrf = ""
    if endpoint == "form":
        client.get(reverse("opinions_public:station_submit", args=[stations[0]]))
        csrf = client.cookies["csrftoken"].value

    def post(i: int):
        station = stations[i % len(stations)]
        if endpoint == "bare":
            return client.post("/bench/bare/", {"text": text})
        if endpoint == "api":
            body = {"station": station, "category": category, "text": text, "consent": False}
            return client.post(
                "/api/v1/opinions",
                json.dumps(body),
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
        fields = {"csrfmiddlewaretoken": csrf, "category": category, "text": text, "client_token": uuid.uuid4()}
        return client.post(reverse("opinions_public:station_submit", args=[station]), fields)

    for i in range(WARM_UP):
        assert post(i).status_code in (201, 302), f"{endpoint}: warm-up request {i} failed"
    # The warm-up's objects out of the garbage collector's way: a full collection walks every live object, and how
    # many fall inside the counted requests would otherwise move the figure with --requests.
    gc.collect()
    gc.freeze()
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
    time.sleep(1)  # callgrind reads its command file between basic blocks: let it see the switch
    statuses = {post(i).status_code for i in range(requests)}
    subprocess.run(["callgrind_control", "-i", "off", pid], check=True, capture_output=True)
    time.sleep(1)
    assert statuses <= {201, 302}, f"{endpoint}: answers {statuses}"


def count(endpoint: str, requests: int, out: Path) -> int:
    from bench.common import RAISED_LIMITS, bench_env

    env = bench_env(
        os.environ["DATABASE_URL"],
        DB_CONN_MAX_AGE="60",  # one connection for the run, as a gunicorn worker keeps it: its statements prepared
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONMALLOC="malloc",  # as valgrind's tools expect: glibc's malloc counted instead of pymalloc, for every run
        **RAISED_LIMITS,
    )
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
        sys.executable,
        __file__,
        "--child",
        endpoint,
        "--requests",
        str(requests),
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or found is None:
        sys.exit(f"{endpoint}: valgrind run failed\n{result.stderr[-3000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS), help="a comma-separated subset (bare first)")
    parser.add_argument("--child", choices=ENDPOINTS, help=argparse.SUPPRESS)
    parser.add_argument("--out", default="/tmp", help="where callgrind's files go (callgrind_annotate reads them)")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests)
        return
    endpoints = [name for name in ENDPOINTS if name in args.endpoints.split(",")]
    counts = {}
    for endpoint in endpoints:
        started = time.monotonic()
        total = count(endpoint, args.requests, Path(args.out) / f"callgrind.renda-{endpoint}.out")
        counts[endpoint] = total / args.requests
        print(f"  {endpoint}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    print(f"\napp instructions per request (valgrind callgrind, {args.requests} requests after {WARM_UP} uncounted)")
    print(f"{'endpoint':<36} {'M instr':>9} {'× bare':>7}")
    for endpoint in endpoints:
        ratio = f"{counts[endpoint] / counts['bare']:>7.2f}" if "bare" in counts else ""
        print(f"{LABELS[endpoint]:<36} {counts[endpoint] / 1e6:>9.2f} {ratio}")


if __name__ == "__main__":
    main()
