"""Properties of the reception-day planner (renda/receptions/planner.py), checked on random small cities.

The coverage oracle is independent of the planner's algorithm: by the deficiency form of Hall's theorem, the most
towns that distinct deputies can cover is |towns| − max over town sets S of (|S| − |deputies eligible for S|).
"""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from renda.receptions.planner import (
    LOCAL_LEVELS,
    DeputyInfo,
    StationInfo,
    eligible_stations,
    eligible_towns,
    max_matching,
    plan,
)

LEVELS = ["national", "provincial", "city", "county", "township", "street"]


@st.composite
def cities(draw):
    n_towns = draw(st.integers(1, 5))
    towns = list(range(100, 100 + n_towns))
    n_stations = draw(st.integers(1, 8))
    stations = [
        StationInfo(id=i, town=draw(st.sampled_from([*towns, None])), is_home=draw(st.booleans()))
        for i in range(1, n_stations + 1)
    ]
    deputies = []
    for deputy_id in range(1, draw(st.integers(0, 10)) + 1):
        serves = draw(st.lists(st.sampled_from([s.id for s in stations]), max_size=3, unique=True))
        region_towns = draw(st.lists(st.sampled_from(towns), max_size=n_towns, unique=True))
        deputies.append(DeputyInfo(deputy_id, draw(st.sampled_from(LEVELS)), tuple(serves), tuple(region_towns)))
    unavailable = set(draw(st.lists(st.sampled_from([d.id for d in deputies] or [0]), max_size=3)))
    return deputies, stations, unavailable


def most_towns_coverable(deputies, stations, unavailable) -> int:
    by_id = {s.id: s for s in stations}
    towns = sorted({s.town for s in stations if s.town is not None})
    eligible = {d.id: set(eligible_towns(d, by_id)) & set(towns) for d in deputies if d.id not in unavailable}
    worst = 0
    for size in range(1, len(towns) + 1):
        for subset in combinations(towns, size):
            neighbours = {d for d, ts in eligible.items() if ts & set(subset)}
            worst = max(worst, size - len(neighbours))
    return len(towns) - worst


@settings(max_examples=300, deadline=None)
@given(cities())
def test_planner_properties(city):
    deputies, stations, unavailable = city
    by_id = {s.id: s for s in stations}
    result = plan(deputies, stations, unavailable)

    available = {d.id for d in deputies if d.id not in unavailable}
    # Nobody twice, nobody forgotten: every available deputy is either assigned once or listed as unassigned.
    assert set(result.assignments).isdisjoint(result.unassigned)
    assert len(result.unassigned) == len(set(result.unassigned))
    assert set(result.assignments) | set(result.unassigned) == available
    # Unavailability is respected.
    assert not (set(result.assignments) & unavailable)
    # Everyone goes somewhere they may go; local deputies who serve somewhere go to a station they serve.
    for d in deputies:
        station_id = result.assignments.get(d.id)
        if station_id is None:
            continue
        assert station_id in by_id
        assert station_id in d.serves or by_id[station_id].town in eligible_towns(d, by_id)
        if d.level in LOCAL_LEVELS and d.serves:
            assert station_id in d.serves
    # Every town is covered when possible: exactly as many towns as the best possible plan covers.
    covered = {by_id[s].town for s in result.assignments.values()} - {None}
    towns = {s.town for s in stations} - {None}
    assert len(covered) == most_towns_coverable(deputies, stations, unavailable)
    assert set(result.uncovered_towns) == towns - covered


def most_stations_coverable(deputies, stations, unavailable) -> int:
    """Hall's deficiency again, over stations: the most stations distinct available deputies can cover."""
    by_id = {s.id: s for s in stations}
    town_stations = {}
    for s in stations:
        if s.town is not None:
            town_stations.setdefault(s.town, []).append(s.id)
    eligible = {d.id: eligible_stations(d, by_id, town_stations) for d in deputies if d.id not in unavailable}
    ids = sorted(by_id)
    worst = 0
    for size in range(1, len(ids) + 1):
        for subset in combinations(ids, size):
            neighbours = {d for d, found in eligible.items() if found & set(subset)}
            worst = max(worst, size - len(neighbours))
    return len(ids) - worst


@settings(max_examples=300, deadline=None)
@given(cities())
def test_every_station_with_an_eligible_deputy_gets_one_whenever_a_matching_allows(city):
    """Issue 11 item 7: after the towns, every station gets a deputy wherever eligibility allows — exactly as many
    stations are covered as the best assignment covers, and towns stay covered as well as possible."""
    deputies, stations, unavailable = city
    by_id = {s.id: s for s in stations}
    result = plan(deputies, stations, unavailable)
    covered = set(result.assignments.values())
    best = most_stations_coverable(deputies, stations, unavailable)
    assert len(covered) == best
    town_stations = {}
    for s in stations:
        if s.town is not None:
            town_stations.setdefault(s.town, []).append(s.id)
    with_eligible = {
        sid for d in deputies if d.id not in unavailable for sid in eligible_stations(d, by_id, town_stations)
    }
    if best == len(with_eligible):
        assert covered == with_eligible
    for deputy_id, station_id in result.assignments.items():
        deputy = next(d for d in deputies if d.id == deputy_id)
        assert station_id in eligible_stations(deputy, by_id, town_stations)
    towns = {by_id[s].town for s in covered} - {None}
    assert len(towns) == most_towns_coverable(deputies, stations, unavailable)


def test_an_empty_station_beside_an_overflowing_one_gets_a_deputy():
    """A small case by hand: each station gets someone, and the one deputy who may go to town 20 goes there."""
    stations = [StationInfo(1, town=10, is_home=True), StationInfo(2, town=10), StationInfo(3, town=20)]
    deputies = [
        DeputyInfo(1, "township", serves=(1, 2)),
        DeputyInfo(2, "township", serves=(1,)),
        DeputyInfo(3, "township", serves=(1, 2)),
        DeputyInfo(4, "county", serves=(1,), region_towns=(10, 20)),
    ]
    result = plan(deputies, stations, set())
    assert set(result.assignments.values()) == {1, 2, 3}
    assert result.assignments[4] == 3  # the only one who may go to town 20


@settings(max_examples=200, deadline=None)
@given(cities(), st.data())
def test_deputies_already_on_duty_at_a_station_stay_there(city, data):
    """Issue 11 item 6: a deputy on a roster duty at one of the day's stations at the same hours is planned there."""
    deputies, stations, unavailable = city
    available = [d.id for d in deputies if d.id not in unavailable]
    pinned = data.draw(st.lists(st.sampled_from(available), unique=True, max_size=3)) if available else []
    fixed = {deputy_id: data.draw(st.sampled_from([s.id for s in stations])) for deputy_id in pinned}
    result = plan(deputies, stations, unavailable, fixed=fixed)
    for deputy_id, station_id in fixed.items():
        assert result.assignments[deputy_id] == station_id
    assert not (set(result.assignments) & unavailable)


def test_a_higher_level_deputy_is_sent_to_the_town_nobody_else_reaches():
    stations = [StationInfo(1, town=10, is_home=True), StationInfo(2, town=20, is_home=True), StationInfo(3, town=20)]
    deputies = [
        DeputyInfo(1, "township", serves=(1,)),
        DeputyInfo(2, "township", serves=(1,)),
        # A city deputy serving at town 10's home, elected in a district with both towns: town 20 needs them.
        DeputyInfo(3, "city", serves=(1,), region_towns=(10, 20)),
    ]
    result = plan(deputies, stations, set())
    assert result.assignments[1] == 1 and result.assignments[2] == 1
    assert result.assignments[3] == 2  # the town's 代表之家 comes first
    assert result.uncovered_towns == []


def test_unavailable_and_ineligible_deputies():
    stations = [StationInfo(1, town=10)]
    deputies = [DeputyInfo(1, "county", serves=(1,)), DeputyInfo(2, "county"), DeputyInfo(3, "township")]
    result = plan(deputies, stations, {1})
    assert result.assignments == {}
    assert sorted(result.unassigned) == [2, 3]
    assert result.uncovered_towns == [10]


def test_served_stations_are_balanced():
    stations = [StationInfo(1, town=10), StationInfo(2, town=10)]
    deputies = [DeputyInfo(i, "township", serves=(1, 2)) for i in range(1, 7)]
    result = plan(deputies, stations, set())
    counts = [list(result.assignments.values()).count(s) for s in (1, 2)]
    assert counts == [3, 3]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 7), st.lists(st.integers(0, 5), min_size=1, max_size=4, unique=True)))
def test_max_matching_is_maximum_and_valid(adjacency):
    matching = max_matching(adjacency)
    assert all(right in adjacency[left] for left, right in matching.items())
    assert len(set(matching.values())) == len(matching)
    rights = sorted({r for rs in adjacency.values() for r in rs})
    worst = 0
    for size in range(1, len(rights) + 1):
        for subset in combinations(rights, size):
            worst = max(worst, size - sum(1 for rs in adjacency.values() if set(rs) & set(subset)))
    assert len(matching) == len(rights) - worst
