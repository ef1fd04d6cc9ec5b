"""Excel exports: one function builds every workbook the platform hands out, the same way.

Each sheet gets a bold header row that stays in view when scrolling (frozen panes), an auto-filter over the data,
column widths measured from the content (a Chinese character counts double), real Excel dates and numbers (an aware
datetime is shown in the site's time zone), and columns declared with `percent(...)` shown as percentages.

The workbook is built in write-only mode, so memory stays flat for long lists: column widths must be written before
the first row, so they are measured on the header and the first WIDTH_SAMPLE rows only.
"""

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from itertools import chain, islice
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

WIDTH_SAMPLE = 200  # rows measured for the column widths (with the header)
MIN_WIDTH = 6
MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
BOLD = Font(bold=True)
NUMBERS = (int, float, Decimal)


@dataclass(frozen=True)
class Column:
    """A header with a number format applied to every number in its column (e.g. a percentage)."""

    title: str
    number_format: str | None = None

    def __str__(self) -> str:
        return str(self.title)


def percent(title) -> Column:
    """A column of shares from 0 to 1, shown as percentages with one decimal (0.253 → 25.3%)."""
    return Column(title, PERCENT_FORMAT)


def text_width(value) -> int:
    """How many character cells `value` takes on screen: wide (CJK) characters count two; the longest line counts."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return len(DATE_FORMAT)
    if isinstance(value, float):
        value = f"{value:.2f}"
    lines = str(value).splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def excel_value(value):
    """A value openpyxl can write: None → "", aware datetime → naive local time (openpyxl refuses aware ones)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, timezone.get_default_timezone()).replace(tzinfo=None)
    if isinstance(value, (str, int, float, Decimal, datetime.date, datetime.time)):
        return value
    return str(value)  # lazy translations, enums and the like


def _widths(headers, sample) -> list[float]:
    widths = [text_width(str(header)) for header in headers]
    for row in sample:
        for index, value in enumerate(row):
            if index >= len(widths):
                widths.append(0)
            widths[index] = max(widths[index], text_width(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def write_sheet(workbook: Workbook, sheet_title: str, headers, rows):
    """Append a formatted sheet to a write-only `workbook`; `rows` is any iterable of sequences, read once."""
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    formats = [header.number_format if isinstance(header, Column) else None for header in headers]
    rows = (list(map(excel_value, row)) for row in rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = BOLD
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    width = max(len(headers), 1)
    for row in chain(sample, rows):
        count += 1
        width = max(width, len(row))
        for index, value in enumerate(row):
            if isinstance(value, (datetime.date, datetime.time)):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = DATETIME_FORMAT
                elif isinstance(value, datetime.date):
                    cell.number_format = DATE_FORMAT
                row[index] = cell
            elif index < len(formats) and formats[index] and isinstance(value, NUMBERS) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = formats[index]
                row[index] = cell
        sheet.append(row)
    sheet.auto_filter.ref = f"A1:{get_column_letter(min(width, len(headers) or 1))}{count + 1}"
    return sheet


def xlsx_bytes(sheet_title: str, headers, rows) -> bytes:
    workbook = Workbook(write_only=True)
    write_sheet(workbook, sheet_title, headers, rows)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheet_title: str, headers, rows) -> HttpResponse:
    """An .xlsx download of `rows` (an iterable of sequences) under a header row; `filename` may be Chinese.

    A header may be a `Column` (see `percent`) to give its numbers a format; dates and datetimes get one by themselves.
    """
    response = HttpResponse(xlsx_bytes(sheet_title, headers, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
