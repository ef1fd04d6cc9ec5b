"""The submission path in one process: statements per request (CaptureQueriesContext), time per request, and
optionally a cProfile of it — for the JSON API (`POST /api/v1/opinions`) and the web form (`POST /s/<code>/opinion/`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated database with the demo city> \\
    DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=testserver FIELD_ENCRYPTION_KEYS=<key> DB_CONN_MAX_AGE=60 \\
    LIMIT_SUBMIT_PER_IP_HOUR=1000000 LIMIT_SUBMIT_PER_DEVICE_HOUR=1000000 \\
        .venv/bin/python bench/profile_submit.py [--requests 200] [--profile]

It writes opinions into that database (use a scratch one: `bench/big.py load --size 0` makes one). The limits are
raised through their settings, as in bench/opinions.py; the web form is posted with its CSRF cookie and token.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from renda.opinions.models import Category
    from renda.stations.models import Station

    stations = list(Station.objects.filter(is_active=True).order_by("pk").values_list("public_code", flat=True)[:200])
    category = Category.objects.filter(is_active=True).order_by("pk").first().pk
    text = "春晖社区5号楼希望加装电梯，老人上下楼不方便，请尽快协调。"
    api, web = Client(), Client(enforce_csrf_checks=True)
    web.get(reverse("opinions_public:station_submit", args=[stations[0]]))
    csrf = web.cookies["csrftoken"].value

    def api_post(i):
        body = {"station": stations[i % len(stations)], "category": category, "text": text, "consent": False}
        key = str(uuid.uuid4())
        return api.post("/api/v1/opinions", json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)

    def web_post(i):
        url = reverse("opinions_public:station_submit", args=[stations[i % len(stations)]])
        fields = {"csrfmiddlewaretoken": csrf, "category": category, "text": text, "client_token": uuid.uuid4()}
        return web.post(url, fields)

    for name, post in [("JSON API", api_post), ("web form", web_post)]:
        for i in range(len(stations)):  # warm-up: every station once (what a process keeps, it has)
            assert post(i).status_code in (201, 302)
        with CaptureQueriesContext(connection) as captured:
            response = post(1)
        print(f"{name}: {response.status_code}, {len(captured.captured_queries)} statements")
        for query in captured.captured_queries:
            print(f"    {(query['sql'] or '(bound on the server)')[:110]}")
        started = time.perf_counter()
        for i in range(args.requests):
            post(i)
        print(f"{name}: {(time.perf_counter() - started) * 1000 / args.requests:.1f} ms per request in-process")
        if args.profile:
            # PROFILE_CPU=1: the process's CPU time rather than wall time (waits on PostgreSQL left out)
            timer = time.process_time if os.environ.get("PROFILE_CPU") else time.perf_counter
            profile = cProfile.Profile(timer)
            profile.enable()
            for i in range(args.requests):
                post(i)
            profile.disable()
            order, lines = os.environ.get("PROFILE_SORT", "tottime"), int(os.environ.get("PROFILE_LINES", "25"))
            pstats.Stats(profile).sort_stats(order).print_stats(lines)


if __name__ == "__main__":
    main()
