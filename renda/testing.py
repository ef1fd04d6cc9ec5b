"""The test world: a small slice of Suzhou with one named user per role and region (healthchecks hc/test.py).

Every scoped test uses these names, so "who may see what" reads the same everywhere:

    city_staff      congress staff at 苏州市: sees everything below
    wuzhong_staff   congress staff at 吴中区: sees 吴中区, including 唯亭街道 and 金庭镇, which zones also manage
    gusu_staff      congress staff at 姑苏区: the "other region"; sees nothing of 吴中区
    park_staff      congress staff at 苏州工业园区 (a zone): sees the zone and its streets 斜塘街道 (legally 虎丘区)
                    and 唯亭街道 (legally 吴中区), but not the rest of 虎丘区 or 吴中区
    resort_staff    congress staff at 苏州太湖国家旅游度假区 (a zone without a code): sees 金庭镇 only
    keeper          station keeper of mudu_home (木渎镇代表之家); sees that station and its deputies
    unit_user       staff of wuzhong_unit (吴中区住建局)
    deputy_user     the account of deputy_wz (a 吴中区 deputy serving mudu_home)
    sysadmin        system administrator at 苏州市
    outsider        signed in, holds no role: every staff page is missing (404) for them
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

from django.test import Client

from renda.accounts.models import Grant, Role, User
from renda.people.models import Deputy, DeputyLevel, Member, MemberLevel, Unit
from renda.regions.models import Region, RegionKind, ZoneMembership
from renda.stations.models import Assignment, Station, StationKind

PASSWORD = "Test-password-1"


@dataclass
class World:
    jiangsu: Region
    suzhou: Region
    wuzhong: Region
    gusu: Region
    huqiu: Region
    park: Region
    resort: Region
    mudu: Region
    weiting: Region
    jinting: Region
    xietang: Region
    shishan: Region
    canglang: Region
    mudu_village: Region
    mudu_home: Station
    weiting_station: Station
    xietang_station: Station
    canglang_home: Station
    deputy_wz: Deputy
    deputy_gs: Deputy
    deputy_city: Deputy
    member_wz: Member
    member_gs: Member
    wuzhong_unit: Unit
    gusu_unit: Unit
    city_staff: User
    wuzhong_staff: User
    gusu_staff: User
    park_staff: User
    resort_staff: User
    keeper: User
    unit_user: User
    deputy_user: User
    sysadmin: User
    outsider: User

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
            # Test logins count as OTP-verified (administrators need it); the OTP gate has its own tests.
            session = client.session
            session["otp_device_id"] = "test"
            session.save()
        return client


def _region(code, name, kind, parent=None, **extra):
    return Region.objects.create(code=code, name=name, kind=kind, parent=parent, **extra)


def _user(username, role=None, **target):
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    if role:
        Grant.objects.create(user=user, role=role, **target)
    return user


def build_world() -> World:
    K = RegionKind
    jiangsu = _region("320000000000", "江苏省", K.PROVINCE)
    suzhou = _region("320500000000", "苏州市", K.CITY, jiangsu)
    huqiu = _region("320505000000", "虎丘区", K.DISTRICT, suzhou)
    wuzhong = _region("320506000000", "吴中区", K.DISTRICT, suzhou)
    gusu = _region("320508000000", "姑苏区", K.DISTRICT, suzhou)
    park = _region("320571000000", "苏州工业园区", K.ZONE, suzhou)
    resort = _region("320590000000", "苏州太湖国家旅游度假区", K.ZONE, suzhou, is_official=False)
    shishan = _region("320505002000", "狮山街道", K.STREET, huqiu)
    xietang = _region("320505006000", "斜塘街道", K.STREET, huqiu)
    weiting = _region("320506009000", "唯亭街道", K.STREET, wuzhong)
    mudu = _region("320506108000", "木渎镇", K.TOWN, wuzhong)
    jinting = _region("320506114000", "金庭镇", K.TOWN, wuzhong)
    canglang = _region("320508002000", "沧浪街道", K.STREET, gusu)
    mudu_village = _region("320506108201", "木渎镇示范村", K.VILLAGE, mudu, is_demo=True)
    for zone, member in ((park, xietang), (park, weiting), (resort, jinting)):
        ZoneMembership.objects.create(zone=zone, member=member)

    def station(name, region, code, kind=StationKind.HOME):
        return Station.objects.create(
            name=name, kind=kind, region=region, public_code=code, address=f"{region.name}1号"
        )

    mudu_home = station("木渎镇代表之家", mudu, "MUDU01")
    weiting_station = station("唯亭街道代表联络站", weiting, "WEIT01", StationKind.LIAISON)
    xietang_station = station("斜塘街道代表联络站", xietang, "XIET01", StationKind.LIAISON)
    canglang_home = station("沧浪街道代表之家", canglang, "CANG01")

    deputy_wz = Deputy.objects.create(
        name="吴测试",
        gender="F",
        term=17,
        level=DeputyLevel.COUNTY,
        electoral_region=mudu,
        public_code="DWZ001",
        phone="13800138000",
    )
    deputy_gs = Deputy.objects.create(
        name="顾测试", gender="M", term=17, level=DeputyLevel.COUNTY, electoral_region=canglang, public_code="DGS001"
    )
    deputy_city = Deputy.objects.create(
        name="苏测试", gender="M", term=17, level=DeputyLevel.CITY, electoral_region=gusu, public_code="DCT001"
    )
    Assignment.objects.create(station=mudu_home, deputy=deputy_wz, is_head=True)
    # A city deputy elected in 姑苏区 who serves at a 吴中区 station ("五级代表进站").
    Assignment.objects.create(station=mudu_home, deputy=deputy_city)
    Assignment.objects.create(station=canglang_home, deputy=deputy_gs)
    member_wz = Member.objects.create(
        name="吴委员", term=14, level=MemberLevel.COUNTY, region=wuzhong, sector="经济界", public_code="MWZ001"
    )
    member_gs = Member.objects.create(
        name="顾委员", term=14, level=MemberLevel.COUNTY, region=gusu, sector="教育界", public_code="MGS001"
    )
    wuzhong_unit = Unit.objects.create(name="吴中区住房和城乡建设局", region=wuzhong, contact_phone="051266000000")
    gusu_unit = Unit.objects.create(name="姑苏区住房和城乡建设局", region=gusu)

    deputy_user = _user("deputy_user", Role.DEPUTY, deputy=deputy_wz)
    deputy_wz.user = deputy_user
    deputy_wz.save(update_fields=["user"])
    return World(
        jiangsu=jiangsu,
        suzhou=suzhou,
        wuzhong=wuzhong,
        gusu=gusu,
        huqiu=huqiu,
        park=park,
        resort=resort,
        mudu=mudu,
        weiting=weiting,
        jinting=jinting,
        xietang=xietang,
        shishan=shishan,
        canglang=canglang,
        mudu_village=mudu_village,
        mudu_home=mudu_home,
        weiting_station=weiting_station,
        xietang_station=xietang_station,
        canglang_home=canglang_home,
        deputy_wz=deputy_wz,
        deputy_gs=deputy_gs,
        deputy_city=deputy_city,
        member_wz=member_wz,
        member_gs=member_gs,
        wuzhong_unit=wuzhong_unit,
        gusu_unit=gusu_unit,
        city_staff=_user("city_staff", Role.CONGRESS_STAFF, region=suzhou),
        wuzhong_staff=_user("wuzhong_staff", Role.CONGRESS_STAFF, region=wuzhong),
        gusu_staff=_user("gusu_staff", Role.CONGRESS_STAFF, region=gusu),
        park_staff=_user("park_staff", Role.CONGRESS_STAFF, region=park),
        resort_staff=_user("resort_staff", Role.CONGRESS_STAFF, region=resort),
        keeper=_user("keeper", Role.STATION_KEEPER, station=mudu_home),
        unit_user=_user("unit_user", Role.UNIT_STAFF, unit=wuzhong_unit),
        deputy_user=deputy_user,
        sysadmin=_user("sysadmin", Role.SYSTEM_ADMIN, region=suzhou),
        outsider=_user("outsider"),
    )


def assert_statuses(world: World, url: str, expected: dict[str, int], *, method: str = "get", data=None):
    """Request `url` as each named user and compare status codes: {"wuzhong_staff": 200, "gusu_staff": 404, ...}.

    The name "anonymous" means no login. Collects every mismatch before failing, so one run shows the whole grid.
    """
    mismatches = []
    for name, status in expected.items():
        user = None if name == "anonymous" else getattr(world, name)
        response = getattr(world.client(user), method)(url, data or {})
        if response.status_code != status:
            mismatches.append(f"{name}: expected {status}, got {response.status_code}")
    assert not mismatches, f"{method.upper()} {url}\n" + "\n".join(mismatches)


@contextmanager
def serving(handler) -> Iterator[str]:
    """A fake of an outside HTTP API (an SMS gateway, WeChat) on a free local port, in a thread; yields its base URL
    ("http://127.0.0.1:<port>") and stops it afterwards. Tests never reach the internet."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
