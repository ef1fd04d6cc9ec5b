"""manage.py load_demo: the Suzhou demo at real scale (idempotent; see renda/demo/README.md)."""

from django.core.management.base import BaseCommand, CommandError

from renda.demo.generate import load_demo


class Command(BaseCommand):
    help = "Load the Suzhou demo data: regions, villages, stations, deputies, members, units and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply villages, stations, deputies and members (benchmarks)."
        )

    def handle(self, *args, scale, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        summary = load_demo(scale=scale)
        for line in summary.lines():
            self.stdout.write(line)
