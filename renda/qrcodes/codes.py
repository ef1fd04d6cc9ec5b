"""QR codes for the public pages of stations and deputies.

The code encodes the absolute public URL (`PUBLIC_BASE_URL` + /s/<code>/ or /d/<code>/): printed posters outlive
deployments, so the URL must be stable and never depend on the request that asked for the image.
"""

from io import BytesIO

import segno
from django.conf import settings
from django.urls import reverse

# Q (25% recovery) survives a dirty or partly torn poster; boosting would only raise it further.
ERROR = "q"
BORDER = 4  # the quiet zone the QR standard asks for, in modules
PNG_SCALE = 10  # pixels per module: about 370 px for a station URL, sharp on a phone screen
POSTER_SCALE = 20  # a finer image for print: about 240 dpi at the poster's size


def public_url(kind: str, code: str) -> str:
    """kind is "station" or "deputy", the names of the public pages."""
    return settings.PUBLIC_BASE_URL + reverse(f"public:{kind}", args=[code])


def make(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR, micro=False)


def png(url: str, scale: int = PNG_SCALE) -> bytes:
    out = BytesIO()
    make(url).save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()


def svg(url: str) -> bytes:
    """Vector SVG for printers and designers: 2 mm a module (about 7 cm for a station URL), scalable at will."""
    out = BytesIO()
    make(url).save(out, kind="svg", scale=2, border=BORDER, unit="mm", title=url, xmldecl=True, svgns=True)
    return out.getvalue()
