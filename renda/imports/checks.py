"""Checking a roster before anything is written: every row, every cell, all errors collected at once.

A check returns a plan (clean values per row, in model terms) and a list of errors. The importer writes the plan only
when the list is empty, so a file is imported whole or not at all. Lookups are batched (one query per few hundred
codes), so the cost grows with the file, not with the number of rows times queries.

Scope: regions and existing records are looked up inside the importing user's scope only. A 编号 of a deputy or
station outside it reads "does not exist", exactly like the 404 of the pages. Deputies listed as serving at a station
may come from anywhere (a city deputy elected in 姑苏区 serves at a 吴中区 station); their codes are public anyway.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from renda.accounts.scope import Scope
from renda.core.crypto import mask_phone
from renda.people.access import deputies_in_scope
from renda.people.models import Deputy
from renda.people.rosters import DEPUTY_COLUMNS, DEPUTY_REQUIRED, GENDER_BY_LABEL, LEVEL_BY_LABEL
from renda.regions.models import Region
from renda.stations.models import Station
from renda.stations.rosters import PUBLIC_PHONE_RE, STATION_COLUMNS, STATION_KIND_BY_LABEL, STATION_REQUIRED

from .xlsx import text

CHUNK = 500  # codes per IN (...) query: well below SQLite's variable limit
PROGRESS_EVERY = 100
REGION_CODE = re.compile(r"^\d{12}$")
MOBILE = re.compile(r"^1\d{10}$")
CODE_SEPARATORS = re.compile(r"[、,，;；\s]+")
MAX_TERM = 999

DEPUTY_LENGTHS = {"姓名": 60, "代表团或代表小组": 100, "职业": 100, "工作单位及职务": 200, "简介": 5000}
STATION_LENGTHS = {"名称": 100, "地址": 200, "联系电话": 30, "开放时间": 200, "接待时间": 200, "一站一品主题": 100}


@dataclass
class Plan:
    """What a valid file would do. `create` holds field dicts; `update` maps pk to the fields of its row."""

    create: list[dict] = field(default_factory=list)
    update: dict[int, dict] = field(default_factory=dict)
    # Stations only: station key (pk, or index into `create`) → (deputy pks in order, head pk or None).
    assignments: dict = field(default_factory=dict)


class Collector:
    """Errors as the report shows them: Excel row number, column title, message in the active language."""

    def __init__(self, columns: list[str]):
        self.order = {title: index for index, title in enumerate(columns)}
        self.items: list[dict] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append({"row": row, "column": column, "message": str(message)})

    def sorted(self) -> list[dict]:
        return sorted(self.items, key=lambda e: (e["row"], self.order.get(e["column"], -1)))


def header_errors(header: tuple, columns: list[str]) -> list[dict]:
    found = [text(value) for value in header]
    while found and not found[-1]:
        found.pop()
    if found == columns:
        return []
    message = _("The header row does not match the template. Expected the columns: %(expected)s. Found: %(found)s.")
    return [{"row": 1, "column": "", "message": message % {"expected": "、".join(columns), "found": "、".join(found)}}]


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _regions_by_code(codes) -> dict[str, Region]:
    found = {}
    for chunk in _chunks(codes):
        for region in Region.objects.filter(code__in=chunk).only("id", "code", "path", "name"):
            found[region.code] = region
    return found


def _cells(values: tuple, columns: list[str]) -> dict:
    return {title: (values[index] if index < len(values) else None) for index, title in enumerate(columns)}


def _required(errors: Collector, number: int, cells: dict, required) -> None:
    for title in required:
        if not text(cells[title]):
            errors.add(number, title, _("This cell is required."))


def _lengths(errors: Collector, number: int, cells: dict, limits: dict) -> None:
    for title, limit in limits.items():
        if len(text(cells[title])) > limit:
            errors.add(number, title, _("Too long: at most %(limit)d characters.") % {"limit": limit})


def _region_code(errors: Collector, number: int, title: str, value) -> str:
    code = text(value)
    if code and not REGION_CODE.match(code):
        errors.add(number, title, _("“%(value)s” is not a 12-digit region code.") % {"value": code})
        return ""
    return code


def _check_region(errors, number, title, code, regions: dict, scope: Scope):
    """The region of `code`, or None after reporting it unknown or outside the user's regions."""
    region = regions.get(code)
    if region is None:
        errors.add(number, title, _("No region has the code %(code)s.") % {"code": code})
        return None
    if not scope.covers_path(region.path):
        message = _("%(name)s (%(code)s) is outside the regions you manage.")
        errors.add(number, title, message % {"name": region.name, "code": code})
        return None
    return region


def _unknown_label(value: str, labels) -> str:
    return _("“%(value)s” is not allowed; use one of: %(choices)s.") % {"value": value, "choices": "、".join(labels)}


def _code_column(errors: Collector, number: int, code: str, seen: dict) -> None:
    if code in seen:
        message = _("The 编号 %(code)s appears twice in the file (also in row %(row)d).")
        errors.add(number, "编号", message % {"code": code, "row": seen[code]})
    else:
        seen[code] = number


def _progress(report, done: int) -> None:
    if report and done % PROGRESS_EVERY == 0:
        report(done)


# Deputies ------------------------------------------------------------------------------------------------------------


def _term(errors: Collector, number: int, value):
    raw = text(value)
    if not raw:
        return None
    if raw.isdigit() and 0 < int(raw) <= MAX_TERM:
        return int(raw)
    errors.add(number, "届次", _("“%(value)s” is not a positive whole number.") % {"value": raw})
    return None


def _phone(errors: Collector, number: int, value) -> str:
    """A mobile number, "" for an empty cell, or the masked text itself (checked against the record later)."""
    phone = re.sub(r"[\s-]", "", text(value))
    if phone and "*" not in phone and not MOBILE.match(phone):
        message = _("“%(value)s” is not a mobile phone number (11 digits starting with 1).")
        errors.add(number, "手机号码", message % {"value": phone})
        return ""
    return phone


def _same_as_stored(deputy: Deputy, row: dict) -> bool:
    """True when an import row says nothing new about `deputy` (a masked or empty phone counts as unchanged)."""
    if any(getattr(deputy, name) != value for name, value in row["fields"].items()):
        return False
    if row["region_code"] != deputy.electoral_region.code:
        return False
    return row["phone"] in ("", deputy.phone, mask_phone(deputy.phone))


def check_deputies(rows, scope: Scope, report=None) -> tuple[Plan, list[dict]]:
    """Check deputy rows [(Excel row number, values)] for a user with `scope`; `report(n)` hears the progress."""
    errors = Collector(DEPUTY_COLUMNS)
    parsed, seen = [], {}
    for done, (number, values) in enumerate(rows, start=1):
        cells = _cells(values, DEPUTY_COLUMNS)
        _required(errors, number, cells, DEPUTY_REQUIRED)
        _lengths(errors, number, cells, DEPUTY_LENGTHS)
        code = text(cells["编号"]).upper()
        if code:
            _code_column(errors, number, code, seen)
        gender = text(cells["性别"])
        if gender and gender not in GENDER_BY_LABEL:
            errors.add(number, "性别", _unknown_label(gender, GENDER_BY_LABEL))
        level = text(cells["代表级别"])
        if level and level not in LEVEL_BY_LABEL:
            errors.add(number, "代表级别", _unknown_label(level, LEVEL_BY_LABEL))
        row = {
            "number": number,
            "code": code,
            "region_code": _region_code(errors, number, "选区代码", cells["选区代码"]),
            "phone": _phone(errors, number, cells["手机号码"]),
            "fields": {
                "name": text(cells["姓名"]),
                "gender": GENDER_BY_LABEL.get(gender, ""),
                "level": LEVEL_BY_LABEL.get(level, ""),
                "term": _term(errors, number, cells["届次"]),
                "delegation": text(cells["代表团或代表小组"]),
                "occupation": text(cells["职业"]),
                "work_unit": text(cells["工作单位及职务"]),
                "biography": text(cells["简介"]),
            },
        }
        parsed.append(row)
        _progress(report, done)

    regions = _regions_by_code({row["region_code"] for row in parsed if row["region_code"]})
    existing = {}
    for chunk in _chunks(seen):
        # Only deputies the user may edit (elected in their regions) can be updated; others "do not exist".
        for deputy in Deputy.objects.filter(scope.region_q("electoral_region__path"), public_code__in=chunk):
            existing[deputy.public_code] = deputy

    # Deputies the user sees (serving at their stations) but who are kept by the staff of another region: an export
    # lists them, so an unchanged row of theirs is passed over; a changed one is refused.
    kept_elsewhere = {}
    for chunk in _chunks(set(seen) - set(existing)):
        visible = deputies_in_scope(scope).filter(public_code__in=chunk).select_related("electoral_region")
        kept_elsewhere.update((deputy.public_code, deputy) for deputy in visible)

    plan = Plan()
    for row in parsed:
        number, fields = row["number"], row["fields"]
        other = kept_elsewhere.get(row["code"]) if row["code"] else None
        if other is not None:
            if not _same_as_stored(other, row):
                message = _(
                    "The deputy %(code)s is kept by the congress staff of %(region)s; you cannot change them here."
                )
                errors.add(number, "编号", message % {"code": row["code"], "region": other.electoral_region.name})
            continue
        if row["region_code"]:
            region = _check_region(errors, number, "选区代码", row["region_code"], regions, scope)
            fields["electoral_region_id"] = region.pk if region else None
        deputy = existing.get(row["code"]) if row["code"] else None
        if row["code"] and deputy is None:
            errors.add(number, "编号", _("No deputy with the 编号 %(code)s exists.") % {"code": row["code"]})
        phone = row["phone"]
        if "*" in phone:
            # An exported (masked) number comes back unchanged: keep the stored one. Anything else masked is lost data.
            if deputy is None or mask_phone(deputy.phone) != phone:
                message = _("“%(value)s” is a masked number; enter the full mobile number.")
                errors.add(number, "手机号码", message % {"value": phone})
        elif phone:
            fields["phone"] = phone
        if errors.items:
            continue  # once the file is refused, only the error list matters
        if deputy is not None:
            plan.update[deputy.pk] = fields
        else:
            plan.create.append(fields)
    return plan, errors.sorted()


# Stations ------------------------------------------------------------------------------------------------------------


def _public_phone(errors: Collector, number: int, value) -> str:
    """The station's desk phone as typed ("" for an empty cell); a number Excel stored as a number loses no digits."""
    phone = text(value)
    if phone and not PUBLIC_PHONE_RE.match(phone):
        message = _("“%(value)s” is not a phone number (digits, spaces and hyphens).")
        errors.add(number, "联系电话", message % {"value": phone})
    return phone


def _coordinate(errors: Collector, number: int, title: str, value, limit: int):
    raw = text(value)
    if not raw:
        return None
    try:
        number_value = Decimal(raw)
    except InvalidOperation:
        errors.add(number, title, _("“%(value)s” is not a number.") % {"value": raw})
        return None
    if not number_value.is_finite() or not -limit <= number_value <= limit:
        message = _("%(value)s is out of range (%(low)d to %(high)d).")
        errors.add(number, title, message % {"value": raw, "low": -limit, "high": limit})
        return None
    return number_value.quantize(Decimal("0.000001"))


def check_stations(rows, scope: Scope, report=None) -> tuple[Plan, list[dict]]:
    """Check station rows as `check_deputies` does deputies, plus the deputies serving at each station."""
    errors = Collector(STATION_COLUMNS)
    parsed, seen = [], {}
    for done, (number, values) in enumerate(rows, start=1):
        cells = _cells(values, STATION_COLUMNS)
        _required(errors, number, cells, STATION_REQUIRED)
        _lengths(errors, number, cells, STATION_LENGTHS)
        code = text(cells["编号"]).upper()
        if code:
            _code_column(errors, number, code, seen)
        kind = text(cells["类型"])
        if kind and kind not in STATION_KIND_BY_LABEL:
            errors.add(number, "类型", _unknown_label(kind, STATION_KIND_BY_LABEL))
        latitude = _coordinate(errors, number, "纬度", cells["纬度"], 90)
        longitude = _coordinate(errors, number, "经度", cells["经度"], 180)
        if bool(text(cells["纬度"])) != bool(text(cells["经度"])):
            title = "经度" if text(cells["纬度"]) else "纬度"
            errors.add(number, title, _("Give both latitude and longitude, or neither."))
        deputy_codes = list(dict.fromkeys(c.upper() for c in CODE_SEPARATORS.split(text(cells["进站代表编号"])) if c))
        head_codes = [c.upper() for c in CODE_SEPARATORS.split(text(cells["站长代表编号"])) if c]
        if len(head_codes) > 1:
            errors.add(number, "站长代表编号", _("A station has one head: give one 编号 only."))
        elif head_codes and head_codes[0] not in deputy_codes:
            message = _("The head %(code)s is not among the deputies listed in 进站代表编号.")
            errors.add(number, "站长代表编号", message % {"code": head_codes[0]})
        parsed.append(
            {
                "number": number,
                "code": code,
                "region_code": _region_code(errors, number, "所在区域代码", cells["所在区域代码"]),
                "deputy_codes": deputy_codes,
                "head_code": head_codes[0] if len(head_codes) == 1 else "",
                "fields": {
                    "name": text(cells["名称"]),
                    "kind": STATION_KIND_BY_LABEL.get(kind, ""),
                    "address": text(cells["地址"]),
                    "phone": _public_phone(errors, number, cells["联系电话"]),
                    "latitude": latitude,
                    "longitude": longitude,
                    "opening_hours": text(cells["开放时间"]),
                    "reception_hours": text(cells["接待时间"]),
                    "theme": text(cells["一站一品主题"]),
                },
            }
        )
        _progress(report, done)

    regions = _regions_by_code({row["region_code"] for row in parsed if row["region_code"]})
    existing = {}
    for chunk in _chunks(seen):
        for station in Station.objects.filter(scope.region_q("region__path"), public_code__in=chunk):
            existing[station.public_code] = station
    deputy_ids = {}
    for chunk in _chunks({code for row in parsed for code in row["deputy_codes"]}):
        deputy_ids.update(Deputy.objects.filter(public_code__in=chunk).values_list("public_code", "pk"))

    names_in_file = {}
    for row in parsed:
        number = row["number"]
        station = existing.get(row["code"]) if row["code"] else None
        row["station"] = station
        if row["code"] and station is None:
            errors.add(number, "编号", _("No station with the 编号 %(code)s exists.") % {"code": row["code"]})
        region = None
        if row["region_code"]:
            region = _check_region(errors, number, "所在区域代码", row["region_code"], regions, scope)
        row["region"] = region
        if region is not None and row["fields"]["name"]:
            key = (region.pk, row["fields"]["name"])
            if key in names_in_file:
                message = _("Another row (row %(row)d) has a station of the same name in the same region.")
                errors.add(number, "名称", message % {"row": names_in_file[key]})
            else:
                names_in_file[key] = number
        unknown = [code for code in row["deputy_codes"] if code not in deputy_ids]
        if unknown:
            message = _("No deputy with the 编号 %(codes)s exists.")
            errors.add(number, "进站代表编号", message % {"codes": "、".join(unknown)})

    _check_names_against_database(errors, parsed, names_in_file)
    if errors.items:
        return Plan(), errors.sorted()

    plan = Plan()
    for row in parsed:
        fields = {**row["fields"], "region_id": row["region"].pk}
        if row["station"] is not None:
            plan.update[row["station"].pk] = fields
            key = row["station"].pk
        else:
            key = ("new", len(plan.create))
            plan.create.append(fields)
        head = deputy_ids.get(row["head_code"])
        plan.assignments[key] = ([deputy_ids[code] for code in row["deputy_codes"]], head)
    return plan, []


def _check_names_against_database(errors: Collector, parsed: list, names_in_file: dict) -> None:
    """A row's (region, name) may not belong to another station, unless that station is renamed or moved by the file."""
    region_ids = {region_id for region_id, _name in names_in_file}
    names = {name for _region_id, name in names_in_file}
    taken = {}
    for chunk in _chunks(names):
        for pk, region_id, name, code in Station.objects.filter(region_id__in=region_ids, name__in=chunk).values_list(
            "pk", "region_id", "name", "public_code"
        ):
            taken[(region_id, name)] = (pk, code)
    if not taken:
        return
    # Where the file puts each station it mentions; a station moving away frees its old name.
    new_place = {
        row["station"].pk: (row["region"].pk if row["region"] else None, row["fields"]["name"])
        for row in parsed
        if row["station"] is not None
    }
    for row in parsed:
        if row["region"] is None or not row["fields"]["name"]:
            continue
        key = (row["region"].pk, row["fields"]["name"])
        holder = taken.get(key)
        if holder is None:
            continue
        pk, code = holder
        own = row["station"] is not None and row["station"].pk == pk
        moved_away = pk in new_place and new_place[pk] != key
        if not own and not moved_away:
            message = _("A station of this name already exists in this region (编号 %(code)s).")
            errors.add(row["number"], "名称", message % {"code": code})
