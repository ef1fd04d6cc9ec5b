"""Which years the holiday calendar knows, and whether staff must enter next year's holidays now.

chinese-calendar ships each year's holidays and 调休 days once the State Council publishes them (usually in late
autumn). Until a release knows the coming year, `Calendar` counts weekends only for it; the reminder below asks system
admins to enter that year's `CalendarOverride` rows (or to upgrade the package) before deadlines run into it.
"""

from datetime import date

import chinese_calendar
from django.conf import settings

from .models import CalendarOverride


def package_knows(year: int) -> bool:
    """Whether the installed chinese-calendar has the State Council's holidays for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def has_overrides(year: int) -> bool:
    return CalendarOverride.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)).exists()


def year_needing_holidays(today: date) -> int | None:
    """The coming year when it begins within CALENDAR_REMINDER_DAYS and nothing knows its holidays; else None."""
    coming = today.year + 1
    if (date(coming, 1, 1) - today).days > settings.CALENDAR_REMINDER_DAYS:
        return None
    if package_knows(coming) or has_overrides(coming):
        return None
    return coming
