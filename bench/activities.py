"""Activities benchmark: the city's activity list, a deputy's invitations / coming activities, their calendar page
and iCalendar feed at 100,000 activities and 1,000,000 invitations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python bench/activities.py [--size 100000]
        [--invitations 1000000] [--runs 30] [--keep]

PostgreSQL only. A fresh database "<name>_activities_bench" is created next to the one in DATABASE_URL (migrate + the
demo city with its demo activities) and dropped at the end (--keep keeps it). Activities are added with one
INSERT … SELECT over generate_series (spread over every region of the city and over three years around today), then
the invitations (ten deputies of the city each, deputy.demo among them about as often as anyone). The pages are
requested through Django's test client in one process (whole request: middleware, scoping, query, template); the
"bare" line of each is the page's list query alone (same queryset, no template, no middleware): the floor the page
stands on. One warm-up, then --runs; p50 and p95 in milliseconds. See docs/performance.md.
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
    parser.add_argument("--invitations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        return child(*args.child)
    url, drop = fresh_postgres(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renda"),
                               "activities_bench", force=True)  # fmt: skip
    env = bench_env(url)
    try:
        started = time.perf_counter()
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "createcachetable"], env)  # the calendar feed is cached, as deployed
        _run([PYTHON, "manage.py", "load_demo", "--opinions", "0", "--no-receptions"], env)
        print(f"migrate + demo city in {time.perf_counter() - started:.0f} s")
        out = _run([PYTHON, __file__, "--child", str(args.size), str(args.invitations), str(args.runs)], env)
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"{result['activities']:,} activities, {result['invitations']:,} invitations "
            f"({result['grow_seconds']:.0f} s to load); p50 / p95 ms over {args.runs} runs:"
        )
        for name, (p50, p95) in result["timings"].items():
            print(f"  {name:<62} {p50:7.1f} {p95:7.1f}")
    finally:
        if not args.keep:
            drop()


def _grow(size: int, invitations: int) -> float:
    from django.db import connection

    from renda.activities.models import Activity, Kind
    from renda.people.models import Deputy
    from renda.regions.models import Region

    started = time.perf_counter()
    regions = list(Region.objects.filter(path__startswith=Region.objects.get(code="320500000000").path).values_list(
        "pk", flat=True))  # fmt: skip
    kinds = list(Kind.objects.values_list("pk", flat=True))
    deputies = list(Deputy.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    from renda.activities.models import Invitation

    missing = max(0, size - Activity.objects.count())
    per = max(1, invitations // max(1, size)) if Invitation.objects.count() < invitations * 0.9 else 0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO activities_activity (region_id, body, kind_id, organiser_kind, delegation, title, theme, place,
                starts_at, ends_at, status, origin, is_public, findings, report, reject_reason, created, updated,
                version)
            SELECT (%(regions)s::bigint[])[1 + g %% %(nr)s], 'congress', (%(kinds)s::bigint[])[1 + g %% %(nk)s],
                'region', '', '活动 ' || g, '', '会议室',
                now() + ((g %% 1095) - 730) * interval '1 day' + (g %% 9) * interval '1 hour',
                now() + ((g %% 1095) - 730) * interval '1 day' + (g %% 9 + 2) * interval '1 hour',
                CASE WHEN g %% 1095 < 730 THEN 'finished' WHEN g %% 50 = 0 THEN 'draft' ELSE 'published' END,
                'planned', g %% 3 = 0, '', '', '', now(), now(), 1
            FROM generate_series(1, %(n)s) g
            """,
            {"regions": regions, "nr": len(regions), "kinds": kinds, "nk": len(kinds), "n": missing},
        )
        cursor.execute(
            """
            INSERT INTO activities_invitation (activity_id, deputy_id, answer, reason, attendance, created)
            SELECT a.id, (%(deputies)s::bigint[])[1 + ((a.id * 7919 + j * 104729) %% %(nd)s)],
                CASE WHEN j %% 5 = 0 THEN 'excused' WHEN a.status = 'finished' OR j %% 2 = 0 THEN 'attend'
                    ELSE 'pending' END,
                '', CASE WHEN a.status = 'finished' THEN 'present' ELSE 'unknown' END, now()
            FROM activities_activity a, generate_series(0, %(per)s - 1) j  -- none when they are there (--keep)
            ON CONFLICT DO NOTHING
            """,
            {"deputies": deputies, "nd": len(deputies), "per": per},
        )
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _time(fn, runs):
    fn()
    samples = []
    for _ in range(int(runs)):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def child(size, invitations, runs):
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from renda.accounts.models import User
    from renda.activities.access import organised_activities
    from renda.activities.models import Activity, Invitation, Status
    from renda.activities.views.my import PAST_LIMIT, UPCOMING_LIMIT, my_invitations
    from renda.activities.views.office import LIST_ONLY, page_of

    grow_seconds = _grow(int(size), int(invitations))
    users = {name: User.objects.get(username=name) for name in ("suzhou", "wuzhong", "deputy.demo")}
    clients = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        clients[name] = client

    def office_bare(user, **filters):
        queryset = organised_activities(user).filter(**filters).select_related("kind", "region", "campaign")
        return lambda: page_of(queryset.only(*LIST_ONLY))

    def deputy_bare(user):
        def run():
            now = timezone.now()
            invitations = my_invitations(user)
            list(invitations.filter(activity__ends_at__gte=now, activity__status=Status.PUBLISHED).order_by(
                "activity__starts_at", "activity_id")[:UPCOMING_LIMIT])  # fmt: skip
            list(invitations.filter(activity__ends_at__lt=now).order_by("-activity__starts_at", "-activity_id")[
                :PAST_LIMIT])  # fmt: skip

        return run

    def page(name, url):
        client = clients[name]
        assert client.get(url).status_code == 200, url
        return lambda: client.get(url)

    cases = [
        ("activity list, city staff (苏州市)", page("suzhou", "/staff/activities/"),
         office_bare(users["suzhou"])),
        ("activity list, district staff (吴中区)", page("wuzhong", "/staff/activities/"),
         office_bare(users["wuzhong"])),
        ("activity list, city staff, status=published", page("suzhou", "/staff/activities/?status=published"),
         office_bare(users["suzhou"], status="published")),
        ("activity list, city staff, 2nd page (keyset)", None, None),
        ("deputy.demo: my invitations and coming activities", page("deputy.demo", "/activities/"),
         deputy_bare(users["deputy.demo"])),
        ("reference under the same load: suggestions office inbox (苏州市)", page("suzhou", "/staff/suggestions/"),
         lambda: None),
    ]  # fmt: skip
    # The calendar (issue 14, item 5): deputy.demo's own calendar page and the iCalendar feed a phone reads, beside
    # the agenda assembled without a request (its queries alone).
    from datetime import timedelta

    from django.core.cache import cache

    from renda.calendars.actions import issue_feed
    from renda.calendars.agenda import person_entries

    token = issue_feed(users["deputy.demo"], users["deputy.demo"].deputy.electoral_region)
    today = timezone.localdate()
    feed_days = (today - timedelta(days=settings.CALENDAR_FEED_PAST_DAYS),
                 today + timedelta(days=settings.CALENDAR_FEED_FUTURE_DAYS))  # fmt: skip
    anonymous = Client()
    feed_url = f"/calendar/feed/{token}.ics"
    cases += [
        ("deputy.demo: my calendar page", page("deputy.demo", "/calendar/"),
         lambda: person_entries(users["deputy.demo"], today, today + timedelta(days=31))),
        ("deputy.demo: iCalendar feed, rendered (first poll)", lambda: (cache.clear(), anonymous.get(feed_url)),
         lambda: person_entries(users["deputy.demo"], *feed_days)),
        ("deputy.demo: iCalendar feed, kept (next polls within the cache window)", lambda: anonymous.get(feed_url),
         lambda: None),
    ]  # fmt: skip
    assert anonymous.get(f"/calendar/feed/{token}.ics").status_code == 200
    first = page_of(organised_activities(users["suzhou"]))[1]
    cases[3] = (cases[3][0], page("suzhou", f"/staff/activities/?after={first}"), office_bare(users["suzhou"]))
    timings = {}
    for name, full, bare in cases:
        timings[name] = _time(full, runs)
        timings["  bare: its list query alone"] = _time(bare, runs)
        timings = {**timings}
        timings[f"  {name} (bare)"] = timings.pop("  bare: its list query alone")
    mine = Invitation.objects.filter(deputy__user=users["deputy.demo"]).count()
    timings[f"(deputy.demo has {mine} invitations; page size {settings.PAGE_SIZE})"] = (0.0, 0.0)
    print(json.dumps({"activities": Activity.objects.count(), "invitations": Invitation.objects.count(),
                      "grow_seconds": grow_seconds, "timings": timings}))  # fmt: skip


if __name__ == "__main__":
    main()
