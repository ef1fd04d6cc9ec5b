"""JSON API of performance records, mounted by renda/api under /api/v1/staff/records with its bearer-token auth:
the caller's own record (a deputy's or member's), and the office's list of scores. Same reads as the web
(access.py: outside scope nothing is listed)."""

from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema

from renda.accounts.scope import scope_for

from . import access, compute, lists

router = Router(tags=["records"])
LIMIT = 200


class LineOut(Schema):
    key: str
    date: str
    label: str
    detail: str
    link: str
    quantity: int


class KindOut(Schema):
    kind: str
    label: str
    count: int
    points: Decimal
    lines: list[LineOut]


class RecordOut(Schema):
    person: str
    name: str
    year: int
    points: Decimal | None
    grade: str
    kinds: list[KindOut]


class ScoreOut(Schema):
    deputy_id: int
    name: str
    region: str
    points: Decimal
    grade: str
    receptions: int


def _record(person, year) -> dict:
    score, kinds, _disputes = compute.breakdown(person, year)
    return {
        "person": f"{'deputy' if hasattr(person, 'electoral_region') else 'member'}/{person.public_code}",
        "name": person.name,
        "year": year,
        "points": score.total if score else None,
        "grade": score.grade if score else "",
        "kinds": [
            {
                "kind": k.kind,
                "label": k.label,
                "count": k.count,
                "points": k.points,
                "lines": [
                    {
                        "key": line.key,
                        "date": line.date.isoformat(),
                        "label": line.label,
                        "detail": line.detail,
                        "link": line.link,
                        "quantity": line.quantity,
                    }
                    for line in k.lines
                ],
            }
            for k in kinds
        ],
    }


@router.get("/mine", response=list[RecordOut], summary="My own performance record of a year (deputy or member)")
def mine(request, year: int | None = None):
    year = year or timezone.localdate().year
    scope = scope_for(request.user)
    people = [*access.record_deputies(request.user).filter(pk__in=scope.deputy_ids)]
    people += list(access.record_members(request.user).filter(pk__in=access.own_member_ids(request.user)))
    return [_record(person, year) for person in people]


@router.get("/office", response=list[ScoreOut], summary="The office's deputies by points in a year, highest first")
def office(request, year: int | None = None, grade: str = "", offset: int = 0):
    year = year or timezone.localdate().year
    scores = lists.scored_deputies(request.user, year, grade=grade)[max(offset, 0) : max(offset, 0) + LIMIT]
    return [
        {
            "deputy_id": s.deputy_id,
            "name": s.deputy.name,
            "region": s.deputy.electoral_region.name,
            "points": s.total,
            "grade": s.grade,
            "receptions": s.receptions,
        }
        for s in scores
    ]
