"""The rules a region code and its place in the tree must keep: shared by the importers and the staff form.

Each check returns a message in the active language, or None when the value is fine, so a caller can collect
every problem (an import report) or raise it (a form field).
"""

from django.utils.translation import gettext as _

from .models import ALLOWED_PARENT_KINDS, CODE_LENGTH, COUNTY_KINDS, TOWN_KINDS, VILLAGE_KINDS, RegionKind

# How many leading digits a child shares with its legal parent, by the parent's kind (GB/T 2260 plus the
# civil-affairs town and village digits). A zone's own code does not follow the legal tree, so no entry for it.
PREFIX_BY_PARENT_KIND = {
    RegionKind.PROVINCE: 2,
    RegionKind.CITY: 4,
    RegionKind.DISTRICT: 6,
    RegionKind.COUNTY_CITY: 6,
    RegionKind.COUNTY: 6,
    RegionKind.TOWN: 9,
    RegionKind.STREET: 9,
    RegionKind.TOWNSHIP: 9,
}

# Digits that name the region itself (must not be all zeros) and the digits after them (must be zeros), per kind.
_SHAPE = {RegionKind.PROVINCE: (0, 2), RegionKind.CITY: (2, 4)}
_SHAPE.update({kind: (4, 6) for kind in COUNTY_KINDS - {RegionKind.ZONE}})
_SHAPE.update({kind: (6, 9) for kind in TOWN_KINDS})
_SHAPE.update({kind: (9, 12) for kind in VILLAGE_KINDS})


def kind_label(kind) -> str:
    try:
        return str(RegionKind(kind).label)
    except ValueError:
        return str(kind)


def code_error(code: str) -> str | None:
    if len(code) != CODE_LENGTH or not code.isascii() or not code.isdigit():
        return _("The code must be exactly 12 digits, got “%(code)s”.") % {"code": code}
    return None


def kind_error(kind: str) -> str | None:
    if kind not in RegionKind.values:
        return _("Unknown kind “%(kind)s”; use one of: %(kinds)s.") % {
            "kind": kind,
            "kinds": ", ".join(RegionKind.values),
        }
    return None


def parent_kind_error(kind: str, parent_kind: str | None) -> str | None:
    """Whether a region of `kind` may sit directly under one of `parent_kind` (None: no parent)."""
    allowed = ALLOWED_PARENT_KINDS[RegionKind(kind)]
    if parent_kind in allowed:
        return None
    if parent_kind is None:
        return _("A %(kind)s needs a parent region.") % {"kind": kind_label(kind)}
    if None in allowed:
        return _("A %(kind)s has no parent region.") % {"kind": kind_label(kind)}
    return _("A %(kind)s cannot be placed under a %(parent_kind)s.") % {
        "kind": kind_label(kind),
        "parent_kind": kind_label(parent_kind),
    }


def code_shape_error(code: str, kind: str, *, is_official: bool = True) -> str | None:
    """A 12-digit code names its own level: a town's digits 7–9 are not 000 and its last three are 000."""
    if kind == RegionKind.ZONE or not is_official:
        return None
    start, end = _SHAPE[RegionKind(kind)]
    if set(code[start:end]) == {"0"} or set(code[end:]) - {"0"}:
        return _("The code %(code)s does not have the shape of a %(kind)s code.") % {
            "code": code,
            "kind": kind_label(kind),
        }
    return None


def code_prefix_error(code: str, kind: str, parent_code: str, parent_kind: str, *, is_official=True) -> str | None:
    """A child's code starts with its parent's digits: town 320506108000 under county 320506000000."""
    if kind == RegionKind.ZONE or parent_kind == RegionKind.ZONE or not is_official:
        return None
    length = PREFIX_BY_PARENT_KIND.get(parent_kind)
    if length is None or code[:length] == parent_code[:length]:
        return None
    return _("The code %(code)s does not belong under %(parent)s: it must start with %(prefix)s.") % {
        "code": code,
        "parent": parent_code,
        "prefix": parent_code[:length],
    }


def child_kinds(parent_kind: str) -> list[str]:
    """Kinds that staff may create under a region of `parent_kind`: towns under counties, villages under towns."""
    return [
        kind
        for kind in RegionKind.values
        if kind in TOWN_KINDS | VILLAGE_KINDS and parent_kind in ALLOWED_PARENT_KINDS[RegionKind(kind)]
    ]
