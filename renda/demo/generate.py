"""Load the Suzhou demo: shipped regions, then the planned villages, stations, people, units and accounts.

One transaction; rows are written with bulk_create in batches and only when their key is not there yet, so a second
run writes nothing new and a failed run leaves nothing behind. Existing rows are left as staff may have edited them;
only the demo accounts' passwords and grants are brought back to the documented state.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from renda.accounts.models import Grant, Role, User
from renda.accounts.passwords import remember_password
from renda.audit.actions import record
from renda.people.models import Deputy, Member, Unit
from renda.regions.importing import load_shipped_regions
from renda.regions.models import Region, path_range_q
from renda.stations.models import Assignment, Station, StationKind

from .logins import demo_logins, demo_password
from .plan import JIANGSU, SUZHOU, Place, Plan, Planner, station_code

BATCH = 500


@dataclass
class Summary:
    created: Counter = field(default_factory=Counter)
    totals: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        width = max(len(name) for name in self.totals)
        rows = [f"  {name.ljust(width)}  {total:>7,}  (+{self.created[name]:,})" for name, total in self.totals.items()]
        return ["Suzhou demo (total, created by this run):", *rows, f"Loaded in {self.seconds:.1f} s."]


def _places() -> list[Place]:
    suzhou = Region.objects.get(code=SUZHOU)
    regions = Region.objects.filter(path_range_q(suzhou.path)).exclude(kind__in=["village", "community"])
    parents = dict(Region.objects.filter(parent__isnull=False).values_list("id", "parent__code"))
    return [
        Place(region.code, region.name, region.kind, parents.get(region.pk))
        for region in regions.only("id", "code", "name", "kind").order_by("code")
    ]


def _create(model, rows) -> int:
    model.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _write_villages(plan: Plan, summary: Summary) -> dict[str, Region]:
    suzhou = Region.objects.get(code=SUZHOU)
    regions = {region.code: region for region in Region.objects.filter(path_range_q(suzhou.path))}
    new = []
    for spec in plan.villages:
        parent = regions[spec.parent_code]
        if spec.code in regions:
            continue
        new.append(
            Region(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent_id=parent.pk,
                path=Region.build_path(parent, spec.code),
                depth=parent.depth + 1,
                is_official=False,  # synthetic codes: never exported as official ones
                is_demo=True,
            )
        )
    summary.created["villages and communities"] = _create(Region, new)
    if new:
        regions = {region.code: region for region in Region.objects.filter(path_range_q(suzhou.path))}
    regions[JIANGSU] = Region.objects.get(code=JIANGSU)
    return regions


def _write_stations(plan: Plan, regions: dict[str, Region], summary: Summary) -> dict[str, int]:
    existing = dict(Station.objects.values_list("public_code", "id"))
    taken = set(Station.objects.values_list("region_id", "name"))
    new = []
    for spec in plan.stations:
        region_id = regions[spec.region_code].pk
        if spec.code in existing or (region_id, spec.name) in taken:
            continue
        fields = {key: value for key, value in spec.__dict__.items() if key not in ("code", "region_code")}
        new.append(Station(public_code=spec.code, region_id=region_id, **fields))
    summary.created["stations"] = _create(Station, new)
    return dict(Station.objects.values_list("public_code", "id")) if new else existing


def _write_people(model, specs, regions, summary: Summary, label: str) -> dict[str, int]:
    existing = dict(model.objects.values_list("public_code", "id"))
    region_field = "electoral_region_id" if model is Deputy else "region_id"
    extra = ("delegation",) if model is Deputy else ("sector",)
    new = []
    for spec in specs:
        if spec.code in existing:
            continue
        fields = {name: getattr(spec, name) for name in ("name", "gender", "level", "term", "occupation", "work_unit")}
        fields |= {name: getattr(spec, name) for name in ("biography", "phone", *extra)}
        new.append(model(public_code=spec.code, **{region_field: regions[spec.region_code].pk}, **fields))
    summary.created[label] = _create(model, new)
    return dict(model.objects.values_list("public_code", "id")) if new else existing


def _write_assignments(plan: Plan, stations: dict[str, int], deputies: dict[str, int], summary: Summary):
    pairs = set(Assignment.objects.values_list("station_id", "deputy_id"))
    headed = set(Assignment.objects.filter(is_head=True).values_list("station_id", flat=True))
    new = []
    for spec in plan.deputies:
        deputy_id = deputies[spec.code]
        for code in spec.stations:
            station_id = stations.get(code)
            if station_id is None or (station_id, deputy_id) in pairs:
                continue  # a station staff renamed into a clash is skipped rather than failing the run
            pairs.add((station_id, deputy_id))
            is_head = plan.heads.get(code) == spec.code and station_id not in headed
            if is_head:
                headed.add(station_id)
            new.append(Assignment(station_id=station_id, deputy_id=deputy_id, is_head=is_head))
    summary.created["assignments"] = _create(Assignment, new)


def _write_units(plan: Plan, regions: dict[str, Region], summary: Summary):
    existing = set(Unit.objects.values_list("region_id", "name"))
    new = [
        Unit(name=spec.name, region_id=regions[spec.region_code].pk, **_contact(spec))
        for spec in plan.units
        if (regions[spec.region_code].pk, spec.name) not in existing
    ]
    summary.created["handling units"] = _create(Unit, new)


def _contact(spec):
    return {"contact_name": spec.contact_name, "contact_phone": spec.contact_phone}


def _grant_target(target: str, regions: dict[str, Region]) -> dict:
    kind, _sep, value = target.partition(":")
    if not value:
        return {"region": regions[kind]}
    if kind == "unit":
        return {"unit": Unit.objects.get(name=value)}
    home = Station.objects.get(public_code=station_code(value, 0))
    if kind == "home":
        return {"station": home}
    return {"deputy": Deputy.objects.get(assignments__station=home, assignments__is_head=True)}


def _write_users(regions: dict[str, Region], summary: Summary):
    """Demo accounts with the documented password; each keeps exactly its one demo grant."""
    # One hash for all: the password is public anyway, and hashing each account would cost a quarter second apiece.
    password = make_password(demo_password())
    county_names = {code[:6]: region.name for code, region in regions.items() if code.endswith("000000")}
    created = 0
    for login in demo_logins(county_names):
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User(username=login.username)
            created += 1
        target = _grant_target(login.target, regions) if login.role else {}
        deputy = target.get("deputy")
        user.display_name = deputy.name if deputy else login.display_name
        user.is_superuser = user.is_staff = login.role is None
        user.is_staff = user.is_staff or login.role == Role.SYSTEM_ADMIN
        user.is_active = True
        user.password = password
        user.save()
        remember_password(user)  # the shared hash is written directly: record it, so it is refused as a new password
        if login.role:
            Grant.objects.filter(user=user).exclude(role=login.role, **target).delete()
            Grant.objects.get_or_create(user=user, role=login.role, **target)
        if deputy and deputy.user_id != user.pk:
            Deputy.objects.filter(user=user).exclude(pk=deputy.pk).update(user=None)
            deputy.user = user
            deputy.save(update_fields=["user"])
    summary.created["demo accounts"] = created


def _totals(plan: Plan) -> dict[str, int]:
    suzhou = Region.objects.get(code=SUZHOU)
    in_suzhou = Region.objects.filter(path_range_q(suzhou.path))
    kinds = Counter(Station.objects.filter(path_range_q(suzhou.path, "region__path")).values_list("kind", flat=True))
    levels = Counter(Deputy.objects.values_list("level", flat=True))
    usernames = [login.username for login in demo_logins({})]
    return {
        "regions in Suzhou": in_suzhou.count(),
        "villages and communities": in_suzhou.filter(kind__in=["village", "community"]).count(),
        "stations": sum(kinds.values()),
        "  homes (代表之家)": kinds[StationKind.HOME],
        "  liaison stations": kinds[StationKind.LIAISON],
        "  contact points": kinds[StationKind.POINT],
        "deputies": sum(levels.values()),
        **{f"  {level}": levels[level] for level in ("national", "provincial", "city", "county", "township", "street")},
        "assignments": Assignment.objects.count(),
        "CPPCC members": Member.objects.count(),
        "handling units": Unit.objects.count(),
        "demo accounts": User.objects.filter(username__in=usernames).count(),
    }


def load_demo(*, scale: int = 1) -> Summary:
    """Load (or complete) the demo; `scale` multiplies villages, stations, deputies and members for benchmarks."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    started = time.perf_counter()
    summary = Summary()
    with transaction.atomic():
        load_shipped_regions()
        plan = Planner(_places(), scale).build()
        regions = _write_villages(plan, summary)
        stations = _write_stations(plan, regions, summary)
        deputies = _write_people(Deputy, plan.deputies, regions, summary, "deputies")
        _write_people(Member, plan.members, regions, summary, "CPPCC members")
        _write_assignments(plan, stations, deputies, summary)
        _write_units(plan, regions, summary)
        _write_users(regions, summary)
        summary.totals = _totals(plan)
        record(None, "demo.load", None, changes={"scale": scale, **{k: v for k, v in summary.created.items()}})
    summary.seconds = time.perf_counter() - started
    return summary
