"""The roster spreadsheets: one column list per roster, shared by the import template, the importer and the exports.

An exported list is a valid import file, so staff can export, correct in Excel and import again.
Column titles are Chinese because the files are exchanged with Chinese offices whatever the UI language.
"""

from renda.people.models import Deputy
from renda.stations.models import Station

# (column title, attribute description) in sheet order. The first column identifies a row for updates.
DEPUTY_COLUMNS = [
    "编号",  # public_code; empty means a new deputy
    "姓名",
    "性别",  # 男 / 女
    "代表级别",  # 全国 / 省 / 市 / 县区 / 乡镇 / 街道议政代表
    "届次",
    "选区代码",  # 12-digit region code of the electoral region
    "代表团或代表小组",
    "职业",
    "工作单位及职务",
    "手机号码",
    "简介",
]

STATION_COLUMNS = [
    "编号",  # public_code; empty means a new station
    "名称",
    "类型",  # 代表之家 / 代表联络站 / 代表联系点
    "所在区域代码",
    "地址",
    "纬度",
    "经度",
    "开放时间",
    "接待时间",
    "一站一品主题",
    "进站代表编号",  # deputies' 编号 separated by 、 or ,
    "站长代表编号",
]

GENDER_LABELS = {"M": "男", "F": "女"}
LEVEL_LABELS = {
    "national": "全国",
    "provincial": "省",
    "city": "市",
    "county": "县区",
    "township": "乡镇",
    "street": "街道议政代表",
}
STATION_KIND_LABELS = {"home": "代表之家", "liaison": "代表联络站", "point": "代表联系点"}


def deputy_row(deputy: Deputy, *, phone: str) -> list:
    """One export row; the caller decides whether `phone` is masked (it is, unless the user may see it)."""
    return [
        deputy.public_code,
        deputy.name,
        GENDER_LABELS.get(deputy.gender, ""),
        LEVEL_LABELS[deputy.level],
        deputy.term,
        deputy.electoral_region.code,
        deputy.delegation,
        deputy.occupation,
        deputy.work_unit,
        phone,
        deputy.biography,
    ]


def station_row(station: Station, deputy_codes: list[str], head_code: str) -> list:
    return [
        station.public_code,
        station.name,
        STATION_KIND_LABELS[station.kind],
        station.region.code,
        station.address,
        "" if station.latitude is None else float(station.latitude),
        "" if station.longitude is None else float(station.longitude),
        station.opening_hours,
        station.reception_hours,
        station.theme,
        "、".join(deputy_codes),
        head_code,
    ]


# Reading back: label → stored value, and the cells a row cannot do without.
GENDER_BY_LABEL = {label: value for value, label in GENDER_LABELS.items()}
LEVEL_BY_LABEL = {label: value for value, label in LEVEL_LABELS.items()}
STATION_KIND_BY_LABEL = {label: value for value, label in STATION_KIND_LABELS.items()}
DEPUTY_REQUIRED = ("姓名", "代表级别", "届次", "选区代码")
STATION_REQUIRED = ("名称", "类型", "所在区域代码")
