"""Recompute performance records from their events: idempotent (only differences are written), safe to run as often
as wanted, e.g. every few minutes from cron or the task worker. Default: this year, every active deputy and member."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.people.models import Deputy, Member
from renda.regions.models import Region

from ...compute import refresh, refresh_region


class Command(BaseCommand):
    help = "Recompute performance records (lines, figures, scores) from the events of a year"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--region", default="", help="a region code: only its deputies and members")

    def handle(self, *args, year=None, region="", **options):
        year = year or timezone.localdate().year
        started = time.monotonic()
        if region:
            place = Region.objects.filter(code=region).first()
            if place is None:
                raise CommandError(f"no region with code {region}")
            stats = refresh_region(place, year)
        else:
            stats = refresh(year, Deputy.objects.filter(is_active=True), Member.objects.filter(is_active=True))
        seconds = time.monotonic() - started
        self.stdout.write(
            f"records {year}: {stats['created']} lines created, {stats['updated']} updated, "
            f"{stats['deleted']} deleted in {seconds:.2f} s"
        )
