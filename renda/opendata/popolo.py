"""The Popolo open-data document: deputies, CPPCC members, congresses, committees, stations and regions.

Built from five flat queries (regions, deputies, members, stations, assignments) read as plain values, so the
count stays the same however many rows there are, and the private columns (phones, accounts) are never loaded.

Organizations that have no table of their own are derived, with ids that stay stable while the data does:

- A congress (人民代表大会) per deputy level and term, seated at the region of the deputy's electoral region whose kind
  fits the level: provincial → the province, city → the city, county → the district/county(-level city)/zone,
  township → the town or township. National deputies sit in 全国人民代表大会. Id: organization/congress/<code>/<term>
  (organization/congress/national/<term>). Streets have no congress: their 议政代表 form a 议政代表会议 at the street.
- A delegation or group (代表团/代表小组) per congress and Deputy.delegation text, a child of that congress.
- A CPPCC committee (政协委员会) per member level, term and region, found the same way.
- Stations are organizations classified 代表之家/代表联络站/代表联系点; their parent is the nearest active station of a
  higher kind at the same or an enclosing region (a contact point under its liaison station, that under the home).
"""

from collections import defaultdict

from django.core.files.storage import default_storage
from django.db.models import F
from django.urls import reverse

from renda.people.models import Deputy, DeputyLevel, Member, MemberLevel
from renda.regions.models import CODE_LENGTH, COUNTY_KINDS, Region, RegionKind, ancestor_codes
from renda.stations.models import Assignment, Station, StationKind

CODE_SCHEME = "renda-public-code"
REGION_SCHEME = "gb-t-2260-12"  # The statistics bureau's 12-digit division codes.
STATION_CLASSIFICATION = {
    StationKind.HOME: "代表之家",
    StationKind.LIAISON: "代表联络站",
    StationKind.POINT: "代表联系点",
    StationKind.STUDIO: "政协委员工作室",
}
# A station's parent is the nearest station of a lower rank above it; members' studios (the CPPCC's) have no rank:
# they neither have a parent nor are one.
STATION_RANK = {StationKind.HOME: 0, StationKind.LIAISON: 1, StationKind.POINT: 2}
GENDER = {"M": "male", "F": "female"}
# Which region kinds seat a congress or committee of each level.
LEVEL_KINDS = {
    "provincial": {RegionKind.PROVINCE},
    "city": {RegionKind.CITY},
    "county": set(COUNTY_KINDS),
    "township": {RegionKind.TOWN, RegionKind.TOWNSHIP},
    "street": {RegionKind.STREET},
}
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 the way terms are written: 十四, 十七, 二十."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}" if n < 100 else str(n)


class Builder:
    def __init__(self, request):
        self.request = request
        self.regions = {}  # code → (name, kind, path)
        self.organizations = {}
        self.posts = {}
        self.memberships = []
        self.pages = {}

    def url(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def page(self, name: str, code: str) -> str:
        """A public page's absolute URL; reversed once per page kind, as thousands of rows share the pattern."""
        if name not in self.pages:
            self.pages[name] = self.url(reverse(name, args=["__code__"]))
        return self.pages[name].replace("__code__", code)

    # Areas ----------------------------------------------------------------------------------------------------

    def areas(self):
        rows = Region.objects.order_by("path").values_list("code", "name", "kind", "path", "is_official")
        areas = []
        for code, name, kind, path, official in rows:
            self.regions[code] = (name, kind, path)
            parent = path[-2 * CODE_LENGTH : -CODE_LENGTH] if len(path) > CODE_LENGTH else None
            areas.append(
                {
                    "id": f"area/{code}",
                    "name": name,
                    "identifier": code if official else None,
                    "classification": kind,
                    "parent_id": f"area/{parent}" if parent else None,
                    "links": [{"url": self.page("public:region", code), "note": "public page"}],
                }
            )
        return areas

    def seat(self, path: str, level: str) -> str:
        """The code of the region seating the level's congress/committee for a person of this region path."""
        kinds = LEVEL_KINDS.get(level, set())
        codes = ancestor_codes(path, include_self=True)
        for code in reversed(codes):
            if self.regions.get(code, (None, None))[1] in kinds:
                return code
        return codes[-1]  # No region of that kind above: the person's own region seats it.

    # Organizations --------------------------------------------------------------------------------------------

    def add_org(self, org_id: str, **fields):
        if org_id not in self.organizations:
            self.organizations[org_id] = {"id": org_id, **fields}
        return org_id

    def congress(self, level: str, term: int, path: str) -> tuple[str, str | None]:
        """The congress id and its seat's area id (None for the national congress)."""
        number = chinese_number(term)
        if level == DeputyLevel.NATIONAL:
            org_id = f"organization/congress/national/{term}"
            self.add_org(org_id, name=f"第{number}届全国人民代表大会", classification="人民代表大会")
            return org_id, None
        code = self.seat(path, level)
        place = self.regions[code][0]
        org_id = f"organization/congress/{code}/{term}"
        if level == DeputyLevel.STREET:
            name, classification = f"{place}第{number}届议政代表会议", "议政代表会议"
        else:
            name, classification = f"{place}第{number}届人民代表大会", "人民代表大会"
        self.add_org(org_id, name=name, classification=classification, area_id=f"area/{code}")
        return org_id, f"area/{code}"

    def committee(self, level: str, term: int, path: str) -> tuple[str, str | None]:
        number = chinese_number(term)
        if level == MemberLevel.NATIONAL:
            org_id = f"organization/cppcc/national/{term}"
            self.add_org(org_id, name=f"中国人民政治协商会议第{number}届全国委员会", classification="政协委员会")
            return org_id, None
        code = self.seat(path, level)
        org_id = f"organization/cppcc/{code}/{term}"
        name = f"中国人民政治协商会议{self.regions[code][0]}第{number}届委员会"
        self.add_org(org_id, name=name, classification="政协委员会", area_id=f"area/{code}")
        return org_id, f"area/{code}"

    def post(self, post_id: str, label: str, org_id: str, area_id: str | None = None) -> str:
        if post_id not in self.posts:
            self.posts[post_id] = {"id": post_id, "label": label, "role": label, "organization_id": org_id}
            if area_id:
                self.posts[post_id]["area_id"] = area_id
        return post_id

    # People ---------------------------------------------------------------------------------------------------

    def person(self, kind: str, code: str, row: dict, page: str) -> dict:
        person = {
            "id": f"person/{kind}/{code}",
            "name": row["name"],
            "identifiers": [{"scheme": CODE_SCHEME, "identifier": code}],
            "links": [{"url": self.page(page, code), "note": "public page"}],
        }
        if row["gender"] in GENDER:
            person["gender"] = GENDER[row["gender"]]
        if row["photo"]:
            person["image"] = self.url(default_storage.url(row["photo"]))
        if row["biography"]:
            person["biography"] = row["biography"]
        return person

    def deputies(self):
        fields = ("id", "public_code", "name", "gender", "photo", "biography", "level", "term", "delegation")
        rows = (
            Deputy.objects.filter(is_active=True)
            .order_by("public_code")
            .values(*fields, path=F("electoral_region__path"), region_code=F("electoral_region__code"))
        )
        persons, codes = [], {}
        for row in rows:
            code = row["public_code"]
            codes[row["id"]] = code
            person_id = f"person/deputy/{code}"
            persons.append(self.person("deputy", code, row, "public:deputy"))
            congress_id, seat_area = self.congress(row["level"], row["term"], row["path"])
            post_id = self.post(f"{congress_id}/post/deputy", "代表", congress_id, seat_area)
            self.memberships.append(
                {
                    "id": f"membership/deputy/{code}/congress",
                    "person_id": person_id,
                    "organization_id": congress_id,
                    "post_id": post_id,
                    "role": "代表",
                    "area_id": f"area/{row['region_code']}",
                }
            )
            if row["delegation"]:
                group_id = self.add_org(
                    f"{congress_id}/delegation/{row['delegation']}",
                    name=row["delegation"],
                    classification="代表团",
                    parent_id=congress_id,
                )
                self.memberships.append(
                    {
                        "id": f"membership/deputy/{code}/delegation",
                        "person_id": person_id,
                        "organization_id": group_id,
                        "role": "代表",
                    }
                )
        return persons, codes

    def members(self):
        fields = ("public_code", "name", "gender", "photo", "biography", "level", "term", "sector")
        rows = Member.objects.filter(is_active=True).order_by("public_code").values(*fields, path=F("region__path"))
        persons = []
        for row in rows:
            code = row["public_code"]
            persons.append(self.person("member", code, row, "public:member"))
            committee_id, _area = self.committee(row["level"], row["term"], row["path"])
            self.memberships.append(
                {
                    "id": f"membership/member/{code}/cppcc",
                    "person_id": f"person/member/{code}",
                    "organization_id": committee_id,
                    "role": "委员",
                    "label": row["sector"],
                }
            )
        return persons

    # Stations -------------------------------------------------------------------------------------------------

    def stations(self, deputy_codes: dict[int, str]):
        rows = list(
            Station.objects.filter(is_active=True)
            .order_by("public_code")
            .values("id", "public_code", "name", "kind", "description", "phone", path=F("region__path"))
        )
        by_region = defaultdict(list)
        for row in rows:
            by_region[row["path"][-CODE_LENGTH:]].append(row)
        station_codes = {}
        for row in rows:
            code = row["public_code"]
            station_codes[row["id"]] = code
            org = {
                "name": row["name"],
                "classification": STATION_CLASSIFICATION.get(row["kind"], row["kind"]),
                "identifiers": [{"scheme": CODE_SCHEME, "identifier": code}],
                "area_id": f"area/{row['path'][-CODE_LENGTH:]}",
                "parent_id": self.station_parent(row, by_region),
                "links": [{"url": self.page("public:station", code), "note": "public page"}],
            }
            if row["description"]:
                org["description"] = row["description"]
            if row["phone"]:  # the station's public desk phone (never a person's): Popolo contact_details
                org["contact_details"] = [{"type": "voice", "label": "联系电话", "value": row["phone"]}]
            self.add_org(f"organization/station/{code}", **org)
        assignments = (
            Assignment.objects.filter(station__is_active=True, deputy__is_active=True)
            .order_by("station_id", "-is_head", "deputy_id")
            .values_list("station_id", "deputy_id", "is_head")
        )
        for station_id, deputy_id, is_head in assignments:
            station_id_str = f"organization/station/{station_codes[station_id]}"
            deputy = deputy_codes[deputy_id]
            membership = {
                "id": f"membership/deputy/{deputy}/station/{station_codes[station_id]}",
                "person_id": f"person/deputy/{deputy}",
                "organization_id": station_id_str,
                "role": "站长" if is_head else "代表",
            }
            if is_head:
                membership["post_id"] = self.post(f"{station_id_str}/post/head", "站长", station_id_str)
            self.memberships.append(membership)

    def station_parent(self, row: dict, by_region) -> str | None:
        if row["kind"] not in STATION_RANK:
            return None
        rank = STATION_RANK[row["kind"]]
        path = row["path"]
        for end in range(len(path), 0, -CODE_LENGTH):
            above = [
                s for s in by_region.get(path[end - CODE_LENGTH : end], ()) if STATION_RANK.get(s["kind"], rank) < rank
            ]
            if above:
                best = min(above, key=lambda s: (-STATION_RANK[s["kind"]], s["public_code"]))
                return f"organization/station/{best['public_code']}"
        return None

    def build(self) -> dict:
        areas = self.areas()
        deputies, deputy_codes = self.deputies()
        members = self.members()
        self.stations(deputy_codes)
        return {
            "persons": deputies + members,
            "organizations": sorted(self.organizations.values(), key=lambda org: org["id"]),
            "memberships": self.memberships,
            "posts": sorted(self.posts.values(), key=lambda post: post["id"]),
            "areas": areas,
        }


def build(request) -> dict:
    return Builder(request).build()
