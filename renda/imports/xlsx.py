"""Reading uploaded workbooks: sniff the bytes, then hand out the first sheet's rows as plain values.

The file type is decided by the content, never by the name: an .xlsx is a zip that openpyxl can open. Old .xls
files (OLE2), CSV or text renamed to .xlsx fail here, before anything is stored.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

# An xlsx compresses text about 5-10x; more than this expands like a zip bomb and is refused unread.
MAX_EXPANSION = 20
# Far above a city's roster (Shanghai: ~15,000 deputies), low enough to keep a worker's memory bounded.
MAX_ROWS = 100_000


class NotAWorkbook(Exception):
    pass


def open_workbook(fileobj):
    """A read-only workbook of `fileobj` (a seekable binary file), or NotAWorkbook."""
    fileobj.seek(0)
    if not zipfile.is_zipfile(fileobj):
        raise NotAWorkbook("not a zip")
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise NotAWorkbook("bad zip") from None
    if expanded > settings.IMPORT_MAX_BYTES * MAX_EXPANSION:
        raise NotAWorkbook("expands too much")
    fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
        if not workbook.worksheets:
            raise NotAWorkbook("no sheet")
    except NotAWorkbook:
        raise
    except Exception:  # openpyxl raises many types (KeyError, InvalidFileException, XML errors) for a non-workbook
        raise NotAWorkbook("openpyxl cannot read it") from None
    return workbook


def is_blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def iter_sheet(workbook):
    """(Excel row number, values) of the first sheet, blank rows skipped. The first sheet, not the active one:
    a user who last looked at the "说明" sheet saves it as active."""
    sheet = workbook.worksheets[0]
    # Some writers record a wrong dimension (A1:A1); without this, read-only mode would cut the rows short.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not is_blank(values):
            yield number, values


def check_upload(upload) -> None:
    """Raise ValidationError, in the user's language, unless `upload` is an .xlsx of allowed size with data rows."""
    max_mb = settings.IMPORT_MAX_BYTES / (1024 * 1024)
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": f"{max_mb:g}"}, code="too_big")
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    try:
        workbook = open_workbook(upload)
    except NotAWorkbook:
        raise ValidationError(
            _(
                "The file is not an Excel workbook (.xlsx). "
                "Save it in Excel as “Excel Workbook (*.xlsx)” and try again."
            ),
            code="not_xlsx",
        ) from None
    try:
        rows = iter_sheet(workbook)
        header = next(rows, None)
        first_data_row = next(rows, None)
    except Exception:  # a damaged sheet inside a valid zip
        raise ValidationError(_("The workbook could not be read."), code="unreadable") from None
    finally:
        workbook.close()
        upload.seek(0)
    if header is None or first_data_row is None:
        raise ValidationError(_("The file has no data rows below the header row."), code="no_rows")


def text(value) -> str:
    """A cell as trimmed text; whole numbers lose Excel's ".0" (codes and phones are often typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
