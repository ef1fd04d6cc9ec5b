"""Entries as an iCalendar document (RFC 5545) through the `icalendar` library: stable UIDs, UTC times, cancelled
events kept with STATUS:CANCELLED so that subscribed phone calendars remove them."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//renda//calendar feed//ZH"


def render(entries, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # How often a subscribing calendar should come back (RFC 7986 and the de-facto Microsoft property).
    hours = settings.CALENDAR_FEED_REFRESH_HOURS
    calendar.add("refresh-interval", dt.timedelta(hours=hours), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", f"PT{hours}H")
    now = timezone.now()
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "renda"
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", entry.starts.astimezone(dt.UTC))
        event.add("dtend", max(entry.ends, entry.starts).astimezone(dt.UTC))
        event.add("summary", entry.title)
        if entry.place:
            event.add("location", entry.place)
        if entry.note:
            event.add("description", entry.note)
        if entry.url:
            event.add("url", settings.PUBLIC_BASE_URL + entry.url)
        if entry.updated:
            event.add("last-modified", entry.updated.astimezone(dt.UTC))
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
