"""Suggestions benchmark: the office inbox, the unit inbox and the public reply search at 100,000 items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/suggestions.py [--size 100000]
        [--runs 30] [--keep]

PostgreSQL only. A fresh database "<name>_bench_suggestions" is created next to the one in DATABASE_URL (migrate +
the demo city with its demo suggestions) and dropped at the end (--keep keeps it). The demo items are copied with
bulk inserts up to --size, each with its lead-unit task, a third of them published; then the three pages are
requested through Django's test client in one process (whole request: middleware, scoping, query, template) as
city staff (苏州市), district staff (吴中区), the demo unit (unit.wzjs) and an anonymous visitor, filtered and not.
One warm-up, then --runs; p50 and p95 in milliseconds. See docs/performance.md.
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


def _run(argv, env) -> str:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench: {' '.join(map(str, argv))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        return child(*args.child)
    url, drop = fresh_postgres(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renda"),
                               "bench_suggestions", force=True)  # fmt: skip
    env = bench_env(url)
    try:
        started = time.perf_counter()
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "load_demo", "--opinions", "0", "--no-receptions"], env)
        print(f"migrate + demo city in {time.perf_counter() - started:.0f} s")
        out = _run([PYTHON, __file__, "--child", str(args.size), str(args.runs)], env)
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"{result['items']:,} items ({result['grow_seconds']:.0f} s to load); p50 / p95 ms over {args.runs} runs:"
        )
        for name, (p50, p95) in result["timings"].items():
            print(f"  {name:<55} {p50:7.1f} {p95:7.1f}")
    finally:
        if not args.keep:
            drop()


def _grow(size: int) -> float:
    from django.db import connection

    from renda.suggestions.models import Disclosure, Suggestion, UnitTask

    started = time.perf_counter()
    templates = list(Suggestion.objects.filter(lead_unit__isnull=False).order_by("pk"))
    fields = [f for f in Suggestion._meta.concrete_fields if f.name not in ("id", "number")]
    have = Suggestion.objects.count()
    batch, n = [], 0
    while have + n < size:
        base = templates[n % len(templates)]
        item = Suggestion(**{f.attname: getattr(base, f.attname) for f in fields})
        item.number = f"B{n:08d}"
        if n % 3 == 0:
            item.disclosure = Disclosure.PUBLISHED
            item.public_title, item.public_text, item.public_reply = base.title, base.text, "已办理。"
            item.published_at = base.created
        batch.append(item)
        n += 1
        if len(batch) == 5000:
            _flush(batch, UnitTask)
            batch = []
    if batch:
        _flush(batch, UnitTask)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _flush(batch, UnitTask):
    from renda.suggestions.models import Suggestion

    created = Suggestion.objects.bulk_create(batch)
    UnitTask.objects.bulk_create(
        UnitTask(suggestion_id=s.pk, unit_id=s.lead_unit_id, role="lead", due_at=s.due_at) for s in created
    )


def child(size, runs):
    import django

    django.setup()
    from django.test import Client

    from renda.accounts.models import User
    from renda.suggestions.models import Suggestion

    grow_seconds = _grow(int(size))
    clients = {}
    for username in ("suzhou", "wuzhong", "unit.wzjs"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    clients["anonymous"] = Client()
    year = Suggestion.objects.order_by("-year").values_list("year", flat=True).first()
    cases = [
        ("office inbox, city staff (苏州市)", "suzhou", "/staff/suggestions/"),
        ("office inbox, district staff (吴中区)", "wuzhong", "/staff/suggestions/"),
        ("office inbox, 吴中区, status=assigned", "wuzhong", "/staff/suggestions/?status=assigned"),
        ("office inbox, 吴中区, key items", "wuzhong", "/staff/suggestions/?key=on"),
        ("office inbox, 吴中区, overdue", "wuzhong", "/staff/suggestions/?overdue=on"),
        ("unit inbox (吴中区住房和城乡建设局)", "unit.wzjs", "/staff/suggestions/unit/"),
        ("public reply search", "anonymous", "/suggestions/public/"),
        (f"public reply search, year={year}", "anonymous", f"/suggestions/public/?year={year}"),
        # Words: a frequent one (the newest page fills at once) and one in no item (every published item is read).
        ("public reply search, q=停车", "anonymous", "/suggestions/public/?q=%E5%81%9C%E8%BD%A6"),
        ("public reply search, q=no such words", "anonymous", "/suggestions/public/?q=%E6%97%A0%E6%AD%A4%E8%AF%8D"),
    ]
    timings = {}
    for name, who, url in cases:
        client = clients[who]
        assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(int(runs)):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        timings[name] = (statistics.median(samples), samples[int(len(samples) * 0.95) - 1])
    print(json.dumps({"items": Suggestion.objects.count(), "grow_seconds": grow_seconds, "timings": timings}))


if __name__ == "__main__":
    main()
