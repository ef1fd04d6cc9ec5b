"""Where uploads are stored, and how a view hands a stored file to the client.

Stored names are random (`RandomName`): the name a phone gave a photo (which can carry a person's name, a date or a
place, and `image.jpg` is guessable) never reaches the disk, a URL or a page. Private files (opinion photos, reply
attachments, import workbooks) are served only by views that check who asks (`serve_file`); in production the
web server sends the bytes (`MEDIA_ACCEL_REDIRECT`, nginx's X-Accel-Redirect), without it Django streams them.
"""

import mimetypes
import re
import secrets
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

_SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")
# The upload folders the web server may serve to anyone under MEDIA_URL; every other folder is private.
PUBLIC_MEDIA_FOLDERS = ("stations", "people", "projects")


@deconstructible
class RandomName:
    """upload_to: "<folder>/[<yyyy>/<mm>/]<32 random hex digits><.suffix>" — only the lower-cased suffix of the
    uploaded name is kept, so the file keeps its type and nothing else."""

    def __init__(self, folder: str, *, dated: bool = True):
        self.folder = folder.strip("/")
        self.dated = dated

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename or "").suffix.lower()
        if not _SAFE_SUFFIX.fullmatch(suffix):
            suffix = ""
        parts = [self.folder]
        if self.dated:
            now = timezone.localtime()
            parts += [f"{now:%Y}", f"{now:%m}"]
        return "/".join([*parts, secrets.token_hex(16) + suffix])

    def __eq__(self, other):
        return isinstance(other, RandomName) and (self.folder, self.dated) == (other.folder, other.dated)

    def __hash__(self):
        return hash((self.folder, self.dated))


def serve_file(field_file, *, content_type: str | None = None, download_name: str | None = None) -> HttpResponse:
    """The response for a stored file the caller has already decided this user may have.

    With MEDIA_ACCEL_REDIRECT (e.g. "/protected-media/") the response is empty and names the file for the web server
    (an nginx `internal` location aliased to MEDIA_ROOT); without it Django streams the file. `download_name` makes
    it a download under that name; otherwise it is shown inline. Never cached by shared caches.
    """
    content_type = content_type or mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    prefix = settings.MEDIA_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(field_file.name)
        if download_name:
            response["Content-Disposition"] = content_disposition_header(True, download_name)
    else:
        response = FileResponse(
            field_file.open("rb"),
            content_type=content_type,
            as_attachment=bool(download_name),
            filename=download_name or "",
        )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


RANDOM_STEM = re.compile(r"[0-9a-f]{32}")


def rename_stored_files(model, field_name: str) -> int:
    """Give files stored before random names (e.g. "opinions/2026/12/张三.jpg") a random name in the same folder;
    for data migrations. The old file is deleted only after the transaction commits, so a failed migration leaves
    every row pointing at a file that exists. Returns how many files were renamed."""
    from django.db import transaction

    renamed = 0
    for row in model.objects.exclude(**{field_name: ""}).only("pk", field_name).iterator():
        stored = getattr(row, field_name)
        old = PurePosixPath(stored.name)
        if RANDOM_STEM.fullmatch(old.stem) or not stored.storage.exists(stored.name):
            continue
        new = RandomName(str(old.parent), dated=False)(row, old.name)
        with stored.storage.open(stored.name, "rb") as source:
            saved = stored.storage.save(new, source)
        model.objects.filter(pk=row.pk).update(**{field_name: saved})
        transaction.on_commit(lambda storage=stored.storage, name=stored.name: storage.delete(name))
        renamed += 1
    return renamed
