from renda.regions.importing import import_divisions

from ._report import ImportCommand


class Command(ImportCommand):
    help = "Import an official division list (CSV: code,name,parent_code,kind); all rows or none."
    importer = import_divisions
