"""Working days with China's official holidays and 调休 shifts.

Order of authority: a CalendarOverride row, then chinese-calendar for the years it covers, then plain weekends for a
year it does not know yet (and a warning in the log, so staff add that year's overrides).
"""

import logging
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings

from .models import CalendarOverride

log = logging.getLogger(__name__)
CHINA = ZoneInfo("Asia/Shanghai")


class Calendar:
    """Answers "is this a working day?" with the overrides loaded once (deadline computations ask many times)."""

    def __init__(self):
        self.overrides = dict(CalendarOverride.objects.values_list("date", "is_workday"))
        self.warned: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self.warned:
                self.warned.add(day.year)
                log.warning("no holiday data for %s: counting weekends only; add CalendarOverride rows", day.year)
            return day.weekday() < 5

    def add_workdays(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (start itself not counted)."""
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


# Deadlines are computed on every submission and transition; the overrides change a few times a year. A process keeps
# its Calendar for a minute, and saving or deleting an override drops it at once (CalendarOverride.save/delete).
_cached: dict = {"calendar": None, "at": 0.0}


def current_calendar() -> Calendar:
    if _cached["calendar"] is None or time.monotonic() - _cached["at"] > settings.REFERENCE_CACHE_SECONDS:
        _cached["calendar"], _cached["at"] = Calendar(), time.monotonic()
    return _cached["calendar"]


def forget_calendar() -> None:
    _cached["calendar"] = None


def due_at(start: datetime, days: int, *, working: bool = True, calendar: Calendar | None = None) -> datetime:
    """End of the day (Beijing time) `days` working (or calendar) days after `start`."""
    local = start.astimezone(CHINA).date()
    if working:
        end = (calendar or current_calendar()).add_workdays(local, days)
    else:
        end = local + timedelta(days=days)
    return datetime(end.year, end.month, end.day, 23, 59, 59, tzinfo=CHINA)
