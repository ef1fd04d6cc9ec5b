"""The dates of a roster slot: pure date logic, no database (the writes are in actions/roster.py).

A weekday that is not a working day is an official holiday (国庆, 春节 …) and a slot that skips holidays has no
reception then; a weekend is skipped only inside a named holiday period; a 调休 working weekend is a working day.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.workdays.calendar import Calendar

# chinese-calendar names its holidays in English; these are the names people read.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
}


@dataclass
class Generated:
    """What one generation run did: receptions and duties created, dates skipped as holidays."""

    receptions: int = 0
    duties: int = 0
    skipped: list = field(default_factory=list)
    slots: int = 0

    def add(self, other: "Generated") -> None:
        self.receptions += other.receptions
        self.duties += other.duties
        self.skipped += other.skipped
        self.slots += other.slots


def holiday_reason(day: date, calendar: Calendar) -> str | None:
    """Why a roster slot has no reception on `day`, or None when it has one.

    A weekday that is not a working day is an official holiday (国庆, 春节 …). A weekend is skipped only inside a
    named holiday period (10月3日 in the National Day week); an ordinary weekend keeps its weekend slots, and a 调休
    working weekend is a working day like any other.
    """
    if calendar.is_workday(day):
        return None
    try:
        name = chinese_calendar.get_holiday_detail(day)[1]
    except NotImplementedError:  # a year chinese-calendar does not know: the Calendar already logged it
        name = None
    if day.weekday() >= 5 and name is None:
        return None
    label = HOLIDAY_NAMES.get(name, name) if name else _("official holiday")
    return str(label)


def slot_dates(slot, start: date, end: date, calendar: Calendar) -> tuple[list[date], list[tuple]]:
    """The slot's dates in [start, end]: (dates with a reception, [(date, reason) skipped as holidays])."""
    start = max(start, slot.valid_from)
    if slot.valid_until:
        end = min(end, slot.valid_until)
    # The slot's first occurrence anchors its every-n-weeks rhythm.
    first = slot.valid_from + timedelta(days=(slot.weekday - slot.valid_from.weekday()) % 7)
    dates, skipped = [], []
    day = max(start, first)
    day += timedelta(days=(slot.weekday - day.weekday()) % 7)
    while day <= end:
        if ((day - first).days // 7) % slot.every_weeks == 0:
            reason = holiday_reason(day, calendar) if slot.skip_holidays else None
            if reason:
                skipped.append((day, reason))
            else:
                dates.append(day)
        day += timedelta(days=7)
    return dates, skipped
