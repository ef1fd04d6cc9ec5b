from renda.regions.importing import import_zones

from ._report import ImportCommand


class Command(ImportCommand):
    help = (
        "Import development zones and the towns they manage "
        "(CSV: zone_code,zone_name,parent_code,member_code,member_name,is_official); all rows or none."
    )
    importer = import_zones
