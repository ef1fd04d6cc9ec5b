"""Excel exports: one function builds the workbook in write-only mode, so memory stays flat for long lists."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, sheet_title: str, headers: list[str], rows) -> HttpResponse:
    """An .xlsx download of `rows` (an iterable of sequences) under a header row; `filename` may be Chinese."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append(["" if value is None else value for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
