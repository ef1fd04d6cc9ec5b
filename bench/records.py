"""Performance records benchmark: a city's 2,700 deputies computed for a year (< 5 s), and one deputy's record page
with 10 years of history (< 50 ms p95), each beside a bare baseline.

    .venv/bin/python bench/records.py [--deputies 2700] [--runs 30]                 # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/records.py   # PostgreSQL

A fresh database (SQLite file in a temporary directory, or "<name>_bench_records" next to the PostgreSQL database
in DATABASE_URL, dropped at the end) is migrated, then filled with bulk inserts: one city, ten districts, a station
each, --deputies deputies, and for every deputy per year four reception duties (visitors on two, one absence), two
activity invitations, two opinions addressed to them (closed, one rated), one suggestion and one vote — 15 lines
a deputy a year. One deputy (the first) gets the same events for ten years.

Measured (median of --runs, p95 for pages):
- the city's year: `compute.refresh` of every deputy, first run (every line created) and again (idempotent: nothing
  written); baseline: reading the same event rows with bare `values_list` queries plus one bulk insert of as many
  rows into an empty table — the floor of any implementation that stores lines;
- one deputy's record page (staff record through the test client, whole request) for the current year with ten
  years of lines stored; baseline: a bare view answering "ok" to the same logged-in client.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, fresh_postgres  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deputies", type=int, default=2700)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    drop = None
    if url.startswith("postgres"):
        url, drop = fresh_postgres(url, "bench_records", force=True)
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/records.sqlite3"
    os.environ.update(bench_env(url, RECORDS_STALE_MINUTES="600"))
    try:
        run(args)
    finally:
        if drop:
            from django.db import connections

            connections.close_all()
            drop()


def at(year, month, day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def build(deputies: int, year: int):
    from renda.accounts.models import Grant, Role, User
    from renda.activities.models import Activity, Invitation, Kind
    from renda.opinions.models import Category, Opinion
    from renda.people.models import Deputy
    from renda.projects.models import RollEntry, Round, Session
    from renda.receptions.models import Duty, Reception, Visit
    from renda.regions.models import Region
    from renda.stations.models import Station
    from renda.suggestions.models import Category as SCategory
    from renda.suggestions.models import Suggestion

    province = Region.objects.create(code="320000000000", name="江苏省", kind="province")
    city = Region.objects.create(code="320500000000", name="苏州市", kind="city", parent=province)
    districts = [
        Region.objects.create(code=f"3205{i:02d}000000", name=f"区{i}", kind="district", parent=city)
        for i in range(1, 11)
    ]
    stations = [
        Station.objects.create(name=f"代表之家{i}", region=d, kind="home", public_code=f"S{i:05d}")
        for i, d in enumerate(districts)
    ]
    staff = User.objects.create_user("bench_staff", password="x")
    Grant.objects.create(user=staff, role=Role.CONGRESS_STAFF, region=city)
    people = Deputy.objects.bulk_create(
        Deputy(name=f"代表{i}", term=17, level="county", electoral_region=districts[i % 10], public_code=f"D{i:06d}")
        for i in range(deputies)
    )
    kind = Kind.objects.filter(is_active=True).exclude(code="meeting").first()
    category = Category.objects.first()
    scategory = SCategory.objects.filter(kind="congress").first()
    years = {people[0].pk: range(year - 9, year + 1)}
    for y in range(year - 9, year + 1):
        who = people if y == year else people[:1]
        receptions = Reception.objects.bulk_create(
            Reception(station=s, date=datetime.date(y, m, 5), starts=datetime.time(9), ends=datetime.time(11),
                      kind="one_off", status="scheduled")
            for s in stations for m in (2, 4, 6, 8)
        )  # fmt: skip
        by_station = {}
        for r in receptions:
            by_station.setdefault(r.station_id, []).append(r)
        duties = Duty.objects.bulk_create(
            Duty(reception=r, deputy=p, attendance="absent" if n == 3 else "attended")
            for p in who for n, r in enumerate(by_station[stations[p.electoral_region_id % 10].pk])
        )  # fmt: skip
        Visit.objects.bulk_create(Visit(reception_id=d.reception_id, duty=d, count=3) for d in duties[::2])
        activities = Activity.objects.bulk_create(
            Activity(region=city, kind=kind, title=f"视察{y}-{m}", starts_at=at(y, m, 9), ends_at=at(y, m, 9),
                     status="finished") for m in (3, 9)
        )  # fmt: skip
        Invitation.objects.bulk_create(
            Invitation(activity=a, deputy=p, attendance="present") for p in who for a in activities
        )
        Opinion.objects.bulk_create(
            Opinion(tracking_code=f"T{y % 100:02d}{p.pk:07d}{n}", public_id=f"P{y}{p.pk:07d}{n}", region=city,
                    category=category, text="x", deputy=p, status="final", closed_at=at(y, 5, 1),
                    due_at=at(y, 5, 9), rating="satisfied" if n else "")
            for p in who for n in range(2)
        )  # fmt: skip
        Opinion.objects.filter(tracking_code__startswith=f"T{y % 100:02d}").update(created=at(y, 4, 1))
        Suggestion.objects.bulk_create(
            Suggestion(kind="congress", number=f"{y}-{p.pk}", year=y, region=city, title="建议", category=scategory,
                       text="x", author=staff, submitter_name=p.name, deputy=p, status="registered",
                       created=at(y, 2, 1))
            for p in who
        )  # fmt: skip
        session = Session.objects.create(
            round=Round.objects.create(region=city, year=y, title=f"{y}民生实事", places=5),
            kind="vote",
            method="electronic",
            title="票决",
            starts_at=at(y, 1, 20),
            ends_at=at(y, 1, 20),
            status="published",
        )
        RollEntry.objects.bulk_create(RollEntry(session=session, deputy=p, present=True) for p in who)
    return staff, people[0], years


def run(args):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import path, reverse
    from django.utils import timezone

    from renda.people.models import Deputy
    from renda.receptions.models import Duty
    from renda.records.compute import refresh
    from renda.records.models import Line

    year = timezone.localdate().year
    started = time.perf_counter()
    staff, first, _years = build(args.deputies, year)
    print(f"{connection.vendor}: {args.deputies:,} deputies built in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:  # fresh bulk inserts: give the planner its statistics, as autovacuum would
        cursor.execute("ANALYZE")
    for y in range(year - 9, year):  # the first deputy's history
        refresh(y, Deputy.objects.filter(pk=first.pk))

    def city():
        return refresh(year, Deputy.objects.filter(is_active=True))

    t0 = time.perf_counter()
    stats = city()
    first_run = time.perf_counter() - t0
    again = []
    for _ in range(3):
        t0 = time.perf_counter()
        assert city() == {"created": 0, "updated": 0, "deleted": 0}
        again.append(time.perf_counter() - t0)
    lines = stats["created"]

    from django.db import transaction

    from renda.activities.models import Invitation
    from renda.opinions.models import Opinion
    from renda.projects.models import RollEntry
    from renda.suggestions.models import Suggestion

    t0 = time.perf_counter()
    with transaction.atomic():
        rows = len(Duty.objects.filter(reception__date__year=year).values_list("id", "deputy_id", "attendance"))
        rows += len(Invitation.objects.filter(activity__starts_at__year=year).values_list("id", "deputy_id"))
        rows += 2 * len(Opinion.objects.filter(closed_at__year=year).values_list("id", "deputy_id", "rating"))
        rows += len(Suggestion.objects.filter(year=year).values_list("id", "deputy_id"))
        rows += len(RollEntry.objects.filter(session__starts_at__year=year).values_list("id", "deputy_id"))
        Line.objects.bulk_create(
            (Line(deputy_id=first.pk, year=1900, kind="x", source="x", key=f"k{n}", date=datetime.date(1900, 1, 1),
                  label="x") for n in range(lines)),
            batch_size=2000,
        )  # fmt: skip
        transaction.set_rollback(True)
    bare_city = time.perf_counter() - t0

    # one deputy's page, ten years of history
    from renda import urls as root

    root.urlpatterns.append(path("bench-bare/", lambda request: HttpResponse("ok")))
    client = Client()
    client.force_login(staff)
    page_url = reverse("records:deputy", args=[first.pk]) + f"?year={year}"

    def timed(url):
        client.get(url)
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        samples.sort()
        return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]

    page = timed(page_url)
    bare = timed("/bench-bare/")
    history = Line.objects.filter(deputy=first).count()
    print(f"{'measurement':<58} {'value':>12} {'baseline':>12}")
    label = f"city year: {args.deputies:,} deputies, {lines:,} lines, first run"
    print(f"{label:<58} {first_run:>10.2f} s {bare_city:>10.2f} s")
    label = "city year again (idempotent, nothing written), median of 3"
    print(f"{label:<58} {statistics.median(again):>10.2f} s")
    print(f"{f'one deputy page ({history} lines over 10 years), p50 ms':<58} {page[0]:>12.1f} {bare[0]:>12.1f}")
    print(f"{'one deputy page, p95 ms':<58} {page[1]:>12.1f} {bare[1]:>12.1f}")


if __name__ == "__main__":
    main()
