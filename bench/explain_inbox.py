"""Server-side time of the inbox's SQL at 10 M opinions, beside bench/big.py's wall-clock figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_big DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=x \\
    FIELD_ENCRYPTION_KEYS=<bench/big.py's KEY> .venv/bin/python bench/explain_inbox.py [--runs 5]

For each demo role's inbox (first page, the searches 停车 and 加装电梯), the statements Django sends are captured and
run again under EXPLAIN ANALYZE; the median "Execution Time" of --runs is printed per statement. On a machine shared
with other work this separates the database's share from the Python process's wait for a core.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")

USERS = [("suzhou", "city"), ("wuzhong", "district"), ("keeper.mudu", "keeper"), ("deputy.demo", "deputy")]
USERS += [("unit.wzjs", "unit")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renda.accounts.models import User
    from renda.opinions.access import opinions_for, scope_parts
    from renda.opinions.views import inbox_page

    for username, label in USERS:
        user = User.objects.get(username=username)
        for query in ["", "停车", "加装电梯"]:
            opinions, parts = opinions_for(user), scope_parts(user)
            with CaptureQueriesContext(connection) as captured:
                inbox_page(opinions, query=query, parts=parts)
            times = []
            for sql in [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]:
                samples = []
                for _ in range(args.runs + 1):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                        samples.append(cursor.fetchone()[0][0]["Execution Time"])
                times.append(statistics.median(samples[1:]))
            shown = " + ".join(f"{t:.1f}" for t in times)
            print(f"{label:<10}{query or '(first page)':<14}{len(times)} statement(s): {shown} ms", flush=True)


if __name__ == "__main__":
    main()
