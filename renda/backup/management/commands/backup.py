import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renda.backup.archive import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write the database (PostgreSQL: pg_dump -Fc; SQLite: the online backup API), every media file and a manifest "
        "of counts and checksums into one tar archive (gzip when the name ends in .gz). Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="the database alias (default: DATABASE_URL's)")
        parser.add_argument("out", type=Path, help="the archive to write, e.g. /var/backups/renda/renda-2026-12-06.tar")

    def handle(self, *args, out, database, **options):
        started = time.monotonic()
        try:
            manifest = backup(out, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:  # a full disk, a folder not writable: say which file
            raise CommandError(f"{exc.strerror}: {exc.filename}" if exc.filename else str(exc)) from None
        self.stdout.write(
            f"backup written to {out} ({out.stat().st_size} bytes, {time.monotonic() - started:.1f} s): "
            f"{manifest['vendor']}, {len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
            f"{len(manifest['media'])} media files, audit chain head {manifest['audit_head']['id']}"
        )
