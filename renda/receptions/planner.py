"""The reception-day planner: proposes which deputy goes to which station, in memory, without the database.

Rules (issue 6, DOMAIN.md §2):
1. Nobody is planned twice and nobody who said they cannot come is planned at all.
2. Every town/street with a station gets at least one deputy whenever the deputies' eligibility allows it: a maximum
   bipartite matching between towns and deputies (Hopcroft–Karp) decides who covers which town first.
3. Everyone else goes to a station they serve, the least crowded one first; a deputy who serves no station in the
   campaign's region goes to the least crowded eligible town (their electoral region's towns).
4. A deputy with no eligible station is left unassigned and listed for staff to place by hand.

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


def plan(
    deputies: list[DeputyInfo], stations: list[StationInfo], unavailable: set[int] | frozenset[int] = frozenset()
) -> Plan:
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

    def station_in_town(deputy: DeputyInfo, town: int) -> int:
        served = [sid for sid in deputy.serves if by_id[sid].town == town]
        return min(served or town_stations[town], key=lambda sid: load[sid])

    available = [d for d in deputies if d.id not in unavailable]
    adjacency = {}
    for d in available:
        towns = [t for t in eligible_towns(d, by_id) if t in town_stations]
        if towns:
            adjacency[d.id] = towns
    matched = max_matching(adjacency)
    index = {d.id: d for d in available}
    for deputy_id, town in sorted(matched.items()):
        place(index[deputy_id], station_in_town(index[deputy_id], town))

    for d in available:
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
