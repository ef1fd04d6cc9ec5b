"""Computing records: lines from the sources, then figures and scores, stored per person, year and kind.

`refresh(year, deputies, members)` is idempotent: it compares what the sources yield with what is stored and writes
only the difference (new lines created, changed ones updated, vanished ones deleted), then the figures and scores of
the same people. A city's 2,700 deputies take one pass per source (bench/records.py); one person's refresh is the
same code with a one-person queryset.

Points: for each kind, count × the table's points, held within the cap (a deduction within −cap); lines taken out by
an accepted dispute count nothing. The table is the one of the nearest region at or above the person's own for the
year and body; no table, no points and no grade (the figures are still stored).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from renda.people.models import Deputy, Member

from .kinds import ORDER, RECEPTION_KINDS
from .models import Body, Dispute, Figure, Line, Score, WeightTable
from .sources import DEPUTY, MEMBER, People, collect
from .workflow import DisputeState

LINE_FIELDS = ("kind", "source", "date", "label", "detail", "link", "quantity")
BATCH = 2000
ZERO = Decimal("0")


def person_key(person) -> tuple[str, int]:
    return (DEPUTY if isinstance(person, Deputy) else MEMBER, person.pk)


def person_filter(person) -> dict:
    return {"deputy": person} if isinstance(person, Deputy) else {"member": person}


def _people_q(people: People) -> Q:
    return Q(deputy__in=people.deputies) | Q(member__in=people.members)


def _key_of(row) -> tuple[str, int]:
    return (DEPUTY, row["deputy_id"]) if row["deputy_id"] else (MEMBER, row["member_id"])


def _fk(person: tuple[str, int]) -> dict:
    return {"deputy_id": person[1]} if person[0] == DEPUTY else {"member_id": person[1]}


def fast_insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Many plain rows in few statements: the ORM's bulk_create prepares every value of every row through the field
    machinery, which was most of a city's first computation (bench/records.py). PostgreSQL gets one array per
    column through `unnest` (a long VALUES list costs the driver more to parse than the server to insert); SQLite,
    where statements are in-process, `executemany`."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [model._meta.get_field(name).db_type(connection) for name in fields]
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT * FROM unnest({arrays})"  # noqa: S608
            for start in range(0, len(rows), 10 * BATCH):
                cursor.execute(sql, [list(column) for column in zip(*rows[start : start + 10 * BATCH], strict=True)])
        else:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(head + one, rows[start : start + BATCH])


# weights ------------------------------------------------------------------------------------------------------------


@dataclass
class Table:
    table: WeightTable
    weights: dict = field(default_factory=dict)  # kind → (points, cap)


def tables_for_year(year: int) -> dict[tuple[str, str], Table]:
    """(body, region path) → the table with its weights."""
    found = {}
    for table in WeightTable.objects.filter(year=year).select_related("region").prefetch_related("weights"):
        found[(table.body, table.region.path)] = Table(table, {w.kind: (w.points, w.cap) for w in table.weights.all()})
    return found


def table_for(tables, body: str, path: str) -> Table | None:
    """The nearest table at or above `path` (paths are 12 characters a level)."""
    for end in range(len(path), 0, -12):
        table = tables.get((body, path[:end]))
        if table is not None:
            return table
    return None


def kind_points(weights: dict, kind: str, count: int) -> Decimal:
    points, cap = weights.get(kind, (ZERO, None))
    value = points * count
    if cap is not None:
        value = min(value, cap) if value >= 0 else max(value, -cap)
    return value


# refresh ------------------------------------------------------------------------------------------------------------


def refresh(year: int, deputies=None, members=None) -> dict:
    """Recompute the records of these people for `year`; returns how many rows were created, updated, deleted."""
    deputies = Deputy.objects.none() if deputies is None else deputies
    members = Member.objects.none() if members is None else members
    people = People(deputies, members)
    new = collect(people, year)
    stats = {"created": 0, "updated": 0, "deleted": 0}
    with transaction.atomic():
        existing = {}
        for row in Line.objects.filter(_people_q(people), year=year).values(
            "id", "deputy_id", "member_id", "key", *LINE_FIELDS
        ):
            existing[(_key_of(row), row["key"])] = row
        create, update, seen = [], [], set()
        adapt = connection.ops.adapt_datefield_value
        for person, lines in new.items():
            deputy_id, member_id = (person[1], None) if person[0] == DEPUTY else (None, person[1])
            for key, data in lines.items():
                seen.add((person, key))
                values = {name: getattr(data, name) for name in LINE_FIELDS}
                row = existing.get((person, key))
                if row is None:
                    create.append(
                        (deputy_id, member_id, year, key, data.kind, data.source, adapt(data.date), data.label,
                         data.detail, data.link, data.quantity)
                    )  # fmt: skip
                elif any(row[name] != values[name] for name in LINE_FIELDS):
                    update.append(Line(id=row["id"], **values))
        gone = [row["id"] for identity, row in existing.items() if identity not in seen]
        fast_insert(Line, ["deputy", "member", "year", "key", *LINE_FIELDS], create)
        if update:
            Line.objects.bulk_update(update, LINE_FIELDS, batch_size=BATCH)
        for start in range(0, len(gone), BATCH):
            Line.objects.filter(id__in=gone[start : start + BATCH]).delete()
        stats.update(created=len(create), updated=len(update), deleted=len(gone))
        _figures_and_scores(people, year, new)
    return stats


def _figures_and_scores(people: People, year: int, new: dict) -> None:
    struck = defaultdict(set)  # person → keys taken out by an accepted dispute
    for row in Dispute.objects.filter(_people_q(people), year=year, status=DisputeState.ACCEPTED).values(
        "deputy_id", "member_id", "line_key"
    ):
        struck[_key_of(row)].add(row["line_key"])
    tables = tables_for_year(year)
    paths = {}
    for pk, path, region_id in people.deputies.values_list("pk", "electoral_region__path", "electoral_region_id"):
        paths[(DEPUTY, pk)] = (Body.CONGRESS, path, region_id)
    for pk, path, region_id in people.members.values_list("pk", "region__path", "region_id"):
        paths[(MEMBER, pk)] = (Body.CPPCC, path, region_id)

    figures, scores = {}, {}
    now = timezone.now()
    for person, (body, path, region_id) in paths.items():
        counts = defaultdict(lambda: [0, 0])  # kind → [count, quantity] of counted lines
        all_counts = defaultdict(lambda: [0, 0])
        for line in new.get(person, {}).values():
            all_counts[line.kind][0] += 1
            all_counts[line.kind][1] += line.quantity
            if line.key not in struck[person]:
                counts[line.kind][0] += 1
        table = table_for(tables, body, path)
        weights = table.weights if table else {}
        total = ZERO
        for kind, (count, quantity) in all_counts.items():
            points = kind_points(weights, kind, counts[kind][0])
            total += points
            figures[(person, kind)] = (count, quantity, points)
        lines = sum(count for count, _q in all_counts.values())
        received = sum(all_counts[kind][0] for kind in RECEPTION_KINDS)
        scores[person] = (
            region_id,
            table.table.pk if table else None,
            total,
            table.table.grade_for(total) if table else "",
            lines,
            received,
        )

    existing = {}
    for row in Figure.objects.filter(_people_q(people), year=year).values(
        "id", "deputy_id", "member_id", "kind", "count", "quantity", "points"
    ):
        existing[(_key_of(row), row["kind"])] = row
    create, update = [], []
    adapt = connection.ops.adapt_decimalfield_value
    for (person, kind), (count, quantity, points) in figures.items():
        row = existing.pop((person, kind), None)
        if row is None:
            deputy_id, member_id = (person[1], None) if person[0] == DEPUTY else (None, person[1])
            create.append((deputy_id, member_id, year, kind, count, quantity, adapt(points, 8, 2)))
        elif (row["count"], row["quantity"], row["points"]) != (count, quantity, points):
            update.append(Figure(id=row["id"], count=count, quantity=quantity, points=points))
    fast_insert(Figure, ["deputy", "member", "year", "kind", "count", "quantity", "points"], create)
    if update:
        Figure.objects.bulk_update(update, ["count", "quantity", "points"], batch_size=BATCH)
    gone = [row["id"] for row in existing.values()]
    for start in range(0, len(gone), BATCH):
        Figure.objects.filter(id__in=gone[start : start + BATCH]).delete()

    existing = {}
    for row in Score.objects.filter(_people_q(people), year=year).values(
        "id", "deputy_id", "member_id", "region_id", "table_id", "total", "grade", "lines", "receptions"
    ):
        existing[_key_of(row)] = row
    create, update = [], []
    names = ("region_id", "table_id", "total", "grade", "lines", "receptions")
    for person, values in scores.items():
        row = existing.get(person)
        fields = dict(zip(names, values, strict=True))
        if row is None:
            create.append(Score(year=year, computed_at=now, **fields, **_fk(person)))
        elif any(row[name] != fields[name] for name in names):
            update.append(Score(id=row["id"], computed_at=now, **fields))
    Score.objects.bulk_create(create, batch_size=BATCH)
    if update:
        Score.objects.bulk_update(update, [*names, "computed_at"], batch_size=BATCH)


def refresh_person(person, year: int) -> dict:
    if isinstance(person, Deputy):
        return refresh(year, deputies=Deputy.objects.filter(pk=person.pk))
    return refresh(year, members=Member.objects.filter(pk=person.pk))


def refresh_region(region, year: int) -> dict:
    """Every active deputy elected and every active member sitting in `region`'s subtree."""
    deputies = Deputy.objects.filter(is_active=True).filter(region_path_q(region, "electoral_region__path"))
    members = Member.objects.filter(is_active=True).filter(region_path_q(region, "region__path"))
    return refresh(year, deputies=deputies, members=members)


def region_path_q(region, field_name: str) -> Q:
    from renda.regions.models import path_range_q

    return path_range_q(region.path, field_name)


# reading ------------------------------------------------------------------------------------------------------------


@dataclass
class KindBreakdown:
    kind: str
    label: str
    count: int
    quantity: int
    points: Decimal
    weight: Decimal | None
    cap: Decimal | None
    lines: list


def breakdown(person, year: int):
    """(score or None, [KindBreakdown …] in catalogue order, {line key: dispute}) — the score down to the events."""
    from .kinds import label

    where = person_filter(person)
    score = Score.objects.filter(year=year, **where).select_related("table__region").first()
    weights = {}
    if score and score.table_id:
        weights = {w.kind: (w.points, w.cap) for w in score.table.weights.all()}
    figures = {f.kind: f for f in Figure.objects.filter(year=year, **where)}
    lines = defaultdict(list)
    for line in Line.objects.filter(year=year, **where).order_by("-date", "-id"):
        lines[line.kind].append(line)
    disputes = {}
    for dispute in Dispute.objects.filter(year=year, **where).order_by("filed_at", "id"):
        disputes[dispute.line_key] = dispute  # the latest decision per line shows
    kinds = sorted(set(figures) | set(lines), key=lambda kind: (ORDER.get(kind, 999), kind))
    result = []
    for kind in kinds:
        figure = figures.get(kind)
        points, cap = weights.get(kind, (None, None))
        result.append(
            KindBreakdown(
                kind,
                label(kind),
                figure.count if figure else 0,
                figure.quantity if figure else 0,
                figure.points if figure else ZERO,
                points,
                cap,
                lines.get(kind, []),
            )
        )
    return score, result, disputes


def public_figures(person, year: int) -> list[tuple[str, int]]:
    """(label, count) of the public kinds with a count, in catalogue order (the public page, open data)."""
    from .kinds import PUBLIC, label

    rows = Figure.objects.filter(year=year, kind__in=PUBLIC, count__gt=0, **person_filter(person))
    return [(label(f.kind), f.count) for f in sorted(rows, key=lambda f: ORDER.get(f.kind, 999))]
