"""The demo's performance records: weight tables at the city for this year and last year (deputies and members),
every record computed for both years, a published annual report of last year and an open dispute for `deputy.demo`.

Idempotent: tables, report and dispute are found before they are made; the computation writes only differences.
"""

import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.people.models import Deputy, Member
from renda.records.compute import refresh
from renda.records.kinds import KINDS
from renda.records.models import Body, Dispute, Line, Report, Weight, WeightTable
from renda.records.workflow import DisputeState, ReportState
from renda.regions.models import Region, RegionKind

INTRODUCTION = "过去一年，我坚持到代表之家接待选民，参加视察和调研，围绕民生提出建议，认真办理群众意见。"


@dataclass
class Summary:
    tables: int = 0
    computed: int = 0
    seconds: float = 0.0
    skipped: str = ""

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"Demo records: {self.skipped}."]
        return [
            f"Demo records: {self.tables} weight tables, {self.computed} lines computed for two years, a published "
            f"report and a dispute for deputy.demo ({self.seconds:.1f} s)."
        ]


def _table(region, year, body) -> bool:
    table, created = WeightTable.objects.get_or_create(region=region, year=year, body=body)
    if created:
        Weight.objects.bulk_create(
            Weight(
                table=table,
                kind=kind.key,
                points=Decimal(kind.default_points),
                cap=Decimal(kind.default_cap) if kind.default_cap else None,
            )
            for kind in KINDS
        )
    return created


def load_demo_records() -> Summary:
    started = time.monotonic()
    summary = Summary()
    city = Region.objects.filter(kind=RegionKind.CITY).order_by("path").first()
    if city is None:
        summary.skipped = "no city"
        return summary
    year = timezone.localdate().year
    with transaction.atomic():
        for y in (year - 1, year):
            for body in Body.values:
                summary.tables += _table(city, y, body)
    deputies, members = Deputy.objects.filter(is_active=True), Member.objects.filter(is_active=True)
    for y in (year - 1, year):
        refresh(y, deputies, members)
    summary.computed = Line.objects.filter(year__gte=year - 1).count()
    user = User.objects.filter(username="deputy.demo").select_related("deputy").first()
    deputy = getattr(user, "deputy", None) if user else None
    if deputy is not None:
        with transaction.atomic():
            Report.objects.get_or_create(
                deputy=deputy,
                year=year - 1,
                kind="annual",
                defaults={
                    "first_year": year - 1,
                    "introduction": INTRODUCTION,
                    "status": ReportState.PUBLISHED,
                    "published_at": timezone.now(),
                },
            )
            line = Line.objects.filter(deputy=deputy, year=year).order_by("date", "id").first()
            if line is not None and not Dispute.objects.filter(deputy=deputy).exists():
                Dispute.objects.create(
                    deputy=deputy,
                    year=year,
                    line=line,
                    line_key=line.key,
                    line_label=line.label,
                    kind=line.kind,
                    text="这次接待当天我已请假，请核实。",
                    status=DisputeState.OPEN,
                    filed_by=user,
                )
    summary.seconds = time.monotonic() - started
    return summary
