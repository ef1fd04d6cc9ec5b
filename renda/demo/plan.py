"""The demo plan: every village, station, deputy, member and unit of the Suzhou demo, decided in memory.

Planning reads only the shipped regions and a seeded random generator, never what an earlier run wrote, so two runs
plan exactly the same rows with the same keys; `generate.py` then writes the ones that are missing. Each part draws
from its own generator (seeded from 2026 and the part's name), so changing how stations are planned does not
reshuffle every deputy.

Keys are stable and mark demo rows (see `is_demo_code`): villages use their 12-digit code; stations, deputies and
members use a public code made from the region code, the level and a serial number, written in the public-code
alphabet of renda/core/codes.py and prefixed S, D or M.
"""

import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from renda.core.codes import ALPHABET
from renda.people.models import DeputyLevel, Gender, MemberLevel
from renda.regions.models import RegionKind
from renda.stations.models import StationKind

from . import data

SEED = 2026
SUZHOU = "320500000000"
JIANGSU = "320000000000"

# The 届 each level is in as the demo pretends it is 2026 (documented in renda/demo/README.md).
TERMS = {
    DeputyLevel.NATIONAL: 14,
    DeputyLevel.PROVINCIAL: 14,
    DeputyLevel.CITY: 17,
    DeputyLevel.COUNTY: 18,
    DeputyLevel.TOWNSHIP: 19,
    DeputyLevel.STREET: 19,
}
MEMBER_TERMS = {MemberLevel.CITY: 15, MemberLevel.COUNTY: 16}
# Deputies per level at scale 1: 2,880 in all (the article counts 2,673 at one reception day).
DEPUTY_COUNTS = {
    DeputyLevel.NATIONAL: 22,
    DeputyLevel.PROVINCIAL: 78,
    DeputyLevel.CITY: 380,
    DeputyLevel.COUNTY: 1000,
    DeputyLevel.TOWNSHIP: 1200,
    DeputyLevel.STREET: 200,
}
LEVEL_INDEX = {level: index for index, level in enumerate(DeputyLevel.values)}
MEMBER_COUNTS = {MemberLevel.CITY: 120, MemberLevel.COUNTY: 28}  # county: per legal district or county-level city
MIN_STATIONS = 1249  # at scale 1; the article's count for Suzhou
COVERED_SHARE = 0.86  # villages and communities with a station of their own
MAX_LOCAL = 199  # three digits: communities 001-199, villages 201-399

CODE_WIDTHS = {"S": 9, "D": 11, "M": 10}


def encode(prefix: str, number: int) -> str:
    width = CODE_WIDTHS[prefix]
    digits = []
    for _ in range(width):
        number, rest = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[rest])
    if number:
        raise ValueError("number too large for a demo code")
    return prefix + "".join(reversed(digits))


def is_demo_code(code: str) -> bool:
    """True for the public codes the demo writes: hand-made and random codes (6 characters) never look like this."""
    width = CODE_WIDTHS.get(code[:1])
    return width is not None and len(code) == width + 1 and all(char in ALPHABET for char in code[1:])


def station_code(region_code: str, serial: int) -> str:
    return encode("S", int(region_code[2:]) * 100 + serial)


def deputy_code(group_code: str, level: str, serial: int) -> str:
    return encode("D", int(group_code[2:]) * 100_000 + LEVEL_INDEX[level] * 10_000 + serial)


def member_code(region_code: str, serial: int) -> str:
    return encode("M", int(region_code[2:]) * 10_000 + serial)


@dataclass
class Place:
    """A shipped region the plan builds on (a frozen copy, so planning never touches the database)."""

    code: str
    name: str
    kind: str
    parent_code: str | None

    @property
    def short(self) -> str:
        return self.name.removesuffix("（撤销）")

    @property
    def abolished(self) -> bool:
        return "撤销" in self.name


@dataclass
class VillageSpec:
    code: str
    name: str
    kind: str
    parent_code: str


def demo_desk_phone(code: str) -> str:
    """A station's desk phone in Suzhou's 0512 area, derived from its code (no draw from the random streams, so the
    rest of the plan stays as it was)."""
    return f"0512-6{zlib.crc32(code.encode()) % 10_000_000:07d}"


@dataclass
class StationSpec:
    code: str
    name: str
    kind: str
    region_code: str
    address: str
    phone: str
    latitude: Decimal
    longitude: Decimal
    opening_hours: str
    reception_hours: str
    theme: str
    description: str


@dataclass
class PersonSpec:
    code: str
    name: str
    gender: str
    level: str
    term: int
    region_code: str
    occupation: str
    work_unit: str
    biography: str
    phone: str
    delegation: str = ""  # deputies
    sector: str = ""  # members
    stations: list[str] = field(default_factory=list)  # deputies: station codes, first is the main one


@dataclass
class UnitSpec:
    name: str
    region_code: str
    contact_name: str
    contact_phone: str


@dataclass
class Plan:
    villages: list[VillageSpec] = field(default_factory=list)
    stations: list[StationSpec] = field(default_factory=list)
    deputies: list[PersonSpec] = field(default_factory=list)
    heads: dict[str, str] = field(default_factory=dict)  # station code -> deputy code
    members: list[PersonSpec] = field(default_factory=list)
    units: list[UnitSpec] = field(default_factory=list)


def _rng(part: str) -> random.Random:
    return random.Random(f"{SEED}:{part}")


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _person_name(rng, gender: str) -> str:
    # Surnames skew to the common ones as in real rolls; the given name has one or two characters.
    surname = data.SURNAMES[min(int(rng.expovariate(1 / 18)), len(data.SURNAMES) - 1)]
    pool = data.GIVEN_FEMALE if gender == Gender.FEMALE else data.GIVEN_MALE
    return surname + "".join(rng.choice(pool) for _ in range(1 if rng.random() < 0.18 else 2))


def _phone(rng) -> str:
    return rng.choice(("139", "138", "137", "136", "135", "150", "151", "158", "180", "189")) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


def _company(rng) -> str:
    return rng.choice(data.COMPANY_STEMS)


def _spread(total: int, buckets: list, weights: list[float] | None = None) -> list[int]:
    """Split `total` over buckets in proportion to weights (largest remainders first), deterministically."""
    weights = weights or [1.0] * len(buckets)
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(buckets)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Planner:
    def __init__(self, places: list[Place], scale: int = 1):
        self.scale = scale
        self.by_code = {place.code: place for place in places}
        self.counties = [p for p in places if p.parent_code == SUZHOU and p.kind != RegionKind.ZONE]
        self.zones = [p for p in places if p.kind == RegionKind.ZONE]
        county_codes = {county.code for county in self.counties}
        self.towns = [p for p in places if p.kind in (RegionKind.TOWN, RegionKind.STREET, RegionKind.TOWNSHIP)]
        self.towns = [town for town in self.towns if town.parent_code in county_codes]
        self.live_towns = [town for town in self.towns if not town.abolished]
        self.plan = Plan()
        self.villages_of: dict[str, list[VillageSpec]] = {}
        self.station_at: dict[str, str] = {}  # village code -> its station's code
        self.home_of: dict[str, str] = {}  # town or zone code -> its 代表之家's code
        self.town_stations: dict[str, list[str]] = {}  # town code -> station codes in the town, home first
        self.centre: dict[str, tuple[float, float]] = {}
        self.uncovered: list[VillageSpec] = []
        self.towns_in: dict[str, list[Place]] = {}
        for town in self.live_towns:
            self.towns_in.setdefault(town.parent_code, []).append(town)

    def build(self) -> Plan:
        self.plan_villages()
        self.plan_stations()
        self.plan_deputies()
        self.plan_members()
        self.plan_units()
        return self.plan

    # Villages and communities ------------------------------------------------------------------------------

    def plan_villages(self):
        rng = _rng("villages")
        for town in self.towns:
            stems = list(data.PLACE_STEMS)
            rng.shuffle(stems)
            if town.kind == RegionKind.STREET:
                communities, villages = rng.randint(8, 14), 0
            else:
                communities, villages = rng.randint(2, 5), rng.randint(9, 16)
            if town.abolished:  # its villages now belong to the successor town
                communities = villages = 0
            specs = []
            names = iter(self._names(stems))
            for serial in range(1, min(communities * self.scale, MAX_LOCAL) + 1):
                code = f"{town.code[:9]}{serial:03d}"
                specs.append(VillageSpec(code, f"{next(names)}社区", RegionKind.COMMUNITY, town.code))
            for serial in range(201, 201 + min(villages * self.scale, MAX_LOCAL)):
                code = f"{town.code[:9]}{serial:03d}"
                specs.append(VillageSpec(code, f"{next(names)}村", RegionKind.VILLAGE, town.code))
            self.villages_of[town.code] = specs
            self.plan.villages.extend(specs)

    @staticmethod
    def _names(stems):
        round_ = 0
        while True:
            round_ += 1
            for stem in stems:
                yield stem if round_ == 1 else f"{stem}{round_}"

    # Stations -----------------------------------------------------------------------------------------------

    def _county_of(self, code: str) -> Place:
        place = self.by_code[code]
        while place.parent_code and place.parent_code != SUZHOU:
            place = self.by_code[place.parent_code]
        return place

    def _point(self, rng, centre, spread):
        (lat_min, lat_max), (lng_min, lng_max) = data.SUZHOU_BOUNDS
        lat = min(max(centre[0] + rng.uniform(-spread, spread), lat_min), lat_max)
        lng = min(max(centre[1] + rng.uniform(-spread, spread) * 1.2, lng_min), lng_max)
        return lat, lng

    def _station(self, rng, code, name, kind, region_code, address, centre, spread, theme=None):
        lat, lng = self._point(rng, centre, spread)
        theme = theme or rng.choice(data.THEMES)
        spec = StationSpec(
            code=code,
            name=name,
            kind=kind,
            region_code=region_code,
            address=address,
            phone=demo_desk_phone(code),
            latitude=Decimal(f"{lat:.6f}"),
            longitude=Decimal(f"{lng:.6f}"),
            opening_hours=rng.choice(data.OPENING_HOURS),
            reception_hours=rng.choice(data.RECEPTION_HOURS),
            theme=theme,
            description=f"{name}以“{theme}”为特色，组织代表定期接待群众、收集民意、开展履职活动。（演示数据）",
        )
        self.plan.stations.append(spec)
        return spec

    def plan_stations(self):
        rng = _rng("stations")
        for town in self.towns:
            county = self._county_of(town.code)
            centre = data.TOWN_CENTRES.get(town.code) or self._point(rng, data.CENTRES[county.code[:6]], 0.05)
            self.centre[town.code] = centre
            prefix = f"苏州市{county.name}{town.short}"
            home = self._station(
                rng,
                station_code(town.code, 0),
                f"{town.short}人大代表之家",
                StationKind.HOME,
                town.code,
                f"{prefix}{rng.choice(data.ROADS)}{rng.randint(1, 399)}号",
                centre,
                0.01,
            )
            self.home_of[town.code] = home.code
            self.town_stations[town.code] = [home.code]
            if not town.abolished and rng.random() < 0.4:
                theme = rng.choice(("助企服务", "产业园区", "营商环境", "科技创新"))
                extra = self._station(
                    rng,
                    station_code(town.code, 1),
                    f"{town.short}{theme}人大代表联络站",
                    StationKind.LIAISON,
                    town.code,
                    f"{prefix}{rng.choice(data.ROADS)}{rng.randint(1, 399)}号",
                    centre,
                    0.02,
                    theme,
                )
                self.town_stations[town.code].append(extra.code)
            uncovered = []
            for village in self.villages_of[town.code]:
                if rng.random() < COVERED_SHARE:
                    self._village_station(rng, village, prefix, centre, rng.random() < 0.35)
                else:
                    uncovered.append(village)
            self.uncovered.extend(uncovered)
        for zone in self.zones:
            self._zone_stations(rng, zone)
        # Top up to the article's count with contact points in uncovered villages, nearest the front of the list.
        wanted = MIN_STATIONS * self.scale
        for village in self.uncovered:
            if len(self.plan.stations) >= wanted:
                break
            town = self.by_code[village.parent_code]
            prefix = f"苏州市{self._county_of(town.code).name}{town.short}"
            self._village_station(rng, village, prefix, self.centre[town.code], False)

    def _village_station(self, rng, village, prefix, centre, liaison):
        kind, label = (StationKind.LIAISON, "联络站") if liaison else (StationKind.POINT, "联系点")
        office = "党群服务中心" if village.kind == RegionKind.COMMUNITY else "村委会"
        spec = self._station(
            rng,
            station_code(village.code, 0),
            f"{village.name}人大代表{label}",
            kind,
            village.code,
            f"{prefix}{village.name}{office}",
            centre,
            0.025,
        )
        self.station_at[village.code] = spec.code
        self.town_stations[village.parent_code].append(spec.code)

    def _zone_stations(self, rng, zone):
        centre = data.CENTRES.get(zone.code[:6], data.CENTRES["320508"])
        self.centre[zone.code] = centre
        address = f"苏州市{zone.name}{rng.choice(data.ROADS)}{rng.randint(1, 399)}号"
        home = self._station(
            rng,
            station_code(zone.code, 0),
            f"{zone.name}人大代表之家",
            StationKind.HOME,
            zone.code,
            address,
            centre,
            0.01,
        )
        self.home_of[zone.code] = home.code
        self.town_stations[zone.code] = [home.code]
        for serial, theme in enumerate(rng.sample(("助企服务", "科技创新", "生态环保", "营商环境"), 2), start=1):
            address = f"苏州市{zone.name}{rng.choice(data.ROADS)}{rng.randint(1, 399)}号"
            name = f"{zone.name}{theme}人大代表联络站"
            spec = self._station(
                rng, station_code(zone.code, serial), name, StationKind.LIAISON, zone.code, address, centre, 0.03, theme
            )
            self.town_stations[zone.code].append(spec.code)

    # Deputies -----------------------------------------------------------------------------------------------

    def _person(self, rng, level, code, region_code, *, local: Place | None, village: str = ""):
        gender = Gender.FEMALE if rng.random() < 0.3 else Gender.MALE
        name = _person_name(rng, gender)
        grassroots = level in (DeputyLevel.TOWNSHIP, DeputyLevel.STREET, DeputyLevel.COUNTY) and rng.random() < 0.6
        choices = data.OCCUPATIONS_GRASSROOTS if grassroots else data.OCCUPATIONS_GENERAL
        if local and local.kind == RegionKind.STREET:  # no farmers or village secretaries in a street
            choices = [choice for choice in choices if choice[0] not in data.RURAL_OCCUPATIONS]
        occupation, template = rng.choice(choices)
        county = self._county_of(local.code) if local and local.code != SUZHOU else None
        if local and local.kind in (RegionKind.TOWN, RegionKind.STREET, RegionKind.TOWNSHIP):
            town = local.short
        else:  # a deputy of a higher level works somewhere in their district (or anywhere in the city)
            town = rng.choice(self.towns_in.get(county.code if county else None) or self.live_towns).short
        work_unit = template.format(
            town=town,
            village=village or rng.choice(data.PLACE_STEMS) + "社区",
            district=county.name if county else "苏州市",
            company=_company(rng),
        )
        party = _weighted(rng, data.PARTIES)
        born = rng.randint(1962, 1996)
        sex = "女" if gender == Gender.FEMALE else "男"
        biography = (
            f"{name}，{sex}，{born}年生，{party}，{rng.choice(data.EDUCATIONS)}。现任{work_unit}。"
            f"履职中重点关注{rng.choice(data.FOCUSES)}。（演示数据，非真实人物）"
        )
        return PersonSpec(
            code=code,
            name=name,
            gender=gender,
            level=level,
            term=TERMS.get(level, 0),
            region_code=region_code,
            occupation=occupation,
            work_unit=work_unit,
            biography=biography,
            phone=_phone(rng),
        )

    def _add_stations(self, rng, person, codes, count=1):
        choices = [code for code in codes if code not in person.stations]
        for code in rng.sample(choices, min(count, len(choices))):
            person.stations.append(code)

    def _add_higher(self, rng, person, stations, zone_stations, zone_share):
        """A higher-level deputy serves at one or two stations; some of them at one of a zone's."""
        if zone_stations and rng.random() < zone_share:
            self._add_stations(rng, person, stations)
            self._add_stations(rng, person, zone_stations)
        else:
            self._add_stations(rng, person, stations, rng.randint(1, 2))

    def plan_deputies(self):
        rng = _rng("deputies")
        homes = [self.home_of[town.code] for town in self.live_towns]
        zone_stations = [code for zone in self.zones for code in self.town_stations[zone.code]]
        suzhou = self.by_code[SUZHOU]
        for level, region_code, delegation in (
            (DeputyLevel.NATIONAL, JIANGSU, "江苏代表团苏州代表小组"),
            (DeputyLevel.PROVINCIAL, SUZHOU, "苏州代表团"),
        ):
            for serial in range(DEPUTY_COUNTS[level] * self.scale):
                person = self._person(rng, level, deputy_code(SUZHOU, level, serial), region_code, local=suzhou)
                person.delegation = delegation
                self._add_higher(rng, person, homes, zone_stations, 0.25)
                self.plan.deputies.append(person)

        # City deputies are elected by the district congresses: spread by how many towns each district has.
        weights = [sum(1 for t in self.live_towns if t.parent_code == c.code) or 1 for c in self.counties]
        for county, count in zip(
            self.counties, _spread(DEPUTY_COUNTS[DeputyLevel.CITY] * self.scale, self.counties, weights), strict=True
        ):
            local = [
                code for t in self.live_towns if t.parent_code == county.code for code in self.town_stations[t.code][:2]
            ]
            related = [code for z in self.zones for code in self.town_stations[z.code] if self._zone_touches(z, county)]
            for serial in range(count):
                code = deputy_code(county.code, DeputyLevel.CITY, serial)
                person = self._person(rng, DeputyLevel.CITY, code, county.code, local=county)
                person.delegation = f"{county.name}代表团"
                self._add_higher(rng, person, local, related, 0.15)
                self.plan.deputies.append(person)

        county_counts = _spread(DEPUTY_COUNTS[DeputyLevel.COUNTY] * self.scale, self.live_towns)
        for town, count in zip(self.live_towns, county_counts, strict=True):
            county = self._county_of(town.code)
            villages = [self.station_at[v.code] for v in self.villages_of[town.code] if v.code in self.station_at]
            for serial in range(count):
                person = self._person(
                    rng, DeputyLevel.COUNTY, deputy_code(town.code, DeputyLevel.COUNTY, serial), town.code, local=town
                )
                person.delegation = f"{county.name}代表团{town.short}代表小组"
                person.stations.append(self.home_of[town.code])
                if villages and rng.random() < 0.5:
                    self._add_stations(rng, person, villages)
                self.plan.deputies.append(person)

        rural = [t for t in self.live_towns if t.kind != RegionKind.STREET]
        for town, count in zip(rural, _spread(DEPUTY_COUNTS[DeputyLevel.TOWNSHIP] * self.scale, rural), strict=True):
            villages = self.villages_of[town.code]
            for serial in range(count):
                village = rng.choice(villages) if villages else None
                region_code = village.code if village else town.code
                code = deputy_code(town.code, DeputyLevel.TOWNSHIP, serial)
                person = self._person(
                    rng, DeputyLevel.TOWNSHIP, code, region_code, local=town, village=village.name if village else ""
                )
                person.delegation = f"{town.short}人大第{serial % 8 + 1}代表小组"
                own = self.station_at.get(region_code)
                person.stations.append(own or self.home_of[town.code])
                if own and rng.random() < 0.3:
                    person.stations.append(self.home_of[town.code])
                self.plan.deputies.append(person)

        streets = [t for t in self.live_towns if t.kind == RegionKind.STREET]
        for town, count in zip(streets, _spread(DEPUTY_COUNTS[DeputyLevel.STREET] * self.scale, streets), strict=True):
            communities = [self.station_at[v.code] for v in self.villages_of[town.code] if v.code in self.station_at]
            for serial in range(count):
                code = deputy_code(town.code, DeputyLevel.STREET, serial)
                person = self._person(rng, DeputyLevel.STREET, code, town.code, local=town)
                person.delegation = f"{town.short}议政代表小组"
                person.stations.append(self.home_of[town.code])
                if communities and rng.random() < 0.4:
                    self._add_stations(rng, person, communities)
                self.plan.deputies.append(person)
        self._plan_heads(rng)

    def _zone_touches(self, zone: Place, county: Place) -> bool:
        return county.code[:6] in data.ZONE_DISTRICTS.get(zone.code[:6], ())

    def _plan_heads(self, rng):
        """One head per 代表之家 (a county deputy of the town where there is one), and for liaison stations too."""
        serving: dict[str, list[PersonSpec]] = {}
        for person in self.plan.deputies:
            for code in person.stations:
                serving.setdefault(code, []).append(person)
        rank = {DeputyLevel.COUNTY: 0, DeputyLevel.TOWNSHIP: 1, DeputyLevel.STREET: 2, DeputyLevel.CITY: 3}
        for station in self.plan.stations:
            people = serving.get(station.code, [])
            if not people and station.kind == StationKind.HOME:
                # Every home has a head: an abolished town's home or a zone's gets a city deputy from nearby.
                candidates = [p for p in self.plan.deputies if p.level == DeputyLevel.CITY and len(p.stations) == 1]
                person = rng.choice(candidates)
                person.stations.append(station.code)
                people = [person]
            if people and station.kind != StationKind.POINT:
                head = min(people, key=lambda p: rank.get(p.level, 9))
                self.plan.heads[station.code] = head.code

    # Members and units --------------------------------------------------------------------------------------

    def plan_members(self):
        rng = _rng("members")
        groups = [(self.by_code[SUZHOU], MemberLevel.CITY, MEMBER_COUNTS[MemberLevel.CITY])]
        groups += [(county, MemberLevel.COUNTY, MEMBER_COUNTS[MemberLevel.COUNTY]) for county in self.counties]
        for region, level, count in groups:
            for serial in range(count * self.scale):
                person = self._person(rng, level, member_code(region.code, serial), region.code, local=region)
                person.term = MEMBER_TERMS[level]
                person.sector = _weighted(rng, data.SECTORS)
                person.biography = person.biography.replace("（演示数据", f"所属界别：{person.sector}。（演示数据")
                self.plan.members.append(person)

    def plan_units(self):
        rng = _rng("units")
        groups = [(self.by_code[SUZHOU], data.UNIT_DEPARTMENTS)]
        groups += [(county, data.UNIT_DEPARTMENTS) for county in self.counties]
        groups += [(zone, data.PARK_DEPARTMENTS) for zone in self.zones if zone.code == "320571000000"]
        for region, departments in groups:
            for department in departments:
                gender = Gender.FEMALE if rng.random() < 0.4 else Gender.MALE
                phone = "0512" + "".join(rng.choice("0123456789") for _ in range(8))
                self.plan.units.append(
                    UnitSpec(f"{region.name}{department}", region.code, _person_name(rng, gender), phone)
                )
