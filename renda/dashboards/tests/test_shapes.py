"""The shipped map shapes against the shipped region list: every district and town of the demo city (苏州市) has a
shape or is listed in data/shapes-missing.csv; the build is up to date with its entry file and echarts version."""

import csv
import hashlib
import json
from pathlib import Path

from renda.dashboards import shapes

ROOT = Path(__file__).resolve().parents[3]
REGIONS = ROOT / "renda" / "regions" / "data"
CITY = "320500000000"


def _suzhou_codes() -> dict[str, str]:
    codes = {}
    with open(REGIONS / "jiangsu.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"].startswith(CITY[:4]) and row["code"] != CITY:
                codes[row["code"]] = row["kind"]
    with open(REGIONS / "suzhou-zones.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes[row["zone_code"]] = "zone"
    return codes


def test_every_district_and_town_has_a_shape_or_is_listed_missing():
    shaped = set(shapes.shapes_by_code())
    with open(shapes.MISSING, encoding="utf-8") as f:
        missing = {row["code"]: row["reason"] for row in csv.DictReader(f)}
    codes = _suzhou_codes()
    assert len(codes) == 9 + 100 + 3
    unaccounted = [code for code in codes if code not in shaped and code not in missing]
    assert not unaccounted
    assert not shaped & set(missing)
    assert set(missing.values()) <= set(shapes.MISSING_REASON)
    # Every legal county-level division of the city has its boundary; towns and zones are the listed gaps.
    counties = {code for code, kind in codes.items() if kind in ("district", "county", "county_city")}
    assert counties <= shaped
    assert len(counties) == 9


def test_shapes_are_small_closed_and_inside_the_province():
    data = shapes.shipped()
    assert data["meta"]["province"] == "320000000000" and data["meta"]["coordinates"] == "GCJ-02"
    assert shapes.DATA.stat().st_size < 400_000
    for feature in data["features"]:
        assert feature["properties"]["code"].startswith("32")
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(116 < x < 122.5 and 30.5 < y < 35.5 for x, y in ring)


def test_simplify_keeps_a_square_and_drops_a_sliver():
    square = [[120, 31], [120.01, 31], [120.01, 31.01], [120.005, 31.01], [120, 31.01], [120, 31]]
    corners = [[120.0, 31.0], [120.01, 31.0], [120.01, 31.01], [120.0, 31.01], [120.0, 31.0]]
    assert shapes.simplify_ring(square) == corners
    assert shapes.simplify_ring([[120, 31], [120.0001, 31], [120, 31.0001], [120, 31]]) is None


def test_chart_bundle_matches_its_entry_and_the_pinned_echarts():
    """static/dashboards/echarts.min.js is committed: rebuilt (npm run build:charts) whenever its inputs change."""
    app = ROOT / "renda" / "dashboards"
    bundle = (app / "static" / "dashboards" / "echarts.min.js").read_text(encoding="utf-8")
    entry = hashlib.sha256((app / "assets" / "charts-entry.js").read_bytes()).hexdigest()
    package = json.loads((ROOT / "package.json").read_text())
    version = package["devDependencies"]["echarts"]
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/echarts"]["version"] == version
    assert bundle.startswith(f"/* echarts {version} entry-sha256 {entry} ")
    assert "cdn" not in bundle.split("\n", 1)[0].lower()
