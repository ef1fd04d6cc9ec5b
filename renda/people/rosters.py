"""Spreadsheet columns of the deputy, member and unit rosters (the station roster is renda/stations/rosters.py).

The deputy roster is shared by the import template, the importer and the export: an exported list is a valid import
file, so staff can export, correct in Excel and import again.

Titles are Chinese whatever the UI language: the files are exchanged with Chinese offices. Phones in exports are
always masked (PIPL): a list is for reading, not for calling everyone on it.
"""

from .models import Deputy, Member, Unit

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

GENDER_LABELS = {"M": "男", "F": "女"}
LEVEL_LABELS = {
    "national": "全国",
    "provincial": "省",
    "city": "市",
    "county": "县区",
    "township": "乡镇",
    "street": "街道议政代表",
}


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


# Reading back: label → stored value, and the cells a row cannot do without.
GENDER_BY_LABEL = {label: value for value, label in GENDER_LABELS.items()}
LEVEL_BY_LABEL = {label: value for value, label in LEVEL_LABELS.items()}
DEPUTY_REQUIRED = ("姓名", "代表级别", "届次", "选区代码")


MEMBER_COLUMNS = [
    "编号",  # public_code
    "姓名",
    "性别",  # 男 / 女
    "委员级别",  # 全国 / 省 / 市 / 县区
    "届次",
    "政协所在区域代码",  # 12-digit region code of the committee
    "界别",
    "职业",
    "工作单位及职务",
    "手机号码",
    "简介",
    "状态",  # 在任 / 停用
]

UNIT_COLUMNS = ["名称", "所在区域代码", "所在区域", "联系人", "联系电话", "状态"]

MEMBER_LEVEL_LABELS = {"national": "全国", "provincial": "省", "city": "市", "county": "县区"}
ACTIVE_LABELS = {True: "在任", False: "停用"}
UNIT_ACTIVE_LABELS = {True: "正常", False: "停用"}


def member_row(member: Member, *, phone: str) -> list:
    return [
        member.public_code,
        member.name,
        GENDER_LABELS.get(member.gender, ""),
        MEMBER_LEVEL_LABELS[member.level],
        member.term,
        member.region.code,
        member.sector,
        member.occupation,
        member.work_unit,
        phone,
        member.biography,
        ACTIVE_LABELS[member.is_active],
    ]


def unit_row(unit: Unit, *, phone: str) -> list:
    return [
        unit.name,
        unit.region.code,
        unit.region.name,
        unit.contact_name,
        phone,
        UNIT_ACTIVE_LABELS[unit.is_active],
    ]
