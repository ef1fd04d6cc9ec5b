"""The station roster spreadsheet: one column list, shared by the import template, the importer and the exports.

The deputy, member and unit rosters are in renda/people/rosters.py.

An exported list is a valid import file, so staff can export, correct in Excel and import again.
Column titles are Chinese because the files are exchanged with Chinese offices whatever the UI language.
"""

import re

from .models import Station

# A station's public phone: digits, spaces, hyphens and brackets, an optional leading + (the form and the importer).
PUBLIC_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{2,28}$")

# (column title, attribute description) in sheet order. The first column identifies a row for updates.
STATION_COLUMNS = [
    "编号",  # public_code; empty means a new station
    "名称",
    "类型",  # 代表之家 / 代表联络站 / 代表联系点
    "所在区域代码",
    "地址",
    "联系电话",  # the station's public desk phone (Station.phone), never a person's own number
    "纬度",
    "经度",
    "开放时间",
    "接待时间",
    "一站一品主题",
    "进站代表编号",  # deputies' 编号 separated by 、 or ,
    "站长代表编号",
]

STATION_KIND_LABELS = {"home": "代表之家", "liaison": "代表联络站", "point": "代表联系点", "studio": "委员工作室"}


def station_row(station: Station, deputy_codes: list[str], head_code: str) -> list:
    return [
        station.public_code,
        station.name,
        STATION_KIND_LABELS[station.kind],
        station.region.code,
        station.address,
        station.phone,
        "" if station.latitude is None else float(station.latitude),
        "" if station.longitude is None else float(station.longitude),
        station.opening_hours,
        station.reception_hours,
        station.theme,
        "、".join(deputy_codes),
        head_code,
    ]


# Reading back: label → stored value, and the cells a row cannot do without.
STATION_KIND_BY_LABEL = {label: value for value, label in STATION_KIND_LABELS.items()}
STATION_REQUIRED = ("名称", "类型", "所在区域代码")
