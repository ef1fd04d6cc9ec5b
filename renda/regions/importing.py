"""Import an official division list and the development zones from CSV: every row checked, then all or nothing.

Both importers read the whole file, collect every problem as (line, column, message) in the active language, and
write only when there is none. Writes are bulk (a province's list of towns takes well under a second), so `path`
and `depth`, which Region.save computes one row at a time, are computed here for the whole file at once; when an
existing region moves, the paths of its descendants that are not in the file are rewritten too.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renda.audit.actions import record

from . import rules
from .models import CODE_LENGTH, TOWN_KINDS, Region, RegionKind, ZoneMembership, path_range_q

DIVISION_COLUMNS = ["code", "name", "parent_code", "kind"]
ZONE_COLUMNS = ["zone_code", "zone_name", "parent_code", "member_code", "member_name", "is_official"]
DATA_DIR = Path(__file__).resolve().parent / "data"
PATH_MAX_LENGTH = Region._meta.get_field("path").max_length
NAME_MAX_LENGTH = Region._meta.get_field("name").max_length
BATCH = 500


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header; 0 means the file as a whole
    column: str
    message: str

    def __str__(self):
        if self.line and self.column:
            return _("Line %(line)d, column %(column)s: %(message)s") % self.__dict__
        if self.line:
            return _("Line %(line)d: %(message)s") % self.__dict__
        return self.message


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    moved: int = 0  # regions not in the file whose path changed because an ancestor moved
    members_added: int = 0
    rows: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.moved or self.members_added)

    def summary(self) -> str:
        parts = [
            ngettext("%(count)d row read", "%(count)d rows read", self.rows) % {"count": self.rows},
            ngettext("%(count)d region created", "%(count)d regions created", self.created) % {"count": self.created},
            ngettext("%(count)d region updated", "%(count)d regions updated", self.updated) % {"count": self.updated},
        ]
        if self.moved:
            parts.append(
                ngettext("%(count)d region below them moved", "%(count)d regions below them moved", self.moved)
                % {"count": self.moved}
            )
        if self.members_added:
            parts.append(
                ngettext("%(count)d zone member added", "%(count)d zone members added", self.members_added)
                % {"count": self.members_added}
            )
        text = _(", ").join(parts)
        if self.dry_run:
            text = _("Dry run, nothing written: %(summary)s") % {"summary": text}
        return text


class _Refused(Exception):
    def __init__(self, problems):
        self.problems = problems


# ---------------------------------------------------------------------------------------------------------------
# Reading


def _read_bytes(file_or_path) -> tuple[bytes | str, str]:
    if isinstance(file_or_path, (str, Path)):
        path = Path(file_or_path)
        try:
            return path.read_bytes(), path.name
        except OSError as exc:
            raise _Refused([Problem(0, "", _("Cannot read the file: %(error)s") % {"error": exc})]) from None
    if hasattr(file_or_path, "seek"):
        file_or_path.seek(0)
    return file_or_path.read(), getattr(file_or_path, "name", "") or ""


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        if b"\x00" in data:
            raise _Refused([Problem(0, "", _("This is not a CSV text file (it contains binary data)."))])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            message = _("The file is not UTF-8 text; save it as “CSV UTF-8” and try again.")
            raise _Refused([Problem(line, "", message)]) from None
    if not text.strip():
        raise _Refused([Problem(0, "", _("The file is empty."))])
    return text


def read_csv(file_or_path, columns: list[str]) -> tuple[list[tuple[int, dict]], str]:
    """Rows as (line number, {column: stripped cell}) after checking the header; raises _Refused."""
    data, name = _read_bytes(file_or_path)
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, problems = [], []
    try:
        header = [cell.strip().lower() for cell in next(reader)]
        if header != columns:
            message = _("The first line must be the header “%(expected)s”, found “%(found)s”.") % {
                "expected": ",".join(columns),
                "found": ",".join(header),
            }
            raise _Refused([Problem(1, "", message)])
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                message = _("Expected %(expected)d cells, found %(found)d.") % {
                    "expected": len(columns),
                    "found": len(cells),
                }
                problems.append(Problem(reader.line_num, "", message))
                continue
            rows.append((reader.line_num, {column: cell.strip() for column, cell in zip(columns, cells, strict=True)}))
    except csv.Error as exc:
        message = _("This is not a readable CSV file: %(error)s") % {"error": exc}
        raise _Refused([*problems, Problem(reader.line_num, "", message)]) from None
    if problems:
        raise _Refused(problems)
    if not rows:
        raise _Refused([Problem(0, "", _("The file has a header but no data rows."))])
    return rows, name


# ---------------------------------------------------------------------------------------------------------------
# Shared writing helpers


def _regions_by_code(codes, *, lock=False) -> dict[str, Region]:
    """Existing regions by code, fetched in chunks so that a province-wide file stays under SQLite's variable limit."""
    codes = sorted(set(codes))
    found = {}
    for start in range(0, len(codes), BATCH):
        queryset = Region.objects.filter(code__in=codes[start : start + BATCH])
        if lock:
            queryset = queryset.select_for_update()
        found.update((region.code, region) for region in queryset)
    return found


def _required(problems, line, row, columns):
    ok = True
    for column in columns:
        if not row[column]:
            problems.append(Problem(line, column, _("This cell is required.")))
            ok = False
    return ok


def _move_descendants(moved: dict[str, str], skip_codes: set[str]) -> int:
    """Rewrite the paths of regions under moved ones (old path → new path), except those the caller wrote itself."""
    if not moved:
        return 0
    tops = []
    for old in sorted(moved):
        if not any(old.startswith(top) for top in tops):
            tops.append(old)
    changed = []
    for top in tops:
        for region in Region.objects.filter(path_range_q(top)).only("id", "code", "path", "depth"):
            if region.code in skip_codes:
                continue
            for cut in range(len(region.path) - CODE_LENGTH, 0, -CODE_LENGTH):
                if region.path[:cut] in moved:
                    region.path = moved[region.path[:cut]] + region.path[cut:]
                    region.depth = len(region.path) // CODE_LENGTH - 1
                    changed.append(region)
                    break
    Region.objects.bulk_update(changed, ["path", "depth"], batch_size=BATCH)
    return len(changed)


def _create_by_depth(new_rows: list[Region], parent_codes: dict[str, str | None], ids: dict[str, int]):
    """bulk_create shallow rows first, so each row's parent id is known when it is inserted."""
    for depth in sorted({region.depth for region in new_rows}):
        level = [region for region in new_rows if region.depth == depth]
        for region in level:
            parent_code = parent_codes[region.code]
            region.parent_id = ids[parent_code] if parent_code else None
        Region.objects.bulk_create(level, batch_size=BATCH)
        missing = [region.code for region in level if region.pk is None]
        if missing:  # databases that do not return ids from a bulk insert
            ids.update((code, region.pk) for code, region in _regions_by_code(missing).items())
        ids.update((region.code, region.pk) for region in level if region.pk is not None)


# ---------------------------------------------------------------------------------------------------------------
# Division lists


@dataclass
class _Division:
    line: int
    code: str
    name: str
    parent_code: str | None
    kind: str
    path: str = ""


def _check_divisions(rows) -> tuple[dict[str, _Division], list[Problem], set[str]]:
    """Cell-level checks: required cells, code shapes, kinds, duplicates. Returns the rows that passed, the problems
    and every code the file mentions (a child of a wrong row is not told that its parent is missing)."""
    problems, divisions, first_line = [], {}, {}
    for line, row in rows:
        if not _required(problems, line, row, ["code", "name", "kind"]):
            continue
        code, kind, parent_code = row["code"], row["kind"], row["parent_code"]
        if code in first_line:
            message = _("The code %(code)s appears already on line %(line)d.") % {
                "code": code,
                "line": first_line[code],
            }
            problems.append(Problem(line, "code", message))
            continue
        first_line[code] = line
        errors = [
            ("code", rules.code_error(code)),
            ("name", _("The name is too long.") if len(row["name"]) > NAME_MAX_LENGTH else None),
            ("kind", rules.kind_error(kind)),
            ("parent_code", rules.code_error(parent_code) if parent_code else None),
        ]
        errors = [Problem(line, column, message) for column, message in errors if message]
        if not errors and (message := rules.code_shape_error(code, kind)):
            errors.append(Problem(line, "code", message))
        problems.extend(errors)
        if not errors:
            divisions[code] = _Division(line, code, row["name"], parent_code or None, kind)
    return divisions, problems, set(first_line)


def _check_division_tree(divisions, existing, codes_in_file) -> list[Problem]:
    """Parents exist, allow the child's kind, and share its leading digits."""
    problems = []
    for division in divisions.values():
        parent_code = division.parent_code
        if parent_code == division.code:
            problems.append(Problem(division.line, "parent_code", _("A region cannot be its own parent.")))
            continue
        if parent_code and parent_code not in divisions:
            if parent_code in codes_in_file:
                continue  # the parent's own line is wrong and reported; checking against it would only add noise
            if parent_code not in existing:
                message = _("The parent %(code)s is neither in this file nor in the database.") % {"code": parent_code}
                problems.append(Problem(division.line, "parent_code", message))
                continue
        parent = divisions.get(parent_code) or existing.get(parent_code)
        parent_kind = parent.kind if parent else None
        if message := rules.parent_kind_error(division.kind, parent_kind):
            problems.append(Problem(division.line, "kind", message))
        elif parent and (message := rules.code_prefix_error(division.code, division.kind, parent.code, parent_kind)):
            problems.append(Problem(division.line, "code", message))
    return problems


def _check_kept_children(divisions, existing) -> list[Problem]:
    """A region whose kind changes must still suit the children it has in the database that the file leaves alone."""
    changed = {
        existing[code].pk: d for code, d in divisions.items() if code in existing and existing[code].kind != d.kind
    }
    problems = []
    if not changed:
        return problems
    for child in Region.objects.filter(parent_id__in=list(changed)).exclude(code__in=list(divisions)):
        parent = changed[child.parent_id]
        if message := rules.parent_kind_error(child.kind, parent.kind):
            message = _("%(name)s (%(code)s), already under this region: %(problem)s") % {
                "name": child.name,
                "code": child.code,
                "problem": message,
            }
            problems.append(Problem(parent.line, "kind", message))
    return problems


def _compute_paths(divisions, existing) -> list[Problem]:
    problems = []
    for division in divisions.values():
        chain, code = [], division.code
        while code in divisions and not divisions[code].path:
            chain.append(divisions[code])
            code = divisions[code].parent_code
        if code in divisions:
            base = divisions[code].path
        else:
            base = existing[code].path if code else ""
        for item in reversed(chain):
            base += item.code
            item.path = base
            if len(base) > PATH_MAX_LENGTH:
                problems.append(Problem(item.line, "parent_code", _("The region is nested too deeply.")))
    return problems


def import_divisions(file_or_path, *, actor=None, dry_run=False) -> ImportResult:
    """Create or update regions from a division list CSV (code,name,parent_code,kind): all rows, or none."""
    try:
        rows, filename = read_csv(file_or_path, DIVISION_COLUMNS)
    except _Refused as refused:
        return ImportResult(problems=refused.problems, dry_run=dry_run)
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    with transaction.atomic():
        divisions, problems, codes_in_file = _check_divisions(rows)
        parent_codes = {d.parent_code for d in divisions.values() if d.parent_code}
        existing = _regions_by_code(set(divisions) | parent_codes, lock=not dry_run)
        problems += _check_division_tree(divisions, existing, codes_in_file)
        if not problems:
            problems += _check_kept_children(divisions, existing)
            problems += _compute_paths(divisions, existing)
        if problems:
            result.problems = sorted(problems, key=lambda problem: problem.line)
            return result

        ids = {code: region.pk for code, region in existing.items()}
        new_rows, changed, moved = [], [], {}
        for d in divisions.values():
            depth = len(d.path) // CODE_LENGTH - 1
            region = existing.get(d.code)
            if region is None:
                new_rows.append(Region(code=d.code, name=d.name, kind=d.kind, path=d.path, depth=depth))
                continue
            if region.path != d.path:
                moved[region.path] = d.path
            parent_id = ids.get(d.parent_code) if d.parent_code else None
            parent_changed = (d.parent_code and d.parent_code not in ids) or region.parent_id != parent_id
            wanted = {"name": d.name, "kind": d.kind, "path": d.path, "depth": depth}
            if parent_changed or any(getattr(region, key) != value for key, value in wanted.items()):
                changed.append(region)
                for key, value in wanted.items():
                    setattr(region, key, value)
        result.created, result.updated = len(new_rows), len(changed)
        if dry_run:
            return result

        parents = {code: d.parent_code for code, d in divisions.items()}
        _create_by_depth(new_rows, parents, ids)
        for region in changed:
            region.parent_id = ids[parents[region.code]] if parents[region.code] else None
        Region.objects.bulk_update(changed, ["name", "kind", "parent", "path", "depth"], batch_size=BATCH)
        result.moved = _move_descendants(moved, set(divisions))
        if result.changed:
            changes = {"file": filename, "rows": result.rows, "created": result.created, "updated": result.updated}
            record(actor, "regions.import_divisions", None, changes={**changes, "moved": result.moved})
    return result


# ---------------------------------------------------------------------------------------------------------------
# Development zones

_TRUE, _FALSE = {"", "1", "true", "yes", "y", "是"}, {"0", "false", "no", "n", "否"}


@dataclass
class _Zone:
    line: int
    code: str
    name: str
    parent_code: str
    is_official: bool
    members: dict[str, tuple[int, str]] = field(default_factory=dict)  # member code → (line, name given)


def _check_zone_rows(rows) -> tuple[dict[str, _Zone], list[Problem]]:
    problems, zones = [], {}
    for line, row in rows:
        if not _required(problems, line, row, ["zone_code", "zone_name", "parent_code"]):
            continue
        official = row["is_official"].lower()
        errors = [
            ("zone_code", rules.code_error(row["zone_code"])),
            ("zone_name", _("The name is too long.") if len(row["zone_name"]) > NAME_MAX_LENGTH else None),
            ("parent_code", rules.code_error(row["parent_code"])),
            ("member_code", rules.code_error(row["member_code"]) if row["member_code"] else None),
            (
                "is_official",
                None if official in _TRUE | _FALSE else _("Write 1 (official code) or 0 (no official code)."),
            ),
        ]
        if row["member_name"] and not row["member_code"]:
            errors.append(("member_code", _("A member name needs the member's code.")))
        errors = [Problem(line, column, message) for column, message in errors if message]
        if errors:
            problems.extend(errors)
            continue
        zone = zones.setdefault(
            row["zone_code"], _Zone(line, row["zone_code"], row["zone_name"], row["parent_code"], official in _TRUE)
        )
        for column, mine, theirs in (
            ("zone_name", row["zone_name"], zone.name),
            ("parent_code", row["parent_code"], zone.parent_code),
            ("is_official", official in _TRUE, zone.is_official),
        ):
            if mine != theirs:
                message = _("This differs from line %(line)d for the same zone.") % {"line": zone.line}
                problems.append(Problem(line, column, message))
        member = row["member_code"]
        if member in zone.members:
            message = _("This town is listed for this zone already on line %(line)d.") % {
                "line": zone.members[member][0]
            }
            problems.append(Problem(line, "member_code", message))
        elif member:
            zone.members[member] = (line, row["member_name"])
    return zones, problems


def _check_zone_tree(zones, existing) -> list[Problem]:
    problems = []
    for zone in zones.values():
        found = existing.get(zone.code)
        if found is not None and found.kind != RegionKind.ZONE:
            message = _("The code %(code)s belongs to %(name)s, a %(kind)s, not a zone.") % {
                "code": zone.code,
                "name": found.name,
                "kind": rules.kind_label(found.kind),
            }
            problems.append(Problem(zone.line, "zone_code", message))
        parent = existing.get(zone.parent_code)
        if parent is None:
            message = _("The parent %(code)s is not in the database; import the division list first.") % {
                "code": zone.parent_code
            }
            problems.append(Problem(zone.line, "parent_code", message))
        elif message := rules.parent_kind_error(RegionKind.ZONE, parent.kind):
            problems.append(Problem(zone.line, "parent_code", message))
        for code, (line, name) in zone.members.items():
            member = existing.get(code)
            if member is None:
                message = _("The town %(code)s is not in the database.") % {"code": code}
                problems.append(Problem(line, "member_code", message))
            elif member.kind not in TOWN_KINDS:
                message = _("%(name)s is a %(kind)s; only towns, streets and townships can belong to a zone.") % {
                    "name": member.name,
                    "kind": rules.kind_label(member.kind),
                }
                problems.append(Problem(line, "member_code", message))
            elif name and name != member.name:
                message = _("The code %(code)s is %(actual)s in the database, not %(name)s.") % {
                    "code": code,
                    "actual": member.name,
                    "name": name,
                }
                problems.append(Problem(line, "member_name", message))
    return problems


def import_zones(file_or_path, *, actor=None, dry_run=False) -> ImportResult:
    """Create or update development zones and add the towns they manage; members are never removed here."""
    try:
        rows, filename = read_csv(file_or_path, ZONE_COLUMNS)
    except _Refused as refused:
        return ImportResult(problems=refused.problems, dry_run=dry_run)
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    with transaction.atomic():
        zones, problems = _check_zone_rows(rows)
        codes = set(zones) | {z.parent_code for z in zones.values()}
        codes |= {code for zone in zones.values() for code in zone.members}
        existing = _regions_by_code(codes, lock=not dry_run)
        problems += _check_zone_tree(zones, existing)
        if problems:
            result.problems = sorted(problems, key=lambda problem: problem.line)
            return result

        new_rows, changed, moved = [], [], {}
        for zone in zones.values():
            parent = existing[zone.parent_code]
            path = parent.path + zone.code
            wanted = {
                "name": zone.name,
                "parent_id": parent.pk,
                "path": path,
                "depth": len(path) // CODE_LENGTH - 1,
                "is_official": zone.is_official,
            }
            region = existing.get(zone.code)
            if region is None:
                new_rows.append(Region(code=zone.code, kind=RegionKind.ZONE, **wanted))
            elif any(getattr(region, key) != value for key, value in wanted.items()):
                if region.path != path:
                    moved[region.path] = path
                for key, value in wanted.items():
                    setattr(region, key, value)
                changed.append(region)
        result.created, result.updated = len(new_rows), len(changed)
        zone_ids = [existing[code].pk for code in zones if code in existing]
        have = set(ZoneMembership.objects.filter(zone_id__in=zone_ids).values_list("zone_id", "member_id"))
        wanted_pairs = [
            (zone.code, existing[code].pk)
            for zone in zones.values()
            for code in zone.members
            if (existing[zone.code].pk if zone.code in existing else None, existing[code].pk) not in have
        ]
        result.members_added = len(wanted_pairs)
        if dry_run:
            return result

        Region.objects.bulk_create(new_rows, batch_size=BATCH)
        Region.objects.bulk_update(changed, ["name", "parent", "path", "depth", "is_official"], batch_size=BATCH)
        result.moved = _move_descendants(moved, set(zones))
        ids = {region.code: region.pk for region in _regions_by_code(zones).values()}
        ZoneMembership.objects.bulk_create(
            [ZoneMembership(zone_id=ids[zone_code], member_id=member_id) for zone_code, member_id in wanted_pairs]
        )
        if result.changed:
            changes = {"file": filename, "rows": result.rows, "created": result.created, "updated": result.updated}
            record(actor, "regions.import_zones", None, changes={**changes, "members_added": result.members_added})
    return result


def load_shipped_regions(*, actor=None) -> tuple[ImportResult, ImportResult]:
    """Jiangsu's division list, then Suzhou's development zones (the demo loader calls this; safe to repeat)."""
    results = []
    for importer, filename in ((import_divisions, "jiangsu.csv"), (import_zones, "suzhou-zones.csv")):
        result = importer(DATA_DIR / filename, actor=actor)
        if not result.ok:
            raise RuntimeError(f"{filename} was refused:\n" + "\n".join(str(p) for p in result.problems))
        results.append(result)
    return results[0], results[1]
