import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renda.backup.archive import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database and media folder (stop the site first). The "
        "whole archive is checked before anything changes; afterwards every table is recounted, every file re-hashed "
        "and the audit chain verified."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="the database alias (default: DATABASE_URL's)")
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database and media folder that are not empty"
        )

    def handle(self, *args, archive, force, database, **options):
        started = time.monotonic()
        try:
            manifest = restore(archive, force=force, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:  # a full disk, a folder not writable: say which file
            raise CommandError(f"{exc.strerror}: {exc.filename}" if exc.filename else str(exc)) from None
        self.stdout.write(
            f"restored {archive} ({time.monotonic() - started:.1f} s): {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows and {len(manifest['media'])} media files match the manifest; "
            f"audit chain intact up to record {manifest['audit_head']['id']}. Made by renda "
            f"{manifest['app_version']}: run `manage.py migrate` if this code is newer."
        )
