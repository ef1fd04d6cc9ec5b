"""JSON API of calendars: the person's own entries and the office's region calendar, mounted by renda/api under
/api/v1/staff/calendar with its bearer-token auth. The same entries as the pages and the feed (agenda.py)."""

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from renda.accounts.region_access import get_region_for_user

from . import access, agenda

router = Router(tags=["calendar"])


class EntryOut(Schema):
    uid: str
    kind: str
    title: str
    starts: dt.datetime
    ends: dt.datetime
    place: str
    url: str
    note: str
    cancelled: bool


class Window(Schema):
    start: dt.date | None = None  # default today (China time)
    days: int | None = None  # default CALENDAR_PAGE_DAYS, at most CALENDAR_FEED_FUTURE_DAYS


class RegionWindow(Window):
    region: str | None = None  # a region code inside the user's scope; default all of them


def _window(params: Window) -> tuple[dt.date, dt.date]:
    start = params.start or timezone.localdate()
    days = settings.CALENDAR_PAGE_DAYS if params.days is None else params.days
    if not 1 <= days <= settings.CALENDAR_FEED_FUTURE_DAYS:
        message = _("days must be between 1 and %(most)s") % {"most": settings.CALENDAR_FEED_FUTURE_DAYS}
        raise HttpError(400, message)
    return start, start + dt.timedelta(days=days)


def _out(entries) -> list[dict]:
    return [
        {
            "uid": e.uid,
            "kind": e.kind,
            "title": e.title,
            "starts": e.starts,
            "ends": e.ends,
            "place": e.place,
            "url": e.url,
            "note": e.note,
            "cancelled": e.cancelled,
        }
        for e in entries
    ]


@router.get("/mine", response=list[EntryOut], summary="My calendar (deputies and CPPCC members)")
def mine(request, params: Query[Window]):
    if not access.has_own_calendar(request.user):
        raise Http404("no calendar of one's own")
    return _out(agenda.person_entries(request.user, *_window(params)))


@router.get("/region", response=list[EntryOut], summary="The region's calendar (congress staff)")
def region(request, params: Query[RegionWindow]):
    if not access.may_see_region_calendar(request.user):
        raise Http404("not congress staff")
    chosen = get_region_for_user(request.user, params.region) if params.region else None
    return _out(agenda.region_entries(request.user, *_window(params), chosen))
