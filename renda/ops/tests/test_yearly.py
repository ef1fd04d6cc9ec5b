"""The reminder to enter next year's holidays: on the staff home of system admins and in /readyz, from
CALENDAR_REMINDER_DAYS before the year begins, until chinese-calendar or a CalendarOverride row knows that year.
(chinese-calendar 1.11, pinned by requirements, knows up to 2026.)"""

from datetime import date

import pytest
from django.test import Client

from renda.workdays.coverage import package_knows, year_needing_holidays
from renda.workdays.models import CalendarOverride

PANEL = 'id="holiday-reminder"'


def home(world, user):
    response = world.client(user).get("/staff/")
    assert response.status_code == 200
    return response.content.decode()


def test_package_years():
    assert package_knows(2026) and not package_knows(2027)


@pytest.mark.parametrize(
    ("now", "shown"),
    [
        ("2026-11-30 23:00 +0800", False),  # 32 days before 2027
        ("2026-12-01 00:10 +0800", True),  # 31 days before: from December 1 on
        ("2026-12-31 23:59 +0800", True),
        ("2025-12-15 10:00 +0800", False),  # 2026 is known to the package
    ],
)
def test_system_admins_see_the_panel_from_december(world, time_machine, now, shown):
    time_machine.move_to(now)
    html = home(world, world.sysadmin)
    assert (PANEL in html) is shown
    if shown:
        assert "2027年的节假日尚未录入" in html and 'href="/admin/workdays/calendaroverride/"' in html


def test_only_system_admins_see_it(world, time_machine):
    time_machine.move_to("2026-12-06 10:00 +0800")
    for user in (world.city_staff, world.wuzhong_staff):
        assert PANEL not in home(world, user)
    assert PANEL in home(world, world.sysadmin)


def test_an_override_for_the_year_ends_the_reminder(world, time_machine):
    time_machine.move_to("2026-12-06 10:00 +0800")
    CalendarOverride.objects.create(date=date(2026, 12, 31), is_workday=False, note="this year: does not count")
    assert PANEL in home(world, world.sysadmin)
    CalendarOverride.objects.create(date=date(2027, 2, 7), is_workday=True, note="春节调休")
    assert PANEL not in home(world, world.sysadmin)
    assert Client().get("/readyz").json()["warnings"] == []


def test_the_window_is_a_setting(db, settings, time_machine):
    time_machine.move_to("2026-11-01 10:00 +0800")
    assert year_needing_holidays(date(2026, 11, 1)) is None
    settings.CALENDAR_REMINDER_DAYS = 61
    assert year_needing_holidays(date(2026, 11, 1)) == 2027
    body = Client().get("/readyz").json()
    assert body["status"] == "ok" and body["warnings"][0].startswith("no holiday data for 2027")
    settings.CALENDAR_REMINDER_DAYS = 0
    assert year_needing_holidays(date(2026, 12, 31)) is None
