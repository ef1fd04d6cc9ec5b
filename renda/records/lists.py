"""The office's lists: deputies by score and grade, those to talk with (约谈: no reception this year, or points below
a threshold), delegations, and their Excel export. One query per list whatever its length."""

from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q

from .access import office_deputies
from .models import Grade, Score


def scored_deputies(user, year: int, *, grade: str = "", region=None):
    """The office's deputies with their score of the year (none yet: no row), highest first."""
    deputies = office_deputies(user).filter(is_active=True)
    if region is not None:
        from renda.regions.models import path_range_q

        deputies = deputies.filter(path_range_q(region.path, "electoral_region__path"))
    scores = Score.objects.filter(year=year, deputy__in=deputies).select_related("deputy__electoral_region")
    if grade:
        scores = scores.filter(grade=grade)
    return scores.order_by("-total", "deputy__name", "id")


def attention(user, year: int, threshold: Decimal | None):
    """Deputies with no reception held this year, or whose points are below `threshold` (for 约谈)."""
    deputies = office_deputies(user).filter(is_active=True)
    received = Score.objects.filter(deputy=OuterRef("pk"), year=year, receptions__gt=0)
    q = ~Exists(received)
    if threshold is not None:
        q |= Exists(Score.objects.filter(deputy=OuterRef("pk"), year=year, total__lt=threshold))
    return (
        deputies.filter(q)
        .annotate(has_reception=Exists(received))
        .select_related("electoral_region")
        .order_by("electoral_region__path", "name", "id")
    )


def delegations(user, year: int):
    """Per delegation (代表团 / 代表小组): deputies, scored, average points, and how many in each grade."""
    deputies = office_deputies(user).filter(is_active=True)
    return (
        Score.objects.filter(year=year, deputy__in=deputies)
        .values("deputy__delegation")
        .annotate(
            scored=Count("id"),
            average=Avg("total"),
            good=Count("id", filter=Q(grade=Grade.GOOD)),
            fair=Count("id", filter=Q(grade=Grade.FAIR)),
            poor=Count("id", filter=Q(grade=Grade.POOR)),
        )
        .order_by("deputy__delegation")
    )
