"""What import_regions and import_zones share: run an importer in the site language and print its report."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class ImportCommand(BaseCommand):
    importer = None  # set by subclasses: a function (file, *, dry_run) -> ImportResult

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            result = type(self).importer(options["file"], dry_run=options["dry_run"])
            if not result.ok:
                for problem in result.problems:
                    self.stderr.write(str(problem))
                count = len(result.problems)
                raise CommandError(
                    ngettext(
                        "%(count)d problem found; nothing was imported.",
                        "%(count)d problems found; nothing was imported.",
                        count,
                    )
                    % {"count": count}
                )
            self.stdout.write(self.style.SUCCESS(result.summary()))
            if not result.changed and not result.dry_run:
                self.stdout.write(_("Everything was up to date."))
