"""Every PDF's footer: the issuing office, the date and "page N of M" on every page."""

from io import BytesIO

from django.utils import timezone
from pypdf import PdfReader

from renda.core.pdf import document, issuing_office


def texts(data: bytes) -> list[str]:
    return ["".join(page.extract_text().replace("\x00", "").split()) for page in PdfReader(BytesIO(data)).pages]


def test_every_page_names_the_office_the_date_and_its_number(settings):
    settings.ISSUING_OFFICE = ""
    pdf = document(office=issuing_office("苏州市"))
    for _page in range(3):
        pdf.add_page()
        pdf.set_font("cjk", size=12)
        pdf.cell(0, 10, "正文")
    pages = texts(pdf.output_bytes())
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页/共3页" in text and "苏州市人大常委会" in text and today in text


def test_the_setting_names_the_office(settings):
    settings.ISSUING_OFFICE = "苏州市人大常委会办公室"
    assert issuing_office("吴中区") == "苏州市人大常委会办公室"
    settings.ISSUING_OFFICE = ""
    assert issuing_office("") == ""
