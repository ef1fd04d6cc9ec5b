"""Links that hand a station's position to the phone's map apps: plain links, opened only when tapped.

Nothing here loads a script, a tile or an image from a map provider; each app gets the position in the coordinate
system it expects (the stations' own system is settings.STATION_COORDINATES): geo: URIs are WGS-84 (RFC 5870),
Amap and Tencent use GCJ-02, Baidu BD-09.
"""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from renda.core.geo import Point, convert


def _fmt(value: float) -> str:
    return f"{value:.6f}"


def navigation_links(station) -> list[dict]:
    """[{id, label, href}] for the station, or [] when it has no position."""
    if station.latitude is None or station.longitude is None:
        return []
    here = Point(float(station.latitude), float(station.longitude))
    system = settings.STATION_COORDINATES
    wgs, gcj, bd = (convert(here, system, target) for target in ("wgs84", "gcj02", "bd09"))
    name = station.name
    geo = f"geo:{_fmt(wgs.lat)},{_fmt(wgs.lng)}?q={_fmt(wgs.lat)},{_fmt(wgs.lng)}({quote(name)})"
    amap = "https://uri.amap.com/marker?" + urlencode(
        {"position": f"{_fmt(gcj.lng)},{_fmt(gcj.lat)}", "name": name, "coordinate": "gaode", "callnative": "1"}
    )
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {
            "location": f"{_fmt(bd.lat)},{_fmt(bd.lng)}",
            "title": name,
            "content": station.address or name,
            "coord_type": "bd09ll",
            "output": "html",
            "src": "renda",
        }
    )
    tencent = "https://apis.map.qq.com/uri/v1/marker?" + urlencode(
        {
            "marker": f"coord:{_fmt(gcj.lat)},{_fmt(gcj.lng)};title:{name};addr:{station.address or name}",
            "referer": "renda",
        }
    )
    return [
        {"id": "nav-geo", "label": _("Map app on this phone"), "href": geo},
        {"id": "nav-amap", "label": _("Amap"), "href": amap},
        {"id": "nav-baidu", "label": _("Baidu Maps"), "href": baidu},
        {"id": "nav-tencent", "label": _("Tencent Maps"), "href": tencent},
    ]
