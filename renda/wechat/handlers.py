"""What the account answers: one function per message kind, each returning reply XML or "" (nothing to say).

Handlers only read (public access functions, the cache): a reply must leave within WeChat's 5 seconds, and a
message WeChat delivers again must not do anything twice. Replies are in Chinese whatever the server's language.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renda.core.geo import Point, format_distance, in_station_system
from renda.opinions.access import get_opinion_by_code
from renda.opinions.workflow import State
from renda.projects import wechat as projects_wechat
from renda.receptions.access import upcoming_by_station
from renda.receptions.workflow import ReceptionStatus
from renda.stations.public import nearest_stations, public_stations

from . import wxml

NEAREST = 3
RECEPTION_DAYS_AHEAD = 14
RECEPTIONS_PER_STATION = 2
LOCATION_SECONDS = 24 * 3600
SCENE_PREFIX = "qrscene_"
TRACK = re.compile(r"^\s*(查询|查|track)\s*[:：]?\s*([0-9A-Za-z-]{4,32})\s*$", re.IGNORECASE)

# Menu CLICK keys (docs/api/wechat.md has the menu JSON).
MENU_FIND_DEPUTY = "FIND_DEPUTY"
MENU_RECEPTION = "RECEPTION_DAYS"
MENU_TRACK = "TRACK_OPINION"
MENU_HELP = "HELP"


def station_url(station) -> str:
    return f"{settings.PUBLIC_BASE_URL}/s/{station.public_code}/"


def reply(message: dict) -> str:
    with translation.override("zh-hans"):
        kind = message.get("MsgType", "").lower()
        if kind == "event":
            return _event(message)
        if kind == "location":
            return _nearest(message, message.get("Location_X", ""), message.get("Location_Y", ""))
        if kind == "text":
            return _text(message)
        return wxml.text_reply(message, help_text())


def help_text() -> str:
    return _(
        "Send your location to find the nearest deputy stations; send 找代表 to find deputies, 接待日 for "
        "reception hours, or 查询 followed by your tracking code to see how your opinion is handled."
    )


# Events --------------------------------------------------------------------------------------------------------


def _event(message: dict) -> str:
    event = message.get("Event", "").lower()
    key = message.get("EventKey", "")
    if event == "subscribe":
        scene = key[len(SCENE_PREFIX) :] if key.startswith(SCENE_PREFIX) else ""
        return _scene(message, scene) or wxml.text_reply(
            message, _("Welcome to the people's congress deputies' service.") + " " + help_text()
        )
    if event == "scan":
        return _scene(message, key) or wxml.text_reply(message, help_text())
    if event == "location":
        return _nearest(message, message.get("Latitude", ""), message.get("Longitude", ""))
    if event == "click":
        return _menu(message, key)
    return ""  # unsubscribe, VIEW, TEMPLATESENDJOBFINISH …: nothing to answer


def find_station(scene: str):
    """A QR scene names a station by public code (string scenes) or by number (temporary codes: the station id)."""
    scene = scene.strip()
    if not scene:
        return None
    station = public_stations().filter(public_code=scene.upper()).first()
    if station is None and scene.isdigit() and len(scene) < 12:
        station = public_stations().filter(pk=int(scene)).first()
    return station


def _scene(message: dict, scene: str) -> str:
    station = find_station(scene)
    if station is None:
        return ""
    return wxml.news_reply(
        message,
        [
            {
                "title": station.name,
                "description": _("Meet the deputies of this station and leave your opinion online."),
                "url": station_url(station),
            }
        ],
    )


def _menu(message: dict, key: str) -> str:
    if key == MENU_FIND_DEPUTY:
        return _find_deputy(message)
    if key == MENU_RECEPTION:
        return _reception(message)
    if key == MENU_TRACK:
        return wxml.text_reply(message, _("Send 查询 followed by your tracking code, for example: 查询 AB12CD34"))
    return wxml.text_reply(message, help_text())


# Text ----------------------------------------------------------------------------------------------------------


def _text(message: dict) -> str:
    content = message.get("Content", "").strip()
    if content in ("找代表", "代表"):
        return _find_deputy(message)
    if content in ("接待日", "接待"):
        return _reception(message)
    if content in projects_wechat.KEYWORDS:
        return wxml.text_reply(message, projects_wechat.current_rounds_text())
    match = TRACK.match(content)
    if match:
        return wxml.text_reply(message, status_text(match.group(2)))
    return wxml.text_reply(message, help_text())


def _find_deputy(message: dict) -> str:
    return wxml.text_reply(
        message,
        _(
            "Tap + and send your location: we reply with the three nearest deputy stations. Or browse all "
            "stations here: %(url)s"
        )
        % {"url": f"{settings.PUBLIC_BASE_URL}/"},
    )


def status_text(code: str) -> str:
    """Public information only: state, due date, and the tracking page; never names, phones or internal notes."""
    try:
        opinion = get_opinion_by_code(code)
    except Http404:
        return _("No opinion has the tracking code %(code)s. Please check the code and try again.") % {
            "code": code.upper()
        }
    url = f"{settings.PUBLIC_BASE_URL}/t/{opinion.tracking_code}/"
    parts = [_("Opinion %(code)s: %(state)s.") % {"code": opinion.tracking_code, "state": State(opinion.status).label}]
    if opinion.status == State.MERGED and opinion.merged_into_id:
        parts.append(_("It is handled together with %(code)s.") % {"code": opinion.merged_into.tracking_code})
    elif opinion.due_at and opinion.status not in (State.FINAL, State.REFUSED):
        due = timezone.localtime(opinion.due_at).strftime("%Y-%m-%d")
        parts.append(_("Next step due by %(date)s.") % {"date": due})
    parts.append(_("Details: %(url)s") % {"url": url})
    return " ".join(parts)


# Location ------------------------------------------------------------------------------------------------------


def _point(lat: str, lng: str) -> Point | None:
    try:
        point = Point(float(lat), float(lng))
    except ValueError:
        return None
    if not (-90 <= point.lat <= 90 and -180 <= point.lng <= 180):
        return None
    return point


def _location_key(message: dict) -> str:
    return f"wechat:location:{message.get('FromUserName', '')}"


def _nearest(message: dict, lat: str, lng: str) -> str:
    point = _point(lat, lng)
    if point is None:
        return wxml.text_reply(message, help_text())
    # WeChat sends GCJ-02: compared with stations in their own system. Remembered for the 接待日 keyword.
    point = in_station_system(point, "gcj02")
    cache.set(_location_key(message), (point.lat, point.lng), LOCATION_SECONDS)
    stations = nearest_stations(point, limit=NEAREST)
    if not stations:
        return wxml.text_reply(message, _("No deputy station with a known location yet."))
    return wxml.news_reply(
        message,
        [
            {
                "title": f"{station.name} · {format_distance(station.distance_km)}",
                "description": station.address,
                "url": station_url(station),
            }
            for station in stations
        ],
    )


def _reception(message: dict) -> str:
    """The coming published receptions of the stations nearest the last location sent (with the deputies on duty);
    a station with none published answers with its reception hours."""
    remembered = cache.get(_location_key(message))
    if not remembered:
        return wxml.text_reply(
            message, _("Send your location first: we reply with the reception hours of the nearest stations.")
        )
    stations = nearest_stations(Point(*remembered), limit=NEAREST)
    if not stations:
        return wxml.text_reply(message, _("No deputy station with a known location yet."))
    today = timezone.localdate()
    coming = upcoming_by_station(stations, today, today + timedelta(days=RECEPTION_DAYS_AHEAD))
    lines = [_("Receptions at the stations near you:")]
    for station in stations:
        receptions = coming.get(station.pk, [])[:RECEPTIONS_PER_STATION]
        if not receptions:
            hours = station.reception_hours or _("see the station page")
            lines.append(f"{station.name}{_(':')}{hours} {station_url(station)}")
            continue
        lines.append(f"{station.name} {station_url(station)}")
        for reception in receptions:
            lines.append(f"· {reception_line(reception)}")
    return wxml.text_reply(message, "\n".join(lines))


def reception_line(reception) -> str:
    """One reception in a text reply: date, time, deputies, or that it is cancelled."""
    when = f"{reception.date:%m-%d} {reception.starts:%H:%M}-{reception.ends:%H:%M}"
    if reception.status == ReceptionStatus.CANCELLED:
        return _("%(when)s cancelled") % {"when": when}
    names = "、".join(duty.deputy.name for duty in reception.on_duty)
    return f"{when} {names}" if names else when
