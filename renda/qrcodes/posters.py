"""Printable A4 posters (PDF) for stations: who serves here, when they receive, and the QR code to reach them.

fpdf2 draws the page; Noto Sans SC (from the `pylopdf-fonts-zh-cn` package, see docs/decisions.md "CJK font") sets the
Chinese text and is embedded as a subset, so a poster is tens of kilobytes, not megabytes. Everything on a poster is
kept to one page: long names shrink, many deputies switch to a compact grid and the rest are counted.
"""

from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from PIL import Image, ImageOps

from renda.core.pdf import FONT, Document, document, issuing_office
from renda.people.models import DeputyLevel
from renda.stations.models import Assignment

from . import codes

RED = (183, 28, 28)
INK = (33, 33, 33)
MUTED = (97, 97, 97)
PALE = (250, 235, 235)
PAGE_W, PAGE_H, MARGIN = 210, 297, 14
QR_SIZE = 84  # mm: readable from about 2.5 m away
PHOTO_PIXELS = (160, 200)  # deputies' photos are cut to 4:5 and shrunk: enough for 20 mm at print resolution
LEVEL_RANK = {value: rank for rank, value in enumerate(DeputyLevel.values)}
# Grid by number of deputies: (columns, row height mm, avatar height mm, name size pt); the last holds the most.
GRIDS = ((4, 2, 30, 24, 14), (12, 3, 23, 18, 12), (24, 4, 16, 12, 10))


def with_serving(stations):
    """Stations with `serving`: their active deputies' assignments, head first, then by level and name (sorted in
    `serving_sorted`, so a whole region's batch costs two queries)."""
    serving = Assignment.objects.filter(deputy__is_active=True).select_related("deputy").defer("deputy__phone")
    return stations.select_related("region").prefetch_related(Prefetch("assignments", serving, to_attr="serving"))


def serving_sorted(station) -> list[Assignment]:
    return sorted(
        station.serving,
        key=lambda a: (not a.is_head, LEVEL_RANK.get(a.deputy.level, len(LEVEL_RANK)), a.deputy.name, a.deputy.pk),
    )


@dataclass
class PosterBook:
    """One PDF of one or many posters; deputies' photos are read and shrunk once even if they serve many stations."""

    pdf: Document = field(init=False)
    photos: dict = field(default_factory=dict)

    def __post_init__(self):
        # The footer (office, date, page N of M) is written in white on the red band at the foot of each poster.
        self.pdf = document(footer_color=(255, 255, 255), footer_from_bottom=3)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    # One poster ---------------------------------------------------------------------------------------------------

    def add(self, station) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.office = issuing_office(station.region.name)  # read by this page's footer, drawn when the page closes
        url = codes.public_url("station", station.public_code)
        self._header(station)
        y = self._title(station, 30)
        y = self._qr(url, y + 4)
        y = self._deputies(serving_sorted(station), y + 6, bottom=self._info_top(station))
        self._info(station)
        pdf.set_fill_color(*RED)
        pdf.rect(0, PAGE_H - 6, PAGE_W, 6, style="F")

    def _header(self, station):
        pdf = self.pdf
        pdf.set_fill_color(*RED)
        pdf.rect(0, 0, PAGE_W, 20, style="F")
        pdf.set_text_color(255, 255, 255)
        self._fit_lines(f"{station.region.name} · {station.get_kind_display()}", 0, 6, PAGE_W, 16, 10, 1, "C")

    def _title(self, station, y) -> float:
        pdf = self.pdf
        pdf.set_text_color(*INK)
        y = self._fit_lines(station.name, MARGIN, y, PAGE_W - 2 * MARGIN, 30, 16, 2, "C")
        if station.theme:
            pdf.set_text_color(*RED)
            y = self._fit_lines(
                pgettext("station theme", "Theme: %(theme)s") % {"theme": station.theme},
                MARGIN,
                y + 2,
                None,
                15,
                10,
                1,
                "C",
            )
        return y

    def _qr(self, url, y) -> float:
        pdf = self.pdf
        x = (PAGE_W - QR_SIZE) / 2
        pdf.set_draw_color(*RED)
        pdf.set_line_width(0.6)
        pdf.rect(x - 3, y - 3, QR_SIZE + 6, QR_SIZE + 6, style="D", round_corners=True, corner_radius=3)
        pdf.image(BytesIO(codes.png(url, scale=codes.POSTER_SCALE)), x=x, y=y, w=QR_SIZE, h=QR_SIZE)
        y += QR_SIZE + 6
        pdf.set_text_color(*RED)
        y = self._fit_lines(_("Scan to tell your deputies what you think"), MARGIN, y, None, 24, 14, 1, "C")
        pdf.set_text_color(*MUTED)
        return self._fit_lines(url, MARGIN, y, None, 10, 7, 1, "C")

    def _deputies(self, assignments, y, bottom) -> float:
        pdf = self.pdf
        width = PAGE_W - 2 * MARGIN
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, size=14)
        pdf.set_xy(MARGIN, y)
        pdf.cell(width, 7, _("Deputies serving here"), align="C")
        pdf.set_draw_color(*RED)
        pdf.set_line_width(0.3)
        pdf.line(MARGIN, y + 8, PAGE_W - MARGIN, y + 8)
        y += 11
        if not assignments:
            pdf.set_text_color(*MUTED)
            return self._fit_lines(_("No deputy serves here yet."), MARGIN, y, None, 12, 10, 1, "C")
        grid = next((g for g in GRIDS if len(assignments) <= g[0]), GRIDS[-1])
        _most, columns, row_h, avatar_h, name_pt = grid
        rows = max(1, min(-(-len(assignments) // columns), int((bottom - y) // row_h)))
        shown = assignments if len(assignments) <= rows * columns else assignments[: rows * columns - 1]
        cell_w = width / columns
        for index, assignment in enumerate(shown):
            row, column = divmod(index, columns)
            self._person(assignment, MARGIN + column * cell_w, y + row * row_h, cell_w, avatar_h, name_pt)
        if len(shown) < len(assignments):
            rest = len(assignments) - len(shown)
            index = len(shown)
            row, column = divmod(index, columns)
            pdf.set_text_color(*MUTED)
            pdf.set_font(FONT, size=name_pt - 1)
            pdf.set_xy(MARGIN + column * cell_w, y + row * row_h + avatar_h / 2 - 3)
            text = ngettext("and %(count)d more deputy", "and %(count)d more deputies", rest) % {"count": rest}
            pdf.cell(cell_w, 6, text, align="C")
        return y + rows * row_h

    def _person(self, assignment, x, y, cell_w, avatar_h, name_pt):
        pdf = self.pdf
        deputy = assignment.deputy
        avatar_w = avatar_h * 4 / 5
        self._avatar(deputy, x + 1, y, avatar_w, avatar_h)
        text_x, text_w = x + avatar_w + 3, cell_w - avatar_w - 5
        pdf.set_text_color(*INK)
        self._fit_lines(deputy.name, text_x, y + 1, text_w, name_pt, 7, 1, "L")
        label = deputy.get_level_display()
        if assignment.is_head:
            head = _("station head")
            label = f"{head} · {label}"
        pdf.set_text_color(*RED)
        self._fit_lines(label, text_x, y + name_pt * 0.45 + 2, text_w, max(name_pt - 3, 7), 6, 2, "L")

    def _avatar(self, deputy, x, y, w, h):
        pdf = self.pdf
        photo = self._photo(deputy)
        if photo is not None:
            pdf.image(BytesIO(photo), x=x, y=y, w=w, h=h)
            return
        pdf.set_fill_color(*PALE)
        pdf.rect(x, y, w, h, style="F", round_corners=True, corner_radius=1.5)
        pdf.set_text_color(*RED)
        pdf.set_font(FONT, size=h * 1.6)
        pdf.set_xy(x, y)
        pdf.cell(w, h, deputy.name[:1], align="C")

    def _photo(self, deputy):
        """The photo cut to 4:5 and shrunk, as JPEG bytes; None without a photo or when its file is unreadable."""
        if deputy.pk in self.photos:
            return self.photos[deputy.pk]
        image = None
        if deputy.photo:
            try:
                with deputy.photo.open("rb") as handle, Image.open(handle) as source:
                    source.draft("RGB", (PHOTO_PIXELS[0] * 2, PHOTO_PIXELS[1] * 2))  # JPEG: decode at reduced size
                    small = ImageOps.fit(source.convert("RGB"), PHOTO_PIXELS)
                # JPEG bytes are embedded as they are (DCT); a PIL image would be stored deflated, ten times larger.
                out = BytesIO()
                small.save(out, format="JPEG", quality=80)
                image = out.getvalue()
            except (OSError, ValueError, Image.DecompressionBombError):
                image = None
        self.photos[deputy.pk] = image
        return image

    def _info_top(self, station) -> float:
        lines = sum(1 for value in (station.reception_hours, station.opening_hours, station.address) if value)
        return PAGE_H - 10 - max(lines, 1) * 7 - 6

    def _info(self, station):
        pdf = self.pdf
        top = self._info_top(station)
        pdf.set_fill_color(*PALE)
        pdf.rect(MARGIN, top, PAGE_W - 2 * MARGIN, PAGE_H - 10 - top, style="F", round_corners=True, corner_radius=2)
        lines = [
            (_("Reception hours: %(hours)s"), station.reception_hours),
            (_("Opening hours: %(hours)s"), station.opening_hours),
            (_("Address: %(address)s"), station.address),
        ]
        y = top + 3
        pdf.set_text_color(*INK)
        for template, value in lines:
            if value:
                key = "address" if "address" in template else "hours"
                self._fit_lines(template % {key: value}, MARGIN + 4, y, PAGE_W - 2 * MARGIN - 8, 12, 7, 1, "L")
                y += 7

    # Text that fits ------------------------------------------------------------------------------------------------

    def _fit_lines(self, text, x, y, width, size, smallest, max_lines, align) -> float:
        """Write `text` at the largest size (from `size` down to `smallest`) that fits in `max_lines` lines; at the
        smallest size cut what still overflows. Returns the y below the text."""
        pdf = self.pdf
        width = width or PAGE_W - 2 * MARGIN
        while True:
            pdf.set_font(FONT, size=size)
            lines = pdf.multi_cell(width, size * 0.45, text, dry_run=True, output="LINES")
            if len(lines) <= max_lines or size <= smallest:
                break
            size = max(smallest, size - 1)
        line_h = size * 0.45
        for line in lines[:max_lines]:
            pdf.set_xy(x, y)
            pdf.cell(width, line_h, line, align=align)
            y += line_h
        return y


def poster_pdf(stations, progress=None) -> bytes:
    """One PDF, one page per station, in the given order. `stations` come from `with_serving`; `progress(done,
    total)` is told after each page when given (a background batch, renda/exports)."""
    book = PosterBook()
    stations = list(stations)
    for done, station in enumerate(stations, start=1):
        book.add(station)
        if progress:
            progress(done, len(stations))
    return book.output()
