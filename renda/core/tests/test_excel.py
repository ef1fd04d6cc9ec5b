"""The export helper: every sheet has a bold frozen header, an auto-filter, measured widths, real dates and numbers."""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from renda.core import excel
from renda.core.excel import percent, text_width, xlsx_bytes, xlsx_response

HEADERS = ["编号", "提交时间", "期限", "件数", percent("满意率"), "备注"]


def sheet_of(content: bytes):
    return load_workbook(BytesIO(content)).active


def sample_rows(count=3):
    at = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Beijing
    for i in range(count):
        yield [f"YJ{i:04d}", at, datetime.date(2026, 3, 15), i, 0.253, None]


def test_header_is_bold_and_data_is_not():
    sheet = sheet_of(xlsx_bytes("意见", HEADERS, sample_rows()))
    assert [cell.value for cell in sheet[1]] == ["编号", "提交时间", "期限", "件数", "满意率", "备注"]
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])


def test_header_row_is_frozen():
    assert sheet_of(xlsx_bytes("意见", HEADERS, sample_rows())).freeze_panes == "A2"


def test_auto_filter_covers_the_header_and_every_row():
    assert sheet_of(xlsx_bytes("意见", HEADERS, sample_rows(5))).auto_filter.ref == "A1:F6"
    assert sheet_of(xlsx_bytes("意见", HEADERS, [])).auto_filter.ref == "A1:F1"


def test_column_widths_follow_the_content_chinese_counting_double_and_capped():
    rows = [["短", "一二三四五六七八九十", "x" * 30, 5, 0.5, "很长的备注" * 40]]
    sheet = sheet_of(xlsx_bytes("意见", ["编号", "时间", "code", "n", percent("率"), "备注"], rows))
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    # 编号 = 4 cells, 10 Chinese characters = 20 cells, 30 latin = 30; two cells of padding; at least 6, at most 60.
    assert widths == [6, 22, 32, 6, 6, 60]
    assert text_width("第一行\nab") == 6 and text_width(datetime.date(2026, 1, 1)) == 10


def test_widths_are_measured_on_a_sample_so_long_exports_stay_streamed(monkeypatch):
    monkeypatch.setattr(excel, "WIDTH_SAMPLE", 2)
    rows = [["a"], ["b"], ["a much longer value after the sample"]]
    sheet = sheet_of(xlsx_bytes("s", ["code"], rows))
    assert sheet.column_dimensions["A"].width == 6
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["a", "b", rows[2][0]]


def test_aware_datetimes_are_real_dates_in_beijing_time():
    sheet = sheet_of(xlsx_bytes("意见", HEADERS, sample_rows(1)))
    at, due = sheet["B2"], sheet["C2"]
    assert at.value == datetime.datetime(2026, 3, 1, 9, 30) and at.number_format == "yyyy-mm-dd hh:mm"
    assert at.is_date and due.is_date
    assert due.value == datetime.datetime(2026, 3, 15) and due.number_format == "yyyy-mm-dd"


def test_numbers_stay_numbers():
    rows = [["a", 3, 2.5, Decimal("1.25"), True]]
    sheet = sheet_of(xlsx_bytes("s", ["t", "int", "float", "decimal", "bool"], rows))
    values = [cell.value for cell in sheet[2]]
    assert values == ["a", 3, 2.5, 1.25, True]
    assert [type(value) for value in values[1:]] == [int, float, float, bool]
    assert [cell.number_format for cell in sheet[2]][1:4] == ["General"] * 3


def test_percent_columns_hold_fractions_shown_as_percentages():
    sheet = sheet_of(xlsx_bytes("意见", HEADERS, sample_rows(1)))
    assert sheet["E2"].value == 0.253 and sheet["E2"].number_format == "0.0%"
    assert sheet["D2"].number_format == "General"  # only the declared column


def test_empty_values_are_empty_and_odd_values_are_text():
    rows = [["a", None, datetime.time(8, 30)]]
    sheet = sheet_of(xlsx_bytes("s", ["t", "none", "time"], rows))
    assert sheet["B2"].value in ("", None) and sheet["C2"].value == datetime.time(8, 30)


def test_response_is_an_attachment_with_the_chinese_name():
    response = xlsx_response("意见.xlsx", "意见", HEADERS, sample_rows(1))
    assert response["Content-Type"] == excel.XLSX
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E6%84%8F%E8%A7%81.xlsx"
    assert sheet_of(response.content).title == "意见"
