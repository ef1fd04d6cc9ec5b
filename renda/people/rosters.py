"""Spreadsheet columns of the member and unit rosters (the deputy roster lives in renda/imports/rosters.py).

Titles are Chinese whatever the UI language: the files are exchanged with Chinese offices. Phones in exports are
always masked (PIPL): a list is for reading, not for calling everyone on it.
"""

from renda.imports.rosters import GENDER_LABELS

from .models import Member, Unit

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
