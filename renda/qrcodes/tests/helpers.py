"""Reading what the views return the way a phone or a printer would: decode QR images, read PDF text and images."""

from io import BytesIO

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def decode_qr(image) -> list[str]:
    """Texts of the QR codes zxing-cpp finds in a PIL image or PNG bytes."""
    if isinstance(image, bytes):
        image = Image.open(BytesIO(image))
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def pdf_pages(data: bytes):
    return PdfReader(BytesIO(data)).pages


def page_text(page) -> str:
    """The text layer without the spaces (and NULs, from fpdf2's two-byte glyph codes) pypdf puts between glyphs."""
    return "".join(page.extract_text().replace("\x00", "").split())


def page_images(page) -> list:
    return [image.image for image in page.images]
