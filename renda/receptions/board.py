"""The live board of a reception day: who is expected and who has checked in, by district and town; visitors;
opinions by category; the latest check-ins.

A handful of GROUP BY queries, all limited to what the user may see (`campaign_receptions`), so a district's staff
looking at the city's day see their own stations only. Grouping uses the station's region path: the 12-digit codes
from the root concatenated, so the first 36 digits name the district (province · city · district) and the first 48
the town or street. A station registered directly at district level counts under the district itself.
Duties at cancelled receptions are not expected and do not count.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from renda.regions.models import CODE_LENGTH, Region

from .access import campaign_receptions
from .models import Campaign, Duty, ReceptionOpinion, Visit
from .workflow import Attendance, ReceptionStatus

DISTRICT_LENGTH = 3 * CODE_LENGTH
TOWN_LENGTH = 4 * CODE_LENGTH
LATEST = 10


@dataclass
class Row:
    path: str
    name: str = ""
    expected: int = 0
    attended: int = 0

    @property
    def rate(self) -> int | None:
        """Checked in, as a whole percentage of those expected."""
        return round(100 * self.attended / self.expected) if self.expected else None

    def add(self, expected: int, attended: int) -> None:
        self.expected += expected
        self.attended += attended


@dataclass
class District(Row):
    towns: list[Row] = field(default_factory=list)


@dataclass
class Board:
    total: Row
    districts: list[District]
    visitors: int
    visit_records: int
    opinions: int
    by_category: list[tuple[str, int]]
    latest: list[Duty]


def board_for(user, campaign: Campaign) -> Board:
    receptions = campaign_receptions(user, campaign).filter(status=ReceptionStatus.SCHEDULED)

    # 1. Expected and checked in per town (districts are sums of their towns). Grouped from the receptions, which
    # the campaign's index finds, so the duty table is joined once and not filtered through a second subquery.
    per_town = (
        receptions.annotate(town=Substr("station__region__path", 1, TOWN_LENGTH))
        .values("town")
        .annotate(expected=Count("duties"), attended=Count("duties", filter=Q(duties__attendance=Attendance.ATTENDED)))
        .filter(expected__gt=0)
        .order_by("town")
    )
    total = Row(path="")
    districts: dict[str, District] = {}
    for item in per_town:
        town = Row(path=item["town"], expected=item["expected"], attended=item["attended"])
        district = districts.setdefault(town.path[:DISTRICT_LENGTH], District(path=town.path[:DISTRICT_LENGTH]))
        district.towns.append(town)
        district.add(town.expected, town.attended)
        total.add(town.expected, town.attended)

    # 2. Their names, in one query.
    paths = set(districts) | {town.path for district in districts.values() for town in district.towns}
    names = dict(Region.objects.filter(path__in=paths).values_list("path", "name")) if paths else {}
    for district in districts.values():
        district.name = names.get(district.path, district.path)
        for town in district.towns:
            town.name = names.get(town.path, town.path)

    # 3. Visitors.
    visits = Visit.objects.filter(reception__in=receptions.values("pk")).aggregate(
        visitors=Sum("count"), records=Count("pk")
    )

    # 4. Opinions taken on visitors' behalf, by category.
    by_category = [
        (row["opinion__category__name"], row["n"])
        for row in ReceptionOpinion.objects.filter(campaign=campaign, reception__in=receptions.values("pk"))
        .values("opinion__category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "opinion__category__name")
    ]

    # 5. The latest check-ins: the ten ids first, so only ten rows are joined to their deputy and station.
    latest_ids = (
        Duty.objects.filter(reception__in=receptions.values("pk"), checked_in_at__isnull=False)
        .order_by("-checked_in_at", "-pk")
        .values("pk")[:LATEST]
    )
    latest = list(
        Duty.objects.filter(pk__in=latest_ids)
        .select_related("deputy", "reception__station")
        .order_by("-checked_in_at", "-pk")
    )
    return Board(
        total=total,
        districts=sorted(districts.values(), key=lambda d: d.path),
        visitors=visits["visitors"] or 0,
        visit_records=visits["records"],
        opinions=sum(n for _name, n in by_category),
        by_category=by_category,
        latest=latest,
    )
