"""Backup and restore end to end (issue 18, item 2), on whichever database DATABASE_URL names (SQLite or PostgreSQL).

The world is committed for real (pg_dump reads through its own session), photos are real files under a temporary
MEDIA_ROOT, and the restore goes into a second, fresh database (SQLite: a new file; PostgreSQL: a scratch database
created and dropped here) and a fresh media folder.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from renda.audit.actions import record
from renda.audit.chain import verify
from renda.audit.models import AuditAnchor, AuditEvent
from renda.backup import archive
from renda.opinions import actions
from renda.opinions.models import Category, Photo
from renda.opinions.tests.public_helpers import jpeg_with_exif
from renda.opinions.workflow import Action
from renda.testing import build_world

SCRATCH = "backup_scratch"


@pytest.fixture
def media(tmp_path, settings):
    """Real files on disk (the test settings keep uploads in memory)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(transactional_db, media):
    """The world, committed, with opinions carrying photos and audit records. A transactional test empties the tables
    afterwards, the categories of the data migration included: the one used here is put back."""
    category, _ = Category.objects.get_or_create(name="交通出行", defaults={"position": 0})
    world = build_world()
    for i in range(3):
        photos = [jpeg_with_exif(f"p{i}-{j}.jpg", size=(40 + i, 30 + j)) for j in range(2)]
        opinion = actions.submit(
            station=world.mudu_home, category=category, text=f"路灯坏了第{i}盏，晚上太黑", photos=photos
        ).opinion
        actions.perform(world.keeper, opinion.pk, Action.ACCEPT)
    record(world.keeper, "backup.test", None, region=world.mudu)
    return world


@pytest.fixture
def scratch(tmp_path):
    """A second database alias pointing to a fresh, empty database; removed afterwards."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restore"  # beside the test database
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f"CREATE DATABASE \"{settings_dict['NAME']}\" TEMPLATE template0 ENCODING 'UTF8'")
    # Created once and kept by the handler, then unlisted: Django's test case allows a connection it does not list
    # ("dynamically created"), while one listed in the settings but not in the test's databases is refused.
    connections.settings[SCRATCH] = settings_dict
    connections[SCRATCH]
    del connections.settings[SCRATCH]
    yield settings_dict
    connections[SCRATCH].close()
    del connections[SCRATCH]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def counts(alias):
    conn = connections[alias]
    with conn.cursor() as cursor:
        return archive._counts(cursor, conn.vendor)


def files(root: Path) -> dict[str, str]:
    return {rel: hashlib.sha256(path.read_bytes()).hexdigest() for path, rel in archive._media_files(root)}


def rewrite(src: Path, dest: Path, change):
    """Copy an archive member by member; `change(name, data)` returns the new bytes (or None to drop the member)."""
    with tarfile.open(src) as tin, tarfile.open(dest, "w") as tout:
        for member in tin:
            data = change(member.name, tin.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                tout.addfile(member, io.BytesIO(data))


def test_restore_into_a_fresh_database_reproduces_counts_files_and_the_audit_chain(filled, scratch, tmp_path, settings):
    source_media = settings.MEDIA_ROOT
    out = tmp_path / "renda.tar"
    stdout = io.StringIO()
    call_command("backup", str(out), stdout=stdout)
    assert "backup written" in stdout.getvalue()
    assert out.stat().st_mode & 0o077 == 0  # personal data: the owner only

    with tarfile.open(out) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == archive.FORMAT and manifest["vendor"] == connection.vendor
    assert manifest["app_version"] == archive.app_version()
    assert manifest["tables"] == counts("default")
    assert manifest["tables"][Photo._meta.db_table] == 6
    assert len(manifest["media"]) == 6 and set(manifest["media"]) == set(files(source_media))
    assert manifest["migrations"]["opinions"] and manifest["migrations"]["audit"]
    assert manifest["audit_head"]["id"] == AuditEvent.objects.order_by("-id").first().pk
    assert manifest["database"]["file"] in names and names[-1] == "manifest.json"

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    stdout = io.StringIO()
    call_command("restore", str(out), "--database", SCRATCH, stdout=stdout)
    assert "match the manifest" in stdout.getvalue()

    assert counts(SCRATCH) == counts("default")
    assert files(settings.MEDIA_ROOT) == files(source_media)
    checked, problem = verify(AuditEvent, AuditAnchor, using=SCRATCH)
    assert problem is None and checked == AuditEvent.objects.count() > 0
    assert list(Photo.objects.using(SCRATCH).order_by("pk").values_list("image", flat=True)) == list(
        Photo.objects.order_by("pk").values_list("image", flat=True)
    )
    # nothing of the restore left beside the media folder or the database
    assert [p.name for p in (tmp_path).iterdir() if p.name.startswith(".")] == []

    # a second restore over the first is refused, unless forced
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(out), "--database", SCRATCH)
    call_command("restore", str(out), "--database", SCRATCH, "--force", stdout=io.StringIO())
    assert counts(SCRATCH) == counts("default")


def test_restore_refuses_a_database_or_media_folder_that_is_not_empty(filled, scratch, tmp_path, settings):
    out = tmp_path / "renda.tar"
    call_command("backup", str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="the database is not empty .*--force"):
        call_command("restore", str(out))
    with pytest.raises(CommandError, match="the media folder .* is not empty.*--force"):
        call_command("restore", str(out), "--database", SCRATCH)
    assert counts(SCRATCH) == {}


def test_an_archive_inside_the_media_folder_is_refused(filled, settings):
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", str(settings.MEDIA_ROOT / "renda.tar"))
    assert list(settings.MEDIA_ROOT.rglob("*.tar*")) == []


@pytest.fixture
def made(filled, scratch, tmp_path, settings):
    """An archive of the filled world, and the restore target: the scratch database and an empty media folder."""
    out = tmp_path / "renda.tar"
    call_command("backup", str(out), stdout=io.StringIO())
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return out


def assert_nothing_restored(settings):
    assert counts(SCRATCH) == {}
    assert not Path(settings.MEDIA_ROOT).exists()
    assert [p.name for p in Path(settings.MEDIA_ROOT).parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("keep", [0.5, "inside-manifest", "before-manifest"])
def test_a_truncated_archive_is_refused_and_nothing_is_restored(made, tmp_path, settings, keep):
    data = made.read_bytes()
    with tarfile.open(made) as tar:
        manifest = tar.getmember("manifest.json")
    if keep == "before-manifest":  # cut at a member boundary: a valid-looking tar without its manifest
        size = manifest.offset
    elif keep == "inside-manifest":
        size = manifest.offset_data + 100
    else:  # inside the database dump or a photo
        size = int(len(data) * keep)
    cut = tmp_path / "cut.tar"
    cut.write_bytes(data[:size])
    with pytest.raises(CommandError, match="truncated"):
        call_command("restore", str(cut), "--database", SCRATCH)
    assert_nothing_restored(settings)


def test_a_truncated_gzip_archive_is_refused(filled, scratch, tmp_path, settings):
    out = tmp_path / "renda.tar.gz"
    call_command("backup", str(out), stdout=io.StringIO())
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    with pytest.raises(CommandError, match="damaged or truncated"):
        call_command("restore", str(cut), "--database", SCRATCH)
    assert_nothing_restored(settings)


def manifest_change(**changes):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        for key, value in changes.items():
            manifest[key] = value(manifest[key]) if callable(value) else value
        return json.dumps(manifest).encode()

    return change


@pytest.mark.parametrize(
    "change,message",
    [
        (manifest_change(format=2), "format 2; this version of renda reads format 1 only"),
        (manifest_change(migrations=lambda m: {**m, "opinions": "9999_from_the_future"}), "made by a newer version"),
        (manifest_change(migrations=lambda m: {**m, "gone": "0001_initial"}), "app .gone., which this code"),
        (manifest_change(vendor="oracle"), "holds a oracle database"),
        (lambda name, data: data + b"x" if name.startswith("media/") else data, "do not match their checksum"),
        (lambda name, data: None if name.startswith("media/") else data, "media files missing"),
        (lambda name, data: b"garbage" if name.startswith("database") else data, "database file .* checksum"),
    ],
    ids=["format", "newer-migration", "unknown-app", "vendor", "altered-photo", "missing-photo", "altered-database"],
)
def test_a_wrong_or_altered_archive_is_refused_and_nothing_is_restored(made, tmp_path, settings, change, message):
    bad = tmp_path / "bad.tar"
    rewrite(made, bad, change)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--database", SCRATCH)
    assert_nothing_restored(settings)


def test_an_archive_with_a_path_outside_the_media_folder_is_refused(made, tmp_path, settings):
    bad = tmp_path / "bad.tar"
    rewrite(made, bad, lambda name, data: data)
    with tarfile.open(bad, "a") as tar:
        info = tarfile.TarInfo("media/../../evil")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(CommandError, match="unsafe path"):
        call_command("restore", str(bad), "--database", SCRATCH)
    assert not (tmp_path.parent / "evil").exists()
    assert_nothing_restored(settings)


def test_the_check_after_a_restore_names_every_difference(made, settings):
    call_command("restore", str(made), "--database", SCRATCH, stdout=io.StringIO())
    with tarfile.open(made) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert archive.check_restored(manifest, SCRATCH) == []
    Photo.objects.using(SCRATCH).order_by("pk").first().delete()
    first = sorted(Path(settings.MEDIA_ROOT).rglob("*.jpg"))[0]
    first.write_bytes(b"changed")
    scratch_db = connections[SCRATCH]
    with transaction.atomic(using=SCRATCH), scratch_db.cursor() as cursor:
        if scratch_db.vendor == "postgresql":  # past the append-only trigger, as a database superuser could
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET action = 'tampered' WHERE id = 2")
    problems = archive.check_restored(manifest, SCRATCH)
    assert f"table {Photo._meta.db_table}: 5 rows, the manifest says 6" in problems
    assert any("does not match its checksum" in p for p in problems)
    assert any(p.startswith("audit chain broken after 1 records: altered record 2") for p in problems)
