"""Working days across the 2026 Mid-autumn and National Day holidays, the 2027 gap, and staff overrides.

The 2026 arrangement (State Council notice, as chinese-calendar 1.11 has it): Mid-autumn Fri 25 – Sun 27 Sep off;
National Day Thu 1 – Wed 7 Oct off; Sun 20 Sep and Sat 10 Oct are 调休 working days.
"""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from renda.workdays.calendar import CHINA, Calendar, due_at
from renda.workdays.models import CalendarOverride

UTC = ZoneInfo("UTC")


def test_the_package_knows_the_2026_arrangement():
    # Guards the assumptions below: if a package update changes them, these tests must be re-read, not just fixed.
    assert chinese_calendar.is_workday(date(2026, 9, 20))  # Sunday, 调休 working day
    assert chinese_calendar.is_holiday(date(2026, 9, 25))
    assert all(chinese_calendar.is_holiday(date(2026, 10, day)) for day in range(1, 8))
    assert chinese_calendar.is_workday(date(2026, 10, 10))  # Saturday, 调休 working day
    assert chinese_calendar.get_holiday_detail(date(2026, 10, 10)) == (False, "National Day")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 9, 19), 1, date(2026, 9, 20)),  # Saturday → the working Sunday
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # over the Mid-autumn long weekend
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over the whole National Day week
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # the working Saturday counts
        (date(2026, 9, 30), 4, date(2026, 10, 12)),  # the Sunday after it does not
        (date(2026, 9, 18), 9, date(2026, 10, 8)),  # 20–24, 28–30 Sep are 8 working days; 8 Oct the 9th
    ],
)
def test_add_workdays_across_the_2026_holidays(start, days, expected):
    assert Calendar().add_workdays(start, days) == expected


@pytest.mark.django_db
def test_workdays_between_counts_the_shifted_weekend():
    calendar = Calendar()
    assert calendar.workdays_between(date(2026, 9, 30), date(2026, 10, 12)) == 4  # 8, 9, 10, 12 Oct
    assert calendar.workdays_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert calendar.workdays_between(date(2026, 10, 12), date(2026, 10, 1)) == 0


@pytest.mark.django_db
def test_due_at_is_end_of_the_beijing_day():
    # 17:00 UTC on 30 Sep is already 1 Oct in Beijing: counting starts from the Beijing date.
    assert due_at(datetime(2026, 9, 30, 17, 0, tzinfo=UTC), 1) == datetime(2026, 10, 8, 23, 59, 59, tzinfo=CHINA)
    assert due_at(datetime(2026, 9, 30, 9, 0, tzinfo=CHINA), 3) == datetime(2026, 10, 10, 23, 59, 59, tzinfo=CHINA)
    # Calendar days ignore holidays.
    assert due_at(datetime(2026, 9, 30, 9, 0, tzinfo=CHINA), 5, working=False) == datetime(
        2026, 10, 5, 23, 59, 59, tzinfo=CHINA
    )


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_counts_weekends_and_warns_once(caplog):
    calendar = Calendar()
    with caplog.at_level(logging.WARNING, logger="renda.workdays.calendar"):
        # 1 Jan 2027 is a Friday: without data it is a working day; the weekend after is not.
        assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
        assert calendar.add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 4)
        assert calendar.is_workday(date(2027, 1, 6))
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1 and "CalendarOverride" in warnings[0].getMessage()


@pytest.mark.django_db
def test_overrides_beat_the_package_and_fill_the_gap():
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    CalendarOverride.objects.create(date=date(2026, 10, 9), is_workday=False, note="extra day off")
    CalendarOverride.objects.create(date=date(2026, 10, 11), is_workday=True, note="extra working Sunday")
    calendar = Calendar()
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.add_workdays(date(2026, 9, 30), 2) == date(2026, 10, 10)  # 8, (9 off), 10
    assert calendar.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 11)
    # The overrides are read once, when the calendar is made (a deadline run asks thousands of times).
    CalendarOverride.objects.filter(date=date(2027, 1, 1)).delete()
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert Calendar().add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
