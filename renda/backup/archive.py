"""One archive holding the database, the media files and a manifest that lets a restore prove it got everything.

Layout of the tar (plain, or gzip when the name ends in .gz):
    database.dump       PostgreSQL: `pg_dump -Fc`        | database.sqlite3   SQLite: the online backup API's copy
    media/<path>        every file under MEDIA_ROOT
    manifest.json       written last (see `build_manifest`): a truncated archive has none and is refused

Counts, migrations and the audit chain's head are read from the same snapshot the dump is made of (SQLite: the
copy; PostgreSQL: a repeatable-read transaction whose snapshot pg_dump shares through --snapshot), so they match the
dump exactly while the site keeps running. Media is walked after the snapshot: a photo uploaded meanwhile is in the
archive without its row (harmless); uploads are never changed in place (random names).

A restore reads and checks the whole archive into a staging area before it touches anything, then replaces the
database (SQLite: rename of a finished file; PostgreSQL: pg_restore --single-transaction) and the media folder
(rename), then recounts every table, re-hashes every file and verifies the audit chain.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from renda.audit.chain import chain_head
from renda.audit.chain import verify as verify_chain
from renda.audit.models import AuditAnchor, AuditEvent

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def app_version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- reading a snapshot (a DB-API cursor on the copy or inside the exported snapshot) -----------------------------


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (a name from the catalogue, quoted)
        counts[table] = cursor.fetchone()[0]
    return counts


def _snapshot_state(cursor, vendor: str) -> dict:
    """Table counts, the latest migration per app and the audit chain's head, all from one snapshot."""
    counts = _counts(cursor, vendor)
    migrations = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations[app] = name  # names start with their number, so the last one per app is the latest
    head = {"id": 0, "hash": ""}
    events, anchors = AuditEvent._meta.db_table, AuditAnchor._meta.db_table
    if events in counts:  # chain_head's rule: the last record, else the anchor left by a purge
        cursor.execute(f"SELECT id, hash FROM {_quote(events)} ORDER BY id DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
        if row is None and anchors in counts:
            cursor.execute(f"SELECT last_id, last_hash FROM {_quote(anchors)} ORDER BY id DESC LIMIT 1")  # noqa: S608
            row = cursor.fetchone()
        if row is not None:
            head = {"id": row[0], "hash": row[1]}
    return {"tables": counts, "migrations": migrations, "audit_head": head}


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env["PG" + key.upper()] = str(options[key])
    return env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


# --- backup -------------------------------------------------------------------------------------------------------


def _dump_sqlite(settings_dict: dict, dest: Path) -> dict:
    if not Path(settings_dict["NAME"]).is_file():
        raise BackupError(f"the SQLite database {settings_dict['NAME']} does not exist")
    source = sqlite3.connect(settings_dict["NAME"], timeout=30)
    try:
        copy = sqlite3.connect(dest)
        try:
            source.backup(copy)  # the online backup API: readers and writers of the live file go on meanwhile
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            return _snapshot_state(copy.cursor(), "sqlite")
        finally:
            copy.close()
    finally:
        source.close()


def _dump_postgresql(alias: str, dest: Path) -> dict:
    conn = connections.create_connection(alias)  # its own session: the snapshot must outlive pg_dump
    try:
        with conn.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = _snapshot_state(cursor, "postgresql")
            _run(
                [
                    "pg_dump",
                    "-Fc",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(dest),
                    "--dbname",
                    conn.settings_dict["NAME"],
                ],
                _pg_env(conn.settings_dict),
            )
            cursor.execute("COMMIT")
        return state
    finally:
        conn.close()


class _HashingReader:
    def __init__(self, f):
        self.f, self.digest = f, hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict:
    with open(path, "rb") as f:
        info = tar.gettarinfo(fileobj=f, arcname=arcname)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _media_files(root: Path):
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def backup(out: Path, alias: str = "default") -> dict:
    """Write the archive to `out` (via a temporary name, readable by the owner only); return the manifest."""
    out = Path(out)
    conn = connections[alias]
    vendor = conn.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"cannot back up a {vendor} database")
    if out.resolve().is_relative_to(settings_media().resolve()):
        raise BackupError(f"{out} is inside MEDIA_ROOT: write the archive elsewhere (it would back itself up)")
    started = datetime.datetime.now(datetime.UTC)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="renda-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAMES[vendor]
        state = _dump_sqlite(conn.settings_dict, dump) if vendor == "sqlite" else _dump_postgresql(alias, dump)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz" if out.suffix == ".gz" else "w") as tar,
            ):
                database = {"file": dump.name, **_add_file(tar, dump, dump.name)}
                media = {rel: _add_file(tar, path, MEDIA_PREFIX + rel) for path, rel in _media_files(settings_media())}
                manifest = {
                    "format": FORMAT,
                    "app_version": app_version(),
                    "created_at": started.isoformat(),
                    "vendor": vendor,
                    "migrations": state["migrations"],
                    "tables": state["tables"],
                    "audit_head": state["audit_head"],
                    "database": database,
                    "media": media,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(started.timestamp()), 0o600
                tar.addfile(info, _BytesReader(data))
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.pos + size
        chunk, self.pos = self.data[self.pos : end], min(end, len(self.data))
        return chunk


def settings_media() -> Path:
    return Path(settings.MEDIA_ROOT)


# --- verify -------------------------------------------------------------------------------------------------------


@dataclass
class Staged:
    """An archive read completely and checked; its files wait in `directory` (removed by `discard`)."""

    manifest: dict
    directory: Path
    database: Path
    media: Path
    warnings: list[str] = field(default_factory=list)

    def discard(self):
        shutil.rmtree(self.directory, ignore_errors=True)


def _safe_relpath(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the archive holds an unsafe path {name!r}: refused")
    return path.as_posix()


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path) -> str:
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    source = tar.extractfile(member)
    with open(dest, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _check_migrations(recorded: dict) -> None:
    """Refuse an archive whose database has migrations this code does not have (made by a newer version)."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    apps = {app for app, _ in known}
    for app, name in sorted(recorded.items()):
        if app not in apps:
            raise BackupError(
                f"the archive's database has migrations of the app {app!r}, which this code does not have"
            )
        if (app, name) not in known:
            raise BackupError(
                f"the archive's database is at migration {app}.{name}, which this code does not have: it was made by "
                f"a newer version of renda; install that version (or newer) before restoring"
            )


def stage(archive: Path, staging_parent: Path, vendor: str) -> Staged:
    """Read and check the whole archive into a new directory under `staging_parent`; nothing else is touched."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    directory = Path(tempfile.mkdtemp(prefix=".renda-restore-", dir=staging_parent))
    try:
        return _stage(archive, directory, vendor)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _stage(archive: Path, directory: Path, vendor: str) -> Staged:
    media_dir, db_dir = directory / "media", directory / "db"
    media_dir.mkdir()
    db_dir.mkdir()
    manifest_bytes, hashes, database = None, {}, None
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            for member in tar:
                name = _safe_relpath(member.name)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"the archive holds {name!r}, which is not a regular file: refused")
                if name == MANIFEST:
                    manifest_bytes = tar.extractfile(member).read()
                elif name.startswith(MEDIA_PREFIX):
                    rel = name[len(MEDIA_PREFIX) :]
                    hashes[rel] = _copy_member(tar, member, media_dir / rel)
                elif name in DUMP_NAMES.values():
                    database = (name, _copy_member(tar, member, db_dir / name))
                else:
                    raise BackupError(f"the archive holds an unexpected file {name!r}: not a renda backup")
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"{archive} is damaged or truncated ({exc}): refused, nothing was restored") from None
    if manifest_bytes is None:
        raise BackupError(f"{archive} has no {MANIFEST}: it is truncated or not a renda backup; refused")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BackupError(f"{MANIFEST} in {archive} is not valid JSON: refused") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{archive} is in backup format {manifest.get('format')!r}; this version of renda reads format {FORMAT} "
            f"only: refused"
        )
    if manifest.get("vendor") != vendor:
        raise BackupError(
            f"{archive} holds a {manifest.get('vendor')} database; DATABASE_URL points to {vendor}: refused"
        )
    _check_migrations(manifest.get("migrations", {}))
    expected = manifest["database"]
    if database is None or database[0] != expected["file"]:
        raise BackupError(f"{archive} lacks its database file {expected['file']}: truncated? refused")
    if database[1] != expected["sha256"]:
        raise BackupError(f"the database file in {archive} does not match its checksum: refused")
    missing = sorted(set(manifest["media"]) - set(hashes))
    extra = sorted(set(hashes) - set(manifest["media"]))
    wrong = sorted(rel for rel, meta in manifest["media"].items() if rel in hashes and hashes[rel] != meta["sha256"])
    problems = []
    if missing:
        problems.append(f"{len(missing)} media files missing (first: {missing[0]})")
    if extra:
        problems.append(f"{len(extra)} media files not in the manifest (first: {extra[0]})")
    if wrong:
        problems.append(f"{len(wrong)} media files do not match their checksum (first: {wrong[0]})")
    if problems:
        raise BackupError(f"{archive} failed verification: {'; '.join(problems)}; refused")
    return Staged(manifest, directory, db_dir / database[0], media_dir)


# --- restore ------------------------------------------------------------------------------------------------------


def _db_tables(alias: str) -> list[str]:
    conn = connections[alias]
    if conn.vendor == "sqlite" and not Path(conn.settings_dict["NAME"]).exists():
        return []  # do not create the file just to look into it
    with conn.cursor() as cursor:
        return _tables(cursor, conn.vendor)


def _media_has_files(root: Path) -> bool:
    return root.exists() and any(p.is_file() or p.is_symlink() for p in root.rglob("*"))


def _restore_sqlite(staged: Staged, alias: str) -> None:
    conn = connections[alias]
    target = Path(conn.settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.restore-", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(staged.database, tmp)
        check = sqlite3.connect(tmp)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            counts = _counts(check.cursor(), "sqlite")
        finally:
            check.close()
        if ok != "ok" or counts != staged.manifest["tables"]:
            raise BackupError("the database copy does not match the manifest: refused, nothing was restored")
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        conn.close()
        for suffix in ("-wal", "-shm", "-journal"):  # an old log beside the new file would be replayed into it
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _restore_postgresql(staged: Staged, alias: str, force: bool) -> None:
    conn = connections[alias]
    command = ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner", "--no-acl"]
    if force:
        command += ["--clean", "--if-exists"]
    command += ["--dbname", conn.settings_dict["NAME"], str(staged.database)]
    conn.close()
    _run(command, _pg_env(conn.settings_dict))


def _replace_media(staged: Staged, root: Path) -> None:
    root.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if root.exists():
        old = root.with_name(f".{root.name}.replaced-{os.getpid()}")
        os.replace(root, old)
    os.replace(staged.media, root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check_restored(manifest: dict, alias: str = "default", media_root: Path | None = None) -> list[str]:
    """Recount every table, re-hash every media file and verify the audit chain; return the differences."""
    conn = connections[alias]
    problems = []
    with conn.cursor() as cursor:
        state = _snapshot_state(cursor, conn.vendor)
    expected_counts = manifest["tables"]
    for table in sorted(set(expected_counts) | set(state["tables"])):
        want, got = expected_counts.get(table), state["tables"].get(table)
        if want != got:
            problems.append(f"table {table}: {got} rows, the manifest says {want}")
    if state["migrations"] != manifest["migrations"]:
        problems.append("the recorded migrations differ from the manifest")
    root = Path(media_root or settings_media())
    files = {rel: path for path, rel in _media_files(root)}
    for rel, meta in sorted(manifest["media"].items()):
        if rel not in files:
            problems.append(f"media file {rel} is missing")
        elif sha256_file(files[rel]) != meta["sha256"]:
            problems.append(f"media file {rel} does not match its checksum")
    for rel in sorted(set(files) - set(manifest["media"])):
        problems.append(f"media file {rel} is not in the manifest")
    checked, problem = verify_chain(AuditEvent, AuditAnchor, using=alias)
    if problem is not None:
        problems.append(f"audit chain broken after {checked} records: {problem.kind} record {problem.record_id}")
    head = chain_head(AuditEvent, AuditAnchor, using=alias)
    if [head[0], head[1]] != [manifest["audit_head"]["id"], manifest["audit_head"]["hash"]]:
        problems.append(f"audit chain head is {head[0]}, the manifest says {manifest['audit_head']['id']}")
    return problems


def restore(archive: Path, *, force: bool = False, alias: str = "default", media_root: Path | None = None) -> dict:
    """Verify `archive` completely, then restore it into an empty database and media folder (or any, with force).

    Returns the manifest; raises BackupError before anything is changed when the archive or the target is refused,
    and after the restore when the recount, a checksum or the audit chain differs.
    """
    conn = connections[alias]
    vendor = conn.vendor
    root = Path(media_root or settings_media())
    if not force:
        tables = _db_tables(alias)
        if tables:
            raise BackupError(
                f"the database is not empty ({len(tables)} tables, e.g. {tables[0]}): restore only into an empty "
                f"database, or pass --force to replace it"
            )
        if _media_has_files(root):
            raise BackupError(f"the media folder {root} is not empty: restore only into an empty one, or pass --force")
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = stage(archive, root.parent, vendor)
    try:
        if vendor == "sqlite":
            _restore_sqlite(staged, alias)
        else:
            _restore_postgresql(staged, alias, force)
        _replace_media(staged, root)
    finally:
        staged.discard()
    problems = check_restored(staged.manifest, alias, root)
    if problems:
        raise BackupError("the restored data differs from the manifest:\n  " + "\n  ".join(problems))
    return staged.manifest
