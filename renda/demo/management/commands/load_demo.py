"""manage.py load_demo: the Suzhou demo at real scale (idempotent; see renda/demo/README.md)."""

import os

from django.core.management.base import BaseCommand, CommandError

from renda.demo.activities import load_demo_activities
from renda.demo.consultation import load_demo_consultation
from renda.demo.generate import load_demo
from renda.demo.jointmeetings import load_demo_joint_meetings
from renda.demo.opinions import DEFAULT_COUNT, load_demo_opinions
from renda.demo.projects import load_demo_projects
from renda.demo.receptions import load_demo_receptions
from renda.demo.records import load_demo_records
from renda.demo.suggestions import load_demo_suggestions
from renda.open311.actions import register_demo_key


class Command(BaseCommand):
    help = "Load the Suzhou demo data: regions, villages, stations, deputies, members, units and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply villages, stations, deputies and members (benchmarks)."
        )
        parser.add_argument(
            "--opinions",
            type=int,
            default=DEFAULT_COUNT,
            help="Demo opinions over the past year, written once (0: none; skipped if demo opinions exist).",
        )

        parser.add_argument(
            "--no-receptions",
            action="store_true",
            help="Leave out duty rosters and reception days (written once otherwise; see renda/demo/receptions.py).",
        )

    def handle(self, *args, scale, opinions, no_receptions=False, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        if opinions < 0:
            raise CommandError("--opinions must not be negative")
        summary = load_demo(scale=scale)
        for line in summary.lines():
            self.stdout.write(line)
        for line in load_demo_opinions(opinions).lines():
            self.stdout.write(line)
        if not no_receptions:
            for line in load_demo_receptions().lines():
                self.stdout.write(line)
        self.stdout.write("\n".join(load_demo_suggestions().lines()))
        self.stdout.write("\n".join(load_demo_projects().lines()))
        self.stdout.write("\n".join(load_demo_activities().lines()))
        self.stdout.write("\n".join(load_demo_joint_meetings().lines()))
        self.stdout.write("\n".join(load_demo_consultation().lines()))
        self.stdout.write("\n".join(load_demo_records().lines()))
        if os.environ.get("DEMO_OPEN311_API_KEY"):
            self.stdout.write(register_demo_key(os.environ["DEMO_OPEN311_API_KEY"]))
