"""Which town/street a place lies in, and which towns a deputy's region covers: the eligibility rule shared by the
planner's input (campaign.load_planning_input) and the conflicts page (conflicts.find_conflicts).

A deputy's region is their electoral region, widened to the whole town when they were elected below town level (a
village), plus the towns a zone manages when they were elected in a zone. Everything is read once per use into memory
(paths are 12-digit codes concatenated, so "under" is a prefix test and a sorted list finds a subtree by bisection).
"""

from bisect import bisect_left
from collections import defaultdict

from renda.regions.models import CODE_LENGTH, TOWN_KINDS, Region, RegionKind, ZoneMembership, paths_q


class TownIndex:
    def __init__(self, prefixes: list[str]):
        towns = Region.objects.filter(paths_q(prefixes), kind__in=[str(kind) for kind in TOWN_KINDS])
        self.by_path = dict(towns.values_list("path", "id"))
        self.paths = sorted(self.by_path)
        self._zone_members = None
        self._home_towns: dict[int, tuple[int, ...]] = {}

    def town_path_of(self, path: str) -> str | None:
        """The path of the town/street `path` lies in (itself if it is one); None above town level."""
        for end in range(len(path), 0, -CODE_LENGTH):
            if path[:end] in self.by_path:
                return path[:end]
        return None

    def town_of(self, path: str) -> int | None:
        town_path = self.town_path_of(path)
        return self.by_path[town_path] if town_path else None

    def towns_under(self, path: str) -> list[int]:
        found, index = [], bisect_left(self.paths, path)
        while index < len(self.paths) and self.paths[index].startswith(path):
            found.append(self.by_path[self.paths[index]])
            index += 1
        return found

    def home_prefixes(self, region_id: int, path: str, kind: str) -> list[str]:
        """The path prefixes of a deputy's region (see the module docstring)."""
        prefixes = [self.town_path_of(path) or path]
        if kind == RegionKind.ZONE:
            if self._zone_members is None:
                self._zone_members = defaultdict(list)
                for zone_id, member_path in ZoneMembership.objects.values_list("zone_id", "member__path"):
                    self._zone_members[zone_id].append(member_path)
            prefixes += self._zone_members.get(region_id, [])
        return prefixes

    def home_towns(self, region_id: int, path: str, kind: str) -> tuple[int, ...]:
        """The towns of a deputy's region, once per electoral region."""
        towns = self._home_towns.get(region_id)
        if towns is None:
            found = [town for prefix in self.home_prefixes(region_id, path, kind) for town in self.towns_under(prefix)]
            towns = self._home_towns[region_id] = tuple(dict.fromkeys(found))
        return towns
