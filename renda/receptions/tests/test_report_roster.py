"""Roster reports with frozen time: stations without a held reception lately, deputies not on duty this year."""

import datetime
from io import BytesIO

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from renda.people.models import Deputy
from renda.receptions.models import Duty, Reception
from renda.stations.models import Assignment, Station
from renda.testing import assert_statuses

# Thursday 2026-11-26, 14:00 in Suzhou. Eight weeks back is 2026-10-01.
NOW = datetime.datetime(2026, 11, 26, 6, 0, tzinfo=datetime.UTC)


def en(world, user):
    """A client reading the pages in English: the assertions below do not depend on the Chinese catalogue."""
    client = world.client(user)
    client.cookies["django_language"] = "en"
    return client


def held(station, day, status="scheduled"):
    return Reception.objects.create(
        station=station, date=day, starts=datetime.time(9), ends=datetime.time(11), kind="roster", status=status
    )


def build_stations(world):
    held(world.mudu_home, datetime.date(2026, 11, 4))
    held(world.weiting_station, datetime.date(2026, 9, 2))
    held(world.weiting_station, datetime.date(2026, 11, 11), status="cancelled")
    held(world.weiting_station, datetime.date(2026, 12, 2))
    Station.objects.create(
        name="金庭镇旧联络站", kind="liaison", region=world.jinting, public_code="JT0001", is_active=False
    )


def idle_rows(client, query=""):
    html = client.get(reverse("receptions:idle_stations") + query).content.decode()
    return html, [
        name
        for name in ("木渎镇代表之家", "唯亭街道代表联络站", "斜塘街道代表联络站", "沧浪街道代表之家", "金庭镇旧联络站")
        if name in html
    ]


@time_machine.travel(NOW, tick=False)
def test_idle_stations_in_the_users_regions(world):
    build_stations(world)
    html, names = idle_rows(en(world, world.wuzhong_staff))
    # 木渎 held one three weeks ago; 唯亭's last held one is twelve weeks old (the cancelled one does not count).
    assert names == ["唯亭街道代表联络站"]
    assert "2026-09-02" in html and "2026-12-02" in html
    _html, names = idle_rows(en(world, world.city_staff))
    assert names == ["唯亭街道代表联络站", "斜塘街道代表联络站", "沧浪街道代表之家"]
    _html, names = idle_rows(en(world, world.park_staff))
    assert names == ["唯亭街道代表联络站", "斜塘街道代表联络站"]


@time_machine.travel(NOW, tick=False)
def test_the_number_of_weeks_is_adjustable(world):
    build_stations(world)
    client = en(world, world.wuzhong_staff)
    assert idle_rows(client, "?weeks=12")[1] == ["唯亭街道代表联络站"]
    assert idle_rows(client, "?weeks=13")[1] == []
    assert sorted(idle_rows(client, "?weeks=2")[1]) == sorted(["木渎镇代表之家", "唯亭街道代表联络站"])
    html, names = idle_rows(client, "?weeks=abc")
    assert "must be a whole number from 1 to 104" in html and names == ["唯亭街道代表联络站"]
    assert "must be a whole number" in idle_rows(client, "?weeks=0")[0]


@time_machine.travel(NOW, tick=False)
def test_idle_stations_excel(world):
    build_stations(world)
    response = world.client(world.wuzhong_staff).get(reverse("receptions:idle_stations_xlsx") + "?weeks=2")
    rows = list(load_workbook(BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert [(row[0], row[2], row[3], row[4]) for row in rows[1:]] == [
        ("唯亭街道代表联络站", "唯亭街道", datetime.datetime(2026, 9, 2), datetime.datetime(2026, 12, 2)),
        ("木渎镇代表之家", "木渎镇", datetime.datetime(2026, 11, 4), None),
    ]


def build_deputies(world):
    def duty(deputy, station, day, attendance="expected", checked_in=False, status="scheduled"):
        reception = Reception.objects.filter(station=station, date=day).first() or held(station, day, status)
        return Duty.objects.create(
            reception=reception,
            deputy=deputy,
            attendance=attendance,
            checked_in_at=NOW if checked_in else None,
            absence_reason="病假" if attendance == "absent" else "",
        )

    mudu = world.mudu_home
    duty(world.deputy_wz, mudu, datetime.date(2026, 3, 4), "attended")
    duty(world.deputy_city, mudu, datetime.date(2025, 10, 1), "attended")
    duty(world.deputy_city, mudu, datetime.date(2026, 12, 2))
    duty(world.deputy_city, mudu, datetime.date(2026, 12, 16))
    nine = Deputy.objects.create(name="吴九", term=17, level="town", electoral_region=world.mudu, public_code="W9")
    Assignment.objects.create(station=mudu, deputy=nine)
    duty(nine, mudu, datetime.date(2026, 5, 1), "absent")
    # Cancelled: a scheduled duty that will not happen is not "coming".
    duty(nine, mudu, datetime.date(2026, 12, 9), status="cancelled")
    ten = Deputy.objects.create(name="吴十", term=17, level="town", electoral_region=world.mudu, public_code="W10")
    duty(ten, mudu, datetime.date(2026, 6, 1), checked_in=True)
    Deputy.objects.create(
        name="吴退", term=17, level="town", electoral_region=world.mudu, public_code="W11", is_active=False
    )
    return nine


@time_machine.travel(NOW, tick=False)
def test_deputies_not_on_duty_this_year(world):
    nine = build_deputies(world)
    response = en(world, world.wuzhong_staff).get(reverse("receptions:not_on_duty"))
    html = response.content.decode()
    listed = [name for name in ("吴测试", "苏测试", "吴九", "吴十", "吴退", "顾测试") if f">{name}</a>" in html]
    # 吴测试 attended in March, 吴十 checked in in June; 苏测试 only last year; 吴九 was absent; 吴退 is inactive.
    assert sorted(listed) == sorted(["吴九", "苏测试"])
    row = html[html.index(f'data-deputy="{world.deputy_city.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "2025-10-01" in row and "木渎镇代表之家" in row
    assert '<td class="upcoming">2 <span class="muted">(2026-12-02)</span>' in row
    row = html[html.index(f'data-deputy="{nine.pk}"') :]
    assert '<td class="upcoming">0</td>' in row[: row.index("</tr>")]


@time_machine.travel(NOW, tick=False)
def test_deputies_not_on_duty_excel(world):
    build_deputies(world)
    response = world.client(world.wuzhong_staff).get(reverse("receptions:not_on_duty_xlsx"))
    rows = list(load_workbook(BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"吴九", "苏测试"}
    assert by_name["苏测试"][2:] == (
        "姑苏区",
        "木渎镇代表之家",
        datetime.datetime(2025, 10, 1),
        2,
        datetime.datetime(2026, 12, 2),
    )
    assert by_name["吴九"][2:] == ("木渎镇", "木渎镇代表之家", None, 0, None)


@time_machine.travel(NOW, tick=False)
def test_the_roster_reports_are_for_congress_staff(world):
    for name in ("idle_stations", "idle_stations_xlsx", "not_on_duty", "not_on_duty_xlsx"):
        assert_statuses(
            world,
            reverse(f"receptions:{name}"),
            {
                "wuzhong_staff": 200,
                "keeper": 404,
                "deputy_user": 404,
                "unit_user": 404,
                "outsider": 404,
                "anonymous": 302,
            },
        )


@time_machine.travel(NOW, tick=False)
def test_the_roster_reports_cost_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    build_stations(world)
    build_deputies(world)
    client = world.client(world.city_staff)
    pages = [reverse("receptions:idle_stations"), reverse("receptions:not_on_duty")]
    counts = []
    for url in pages:
        client.get(url)
        with django_assert_max_num_queries(12) as few:
            client.get(url)
        counts.append(len(few.captured_queries))
    for n in range(6):
        station = Station.objects.create(name=f"木渎新站{n}", kind="home", region=world.mudu, public_code=f"MX{n:04d}")
        deputy = Deputy.objects.create(
            name=f"吴新{n}", term=17, level="town", electoral_region=world.mudu, public_code=f"WN{n}"
        )
        Assignment.objects.create(station=station, deputy=deputy)
    for url, count in zip(pages, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)
