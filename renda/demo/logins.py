"""The demo's accounts: one per role and region, all with the password from DEMO_PASSWORD."""

import os
from dataclasses import dataclass

from renda.accounts.models import Role

DEFAULT_PASSWORD = "Demo-2026!"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass(frozen=True)
class Login:
    username: str
    role: str | None  # None: the Django superuser
    target: str  # region code, or "home:<town code>" (a 代表之家), "unit:<name>", "deputy:<station code>" (its head)
    display_name: str


# Pinyin usernames of the county-level regions of Suzhou (their 6-digit codes).
COUNTY_USERNAMES = {
    "320505": "huqiu",
    "320506": "wuzhong",
    "320507": "xiangcheng",
    "320508": "gusu",
    "320509": "wujiang",
    "320581": "changshu",
    "320582": "zhangjiagang",
    "320583": "kunshan",
    "320585": "taicang",
}
MUDU = "320506108000"  # 木渎镇, the keeper's and the demo deputy's town
JINTING = "320506114000"  # 金庭镇, a town 苏州太湖国家旅游度假区 coordinates


def demo_logins(county_names: dict[str, str]) -> list[Login]:
    """Every demo account; `county_names` maps 6-digit county codes to names (for display names)."""
    staff = Role.CONGRESS_STAFF
    logins = [Login("suzhou", staff, "320500000000", "苏州市人大常委会工作人员")]
    for code, username in COUNTY_USERNAMES.items():
        name = county_names.get(code, username)
        logins.append(Login(username, staff, f"{code}000000", f"{name}人大常委会工作人员"))
    logins += [
        Login("sip", staff, "320571000000", "苏州工业园区人大工作人员"),
        Login("taihu", staff, "320590000000", "苏州太湖国家旅游度假区人大工作人员"),
        # 政协机关: 吴中区's CPPCC office (its proposals, 社情民意 and sessions; nothing of the congress side).
        Login("cppcc.wuzhong", Role.CPPCC_STAFF, "320506000000", "政协苏州市吴中区委员会机关工作人员"),
        Login("keeper.mudu", Role.STATION_KEEPER, f"home:{MUDU}", "木渎镇人大代表之家管理员"),
        Login("unit.wzjs", Role.UNIT_STAFF, "unit:吴中区住房和城乡建设局", "吴中区住房和城乡建设局联络员"),
        Login("deputy.demo", Role.DEPUTY, f"deputy:{MUDU}", ""),
        # The head of 金庭镇's 代表之家, a member of 苏州太湖国家旅游度假区's joint meeting (demo/jointmeetings.py).
        Login("deputy.taihu", Role.DEPUTY, f"deputy:{JINTING}", ""),
        # 三员: accounts, roles, audit reading; the superuser only sets them up (docs/security.md).
        Login("sysadmin", Role.SYSTEM_ADMIN, "320500000000", "系统管理员"),
        Login("secadmin", Role.SECURITY_ADMIN, "320500000000", "安全管理员"),
        Login("auditor", Role.AUDIT_ADMIN, "320500000000", "审计管理员"),
        Login("admin", None, "", "超级管理员"),
    ]
    return logins
