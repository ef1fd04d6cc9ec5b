"""The reception-day planner: proposes which deputy goes to which station, in memory, without the database.

Rules (issue 6, DOMAIN.md §2):
0. Before all: a deputy already on duty at one of the day's stations at the same hours (a roster reception) stays
   there, and one on duty elsewhere is not planned (renda/receptions/actions/planning.py says which).
1. Nobody is planned twice and nobody who said they cannot come is planned at all.
2. Every town/street with a station gets at least one deputy whenever the deputies' eligibility allows it: a maximum
   bipartite matching between towns and deputies (Hopcroft–Karp) decides who covers which town first.
3. Then every station with an eligible deputy gets at least one wherever eligibility allows (a maximum matching
   between stations and deputies, grown from step 2's by augmenting paths, so no town loses its deputy).
4. Everyone else goes to a station they serve, the least crowded one first; a deputy who serves no station in the
   campaign's region goes to the least crowded eligible town (their electoral region's towns).
5. A deputy with no eligible station is left unassigned and listed for staff to place by hand.

Eligibility: a deputy may go to the stations they serve (五级代表进站). Higher-level deputies (county and above) may
also go to any town of their electoral region, so they can fill towns no local deputy reaches; township and street
deputies who serve nowhere may go to their own town's stations.

`plan()` takes plain ids so that the same code plans 2,700 deputies from the database and 200,000 in the benchmark.
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field

LOCAL_LEVELS = frozenset({"township", "street"})


@dataclass(frozen=True)
class StationInfo:
    id: int
    town: int | None  # the town/street the station lies in; None for a station above town level (a district's home)
    is_home: bool = False  # 代表之家 first when a town's station must be chosen for someone who serves none there


@dataclass(frozen=True)
class DeputyInfo:
    id: int
    level: str
    serves: tuple[int, ...] = ()  # station ids they serve, inside the campaign's region
    region_towns: tuple[int, ...] = ()  # towns of their electoral region, inside the campaign's region


@dataclass
class Plan:
    assignments: dict[int, int] = field(default_factory=dict)  # deputy id → station id
    unassigned: list[int] = field(default_factory=list)
    uncovered_towns: list[int] = field(default_factory=list)


def eligible_towns(deputy: DeputyInfo, stations: dict[int, StationInfo]) -> list[int]:
    """Towns the deputy may be sent to, in a stable order (served stations' towns first)."""
    towns = []
    for station_id in deputy.serves:
        town = stations[station_id].town
        if town is not None and town not in towns:
            towns.append(town)
    if deputy.level not in LOCAL_LEVELS or not deputy.serves:
        towns += [t for t in deputy.region_towns if t not in towns]
    return towns


def max_matching(adjacency: dict[int, list[int]]) -> dict[int, int]:
    """Hopcroft–Karp: a maximum matching of left vertices (deputies) to right vertices (towns); returns left → right.

    Iterative (no recursion limit at 200,000 deputies), O(E·√V).
    """
    match_left: dict[int, int] = {}
    match_right: dict[int, int] = {}
    # A greedy start leaves only a few augmenting paths to find.
    for left, rights in adjacency.items():
        for right in rights:
            if right not in match_right:
                match_left[left], match_right[right] = right, left
                break
    infinity = float("inf")
    while True:
        # Breadth-first layers from every free left vertex.
        dist: dict[int, float] = {}
        queue = deque()
        for left in adjacency:
            if left not in match_left:
                dist[left] = 0
                queue.append(left)
        found = False
        while queue:
            left = queue.popleft()
            for right in adjacency[left]:
                partner = match_right.get(right)
                if partner is None:
                    found = True
                elif partner not in dist:
                    dist[partner] = dist[left] + 1
                    queue.append(partner)
        if not found:
            return match_left
        # Depth-first along the layers, with an explicit stack of (left vertex, next edge index).
        for root in [left for left in adjacency if left not in match_left]:
            stack = [(root, 0)]
            path: list[tuple[int, int]] = []
            while stack:
                left, index = stack[-1]
                rights = adjacency[left]
                if index >= len(rights):
                    dist[left] = infinity  # dead end: never try it again in this phase
                    stack.pop()
                    if path:
                        path.pop()
                    continue
                stack[-1] = (left, index + 1)
                right = rights[index]
                partner = match_right.get(right)
                if partner is None:
                    path.append((left, right))
                    for l_vertex, r_vertex in path:
                        match_left[l_vertex], match_right[r_vertex] = r_vertex, l_vertex
                    break
                if dist.get(partner) == dist[left] + 1:
                    path.append((left, right))
                    stack.append((partner, 0))


def extra_towns(deputy: DeputyInfo) -> tuple[int, ...]:
    """Towns whose every station the deputy may go to, beyond the stations they serve: their electoral region's
    towns for a higher-level deputy, their own town for a local deputy who serves nowhere."""
    if deputy.level not in LOCAL_LEVELS or not deputy.serves:
        return deputy.region_towns
    return ()


def eligible_stations(deputy: DeputyInfo, stations: dict[int, StationInfo], town_stations) -> set[int]:
    """Every station the deputy may be sent to (the rule of the module docstring, per station)."""
    found = {sid for sid in deputy.serves if sid in stations}
    for town in extra_towns(deputy):
        found.update(town_stations.get(town, ()))
    return found


def plan(
    deputies: list[DeputyInfo],
    stations: list[StationInfo],
    unavailable: set[int] | frozenset[int] = frozenset(),
    fixed: dict[int, int] | None = None,
) -> Plan:
    """`fixed`: {deputy id: station id} for deputies already on duty at one of these stations at the same hours
    (a roster reception): they stay there, and that station and its town count as covered."""
    by_id = {s.id: s for s in stations}
    town_stations: dict[int, list[int]] = defaultdict(list)
    for s in sorted(stations, key=lambda s: (not s.is_home, s.id)):
        if s.town is not None:
            town_stations[s.town].append(s.id)
    load: dict[int, int] = defaultdict(int)  # deputies per station so far
    town_load: dict[int, int] = defaultdict(int)
    result = Plan()

    def place(deputy: DeputyInfo, station_id: int) -> None:
        result.assignments[deputy.id] = station_id
        load[station_id] += 1
        town = by_id[station_id].town
        if town is not None:
            town_load[town] += 1

    def unplace(deputy_id: int) -> None:
        station_id = result.assignments.pop(deputy_id)
        load[station_id] -= 1
        town = by_id[station_id].town
        if town is not None:
            town_load[town] -= 1

    def station_in_town(deputy: DeputyInfo, town: int) -> int:
        served = [sid for sid in deputy.serves if by_id[sid].town == town]
        return min(served or town_stations[town], key=lambda sid: load[sid])

    available = [d for d in deputies if d.id not in unavailable]
    index = {d.id: d for d in available}
    # 0. Already on duty at one of the day's stations at these hours: they stay where they are.
    pinned = set()
    for deputy_id, station_id in sorted((fixed or {}).items()):
        if deputy_id in index and station_id in by_id:
            place(index[deputy_id], station_id)
            pinned.add(deputy_id)
    free = [d for d in available if d.id not in pinned]

    # 1. Every town: a maximum matching between the towns still uncovered and the deputies who may go there.
    adjacency = {}
    for d in free:
        towns = [t for t in eligible_towns(d, by_id) if t in town_stations]
        if towns:
            adjacency[d.id] = towns
    if pinned:  # towns already covered by someone pinned there need nobody else
        open_towns = {d: [t for t in ts if not town_load[t]] for d, ts in adjacency.items()}
        matched = max_matching({d: towns for d, towns in open_towns.items() if towns})
    else:
        matched = max_matching(adjacency)
    for deputy_id, town in sorted(matched.items()):
        place(index[deputy_id], station_in_town(index[deputy_id], town))

    # 2. Every station with an eligible deputy gets one wherever a matching allows.
    _cover_stations(free, stations, by_id, town_stations, load, result.assignments, place, unplace, index)

    # 3. Balance: everyone else to a station they serve, the least crowded first, or to the least crowded town.
    for d in free:
        if d.id in result.assignments:
            continue
        if d.serves:
            place(d, min(d.serves, key=lambda sid: (load[sid], sid)))
        elif d.id in adjacency:
            town = min(adjacency[d.id], key=lambda t: (town_load[t], t))
            place(d, station_in_town(d, town))
        else:
            result.unassigned.append(d.id)
    result.uncovered_towns = sorted(t for t in town_stations if town_load[t] == 0)
    return result


def _cover_stations(free, stations, by_id, town_stations, load, assignments, place, unplace, index) -> None:
    """Kuhn's augmenting paths from each station nobody covers yet, over the deputies not pinned: a free eligible
    deputy goes there, or one already placed moves there while a free one takes their place (a chain as long as
    needed). A covered station stays covered, so the towns of step 1 stay covered; the stations covered at the end
    are a maximum matching between stations and deputies.

    Candidates of a station: the deputies who serve it first, then those whose extra towns (`extra_towns`) hold it.
    A deputy whose extra towns repeat a town (a duplicate in the tuple) is listed once per group, which is harmless.
    Finding a free candidate walks each list with a pointer that only moves forward (a placed deputy is never
    unplaced here), so the common case — a free deputy at hand — costs the list's length once in all.
    """
    serving: dict[int, list[int]] = defaultdict(list)
    # Deputies grouped by their extra towns (a county's or a city's deputies share one tuple), and each town's groups:
    # a few thousand entries for a province instead of one per deputy and town.
    groups: dict[tuple, list[int]] = defaultdict(list)
    movable = set()
    for d in free:
        movable.add(d.id)
        for sid in d.serves:
            if sid in by_id:
                serving[sid].append(d.id)
        extra = extra_towns(d)
        if extra:
            groups[extra].append(d.id)
    town_groups: dict[int, list[tuple]] = defaultdict(list)
    for key in groups:
        for town in key:
            if town in town_stations:
                town_groups[town].append(key)

    def lists(station_id):
        yield ("s", station_id), serving.get(station_id, ())
        town = by_id[station_id].town
        if town is not None:
            for key in town_groups.get(town, ()):
                yield ("g", key), groups[key]

    pointer: dict[tuple, int] = defaultdict(int)

    def free_candidate(station_id):
        for key, items in lists(station_id):
            i = pointer[key]
            while i < len(items) and items[i] in assignments:
                i += 1
            pointer[key] = i
            if i < len(items):
                return items[i]
        return None

    remaining = sum(1 for d in free if d.id not in assignments)
    for root in sorted(s.id for s in stations):
        if load[root] or remaining == 0:
            continue
        found = free_candidate(root)
        if found is not None:
            place(index[found], root)
            remaining -= 1
            continue
        # Breadth-first over stations: a placed deputy eligible here came from a station that then needs cover.
        parent: dict[int, tuple[int, int]] = {}  # station → (station the mover goes to, the mover)
        seen_deputies: set[int] = set()
        queue = deque([root])
        end = None
        while queue and end is None:
            station_id = queue.popleft()
            for _key, items in lists(station_id):
                for deputy_id in items:
                    if deputy_id in seen_deputies or deputy_id not in movable:
                        continue
                    seen_deputies.add(deputy_id)
                    at = assignments.get(deputy_id)
                    if at is None or load[at] > 1:
                        end = (station_id, deputy_id)
                        break
                    if at not in parent and at != root:
                        parent[at] = (station_id, deputy_id)
                        queue.append(at)
                if end is not None:
                    break
        if end is None:
            continue
        station_id, deputy_id = end
        if deputy_id in assignments:
            unplace(deputy_id)
        else:
            remaining -= 1
        place(index[deputy_id], station_id)
        while station_id != root:
            target, mover = parent[station_id]
            unplace(mover)
            place(index[mover], target)
            station_id = target
