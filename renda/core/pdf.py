"""Every PDF the platform hands out starts here: A4, the CJK font, and a footer on every page.

The footer names the issuing office (`ISSUING_OFFICE`, else "<region> People's Congress Standing Committee" for the
region the document is about), the date it was made (China time) and "page N of M" (fpdf2 fills the total in when
the file is written). Station posters, reception reports and voting results all use `document(...)`, so a printed
page always says who issued it, when, and where it sits in the file.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from .fonts import font_path

FONT = "cjk"
FOOTER_SIZE = 8  # pt
MUTED = (97, 97, 97)


def issuing_office(region_name: str = "") -> str:
    """The office a document is issued by: the ISSUING_OFFICE setting, else the standing committee of `region_name`."""
    if settings.ISSUING_OFFICE:
        return settings.ISSUING_OFFICE
    if region_name:
        return _("%(region)s People's Congress Standing Committee") % {"region": region_name}
    return ""


def footer_text(office: str, day, page: int, pages: str) -> tuple[str, str]:
    """(left, right) of the footer: "office · date" and "page N of M"."""
    left = " · ".join(part for part in (office, f"{day:%Y-%m-%d}") if part)
    return left, _("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}


class Document(FPDF):
    """An FPDF whose every page ends with the footer; `footer_color` and `footer_from_bottom` (mm) let a full-bleed
    layout (the posters' red band) carry it in its own colours."""

    def __init__(self, *, office: str = "", orientation: str = "P", footer_color=MUTED, footer_from_bottom=6.0):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.add_font(FONT, "", font_path())
        self.set_creator("renda")
        self.set_lang("zh-CN")
        self.office = office
        self.issued = timezone.localdate()
        self.footer_color = footer_color
        self.footer_from_bottom = footer_from_bottom

    def footer(self):
        left, right = footer_text(self.office, self.issued, self.page_no(), self.str_alias_nb_pages)
        font = (self.font_family, self.font_style, self.font_size_pt)
        color = self.text_color
        auto, margin = self.auto_page_break, self.b_margin
        self.set_auto_page_break(False)  # the footer sits in the bottom margin
        self.set_font(FONT, size=FOOTER_SIZE)
        self.set_text_color(*self.footer_color)
        y = self.h - self.footer_from_bottom - FOOTER_SIZE * 0.35 / 2
        self.set_xy(self.l_margin, y)
        self.cell(self.epw / 2, FOOTER_SIZE * 0.35, left, align="L")
        self.set_xy(self.l_margin + self.epw / 2, y)
        self.cell(self.epw / 2, FOOTER_SIZE * 0.35, right, align="R")
        self.set_auto_page_break(auto, margin)
        if font[0]:
            self.set_font(*font)
        self.text_color = color

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def document(*, office: str = "", orientation: str = "P", **footer) -> Document:
    """A new A4 document in the CJK font, the footer on every page (see `Document`)."""
    return Document(office=office, orientation=orientation, **footer)
