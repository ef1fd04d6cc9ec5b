"""Small helpers for the people tests (the world itself comes from renda/testing.py)."""

import json
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from renda.audit.models import AuditEvent


def png_upload(name="photo.png", size=(40, 50)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGBA", size, (200, 30, 30, 255)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def text_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")


def xlsx_rows(response) -> list[list]:
    """All rows of the first sheet of an .xlsx response, header first, None cells as ""."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content), read_only=True).worksheets[0]
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def audit_events(obj, action=None):
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(events.filter(action=action) if action else events)


def audit_text() -> str:
    """Every audit row's changes as one string, to check that no phone number was written in full."""
    return json.dumps([event.changes for event in AuditEvent.objects.all()], ensure_ascii=False)
