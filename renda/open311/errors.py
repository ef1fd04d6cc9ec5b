"""Open311's error document for failures outside its views (core.channel_errors): `[{"code","description"}]`, or
`<errors>` when the path asks for XML."""

from . import georeport as gr


def channel_error(request, status: int, code: str, message: str):
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return gr.error(fmt, status, message)
