"""Blank import templates: the header row on the first sheet and a "说明" sheet that explains every column.

Sheet titles and column titles are Chinese in every UI language (the files are exchanged with Chinese offices);
the explanations follow the user's language.
"""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from renda.core.excel import XLSX
from renda.people.rosters import DEPUTY_COLUMNS, DEPUTY_REQUIRED, LEVEL_LABELS
from renda.stations.rosters import STATION_COLUMNS, STATION_KIND_LABELS, STATION_REQUIRED

from .models import ImportKind

SHEET_TITLES = {ImportKind.DEPUTIES: "代表名册", ImportKind.STATIONS: "联络站名册"}
FILE_NAMES = {ImportKind.DEPUTIES: "代表名册导入模板.xlsx", ImportKind.STATIONS: "联络站名册导入模板.xlsx"}
HELP_SHEET = "说明"


def _region_help() -> str:
    return _("The 12-digit code of the region (e.g. 320506108000); it must be in a region you manage.")


def _code_help(thing: str) -> str:
    return _(
        "Leave empty to add a new %(thing)s; the platform gives it a 编号. To change an existing one, keep the 编号 "
        "from the list or an export."
    ) % {"thing": thing}


def deputy_help() -> dict[str, str]:
    return {
        "编号": _code_help(_("deputy")),
        "姓名": _("Full name."),
        "性别": _("男 or 女; may be empty."),
        "代表级别": _("One of: %(choices)s.") % {"choices": "、".join(LEVEL_LABELS.values())},
        "届次": _("The term as a whole number, e.g. 17 for the 17th term."),
        "选区代码": _region_help(),
        "代表团或代表小组": _("Delegation or deputies' group; may be empty."),
        "职业": _("Occupation; may be empty."),
        "工作单位及职务": _("Work unit and position; may be empty."),
        "手机号码": _(
            "Mobile number: 11 digits starting with 1. Empty, or the masked number of an export, keeps the number "
            "already stored."
        ),
        "简介": _("Public biography; may be empty."),
    }


def station_help() -> dict[str, str]:
    return {
        "编号": _code_help(_("station")),
        "名称": _("Station name; two stations in one region may not share a name."),
        "类型": _("One of: %(choices)s.") % {"choices": "、".join(STATION_KIND_LABELS.values())},
        "所在区域代码": _region_help(),
        "地址": _("Street address; may be empty."),
        "纬度": _("Latitude in decimal degrees (−90 to 90), e.g. 31.2989. Give both coordinates or neither."),
        "经度": _("Longitude in decimal degrees (−180 to 180), e.g. 120.5853."),
        "联系电话": _(
            "The station's public desk phone, shown on its page (never a person's own number); may be empty."
        ),
        "开放时间": _("Opening hours, as free text; may be empty."),
        "接待时间": _("Reception hours, as free text; may be empty."),
        "一站一品主题": _("The station's theme (一站一品); may be empty."),
        "进站代表编号": _(
            "The 编号 of the deputies serving at the station, separated by 、 or commas. This list replaces the "
            "current one; an empty cell removes them all."
        ),
        "站长代表编号": _("The 编号 of the station head, one of the deputies listed before; may be empty."),
    }


def blank_template(kind: str) -> HttpResponse:
    columns, required, helps = (
        (DEPUTY_COLUMNS, DEPUTY_REQUIRED, deputy_help())
        if kind == ImportKind.DEPUTIES
        else (STATION_COLUMNS, STATION_REQUIRED, station_help())
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[kind]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 16
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(HELP_SHEET)
    notes.append([_("Column"), _("Required"), _("What to enter")])
    for title in columns:
        notes.append([title, _("yes") if title in required else _("no"), helps[title]])
    notes.append([])
    notes.append(
        [_("Rows are checked all together: if any row has an error, nothing is imported and every error is listed.")]
    )
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 90
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(FILE_NAMES[kind])}"
    return response
