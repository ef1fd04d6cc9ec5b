"""A deputy's performance record: duties with what came of them, yearly totals, Excel; scoped like the deputy."""

import datetime
from io import BytesIO

import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.opinions.actions import submit
from renda.opinions.models import Category
from renda.receptions.models import Duty, Reception, ReceptionOpinion, Visit
from renda.testing import assert_statuses

from .helpers import on_duty, reception_day, sitting

NOW = datetime.datetime(2026, 11, 26, 6, 0, tzinfo=datetime.UTC)


def en(world, user):
    """A client reading the pages in English: the assertions below do not depend on the Chinese catalogue."""
    client = world.client(user)
    client.cookies["django_language"] = "en"
    return client


def reception(station, day, kind="roster", **extra):
    return Reception.objects.create(
        station=station, date=day, starts=datetime.time(9), ends=datetime.time(11), kind=kind, **extra
    )


def build_record(world):
    """吴测试's record, counted by hand:

    2025-06-04 木渎镇代表之家 roster    attended; visitors 2 + 1 = 3; 1 opinion
    2026-03-04 木渎镇代表之家 roster    checked in only → attended; visitors 4
    2026-05-06 木渎镇代表之家 roster    cancelled → listed, not counted
    2026-11-20 唯亭街道代表联络站 campaign absent (出差)
    2026-12-02 木渎镇代表之家 roster    upcoming → listed, not counted

    2026: 2 duties, 1 attended, 1 absent, 4 visitors, 0 opinions.  2025: 1 duty, 1 attended, 3 visitors, 1 opinion.
    """
    mudu, deputy = world.mudu_home, world.deputy_wz
    old = Duty.objects.create(
        reception=reception(mudu, datetime.date(2025, 6, 4)), deputy=deputy, attendance="attended"
    )
    Visit.objects.create(reception=old.reception, duty=old, count=2)
    Visit.objects.create(reception=old.reception, duty=old, count=1)
    taken = submit(station=mudu, category=Category.objects.first(), text="路灯").opinion
    ReceptionOpinion.objects.create(opinion=taken, reception=old.reception, duty=old)
    checked = Duty.objects.create(
        reception=reception(mudu, datetime.date(2026, 3, 4)), deputy=deputy, checked_in_at=timezone.now()
    )
    Visit.objects.create(reception=checked.reception, duty=checked, count=4)
    Duty.objects.create(reception=reception(mudu, datetime.date(2026, 5, 6), status="cancelled"), deputy=deputy)
    campaign = reception_day(world.wuzhong, title="吴中区接待日", date=datetime.date(2026, 11, 20), status="finished")
    on_duty(sitting(campaign, world.weiting_station), deputy, attendance="absent", absence_reason="出差")
    Duty.objects.create(reception=reception(mudu, datetime.date(2026, 12, 2)), deputy=deputy)


def record_url(deputy, xlsx=False):
    name = "receptions:deputy_record_xlsx" if xlsx else "receptions:deputy_record"
    return reverse(name, kwargs={"deputy_pk": deputy.pk})


@time_machine.travel(NOW, tick=False)
def test_the_record_lists_every_duty_with_yearly_totals(world):
    build_record(world)
    html = en(world, world.wuzhong_staff).get(record_url(world.deputy_wz)).content.decode()
    assert "1 of 2 duties attended, 1 absent; 4 visitors received, 0 opinions taken" in html
    assert "1 of 1 duties attended, 0 absent; 3 visitors received, 1 opinions taken" in html
    assert html.index('id="year-2026"') < html.index('id="year-2025"')
    assert "absent: 出差" in html
    assert "吴中区接待日" in html
    assert "cancelled" in html and "upcoming" in html


@time_machine.travel(NOW, tick=False)
def test_a_deputy_reads_their_own_record_from_the_receptions_home(world):
    build_record(world)
    client = en(world, world.deputy_user)
    home = client.get(reverse("receptions:home")).content.decode()
    assert reverse("receptions:my_record") in home
    mine = client.get(reverse("receptions:my_record"))
    assert mine.status_code == 200
    assert "1 of 2 duties attended, 1 absent" in mine.content.decode()
    assert client.get(record_url(world.deputy_wz)).status_code == 200
    assert client.get(record_url(world.deputy_gs)).status_code == 404
    # Staff without a deputy's account have no record of their own: the page says so.
    assert "not a deputy" in en(world, world.wuzhong_staff).get(reverse("receptions:my_record")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_excel_record_has_the_same_rows(world):
    build_record(world)
    response = en(world, world.wuzhong_staff).get(record_url(world.deputy_wz, xlsx=True))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    body = rows[1:]
    assert [row[0] for row in body if isinstance(row[0], datetime.datetime)] == [
        datetime.datetime(2026, 12, 2),
        datetime.datetime(2026, 11, 20),
        datetime.datetime(2026, 5, 6),
        datetime.datetime(2026, 3, 4),
        datetime.datetime(2025, 6, 4),
    ]
    absent = next(row for row in body if row[0] == datetime.datetime(2026, 11, 20))
    assert absent[1:] == (
        "唯亭街道代表联络站",
        "唯亭街道",
        "unified reception day",
        "吴中区接待日",
        "absent",
        "出差",
        0,
        0,
    )
    totals = [row for row in body if not isinstance(row[0], datetime.datetime)]
    assert [(row[5], row[7], row[8]) for row in totals] == [
        ("1 of 2 attended, 1 absent", 4, 0),
        ("1 of 1 attended, 0 absent", 3, 1),
    ]


def test_another_regions_deputy_is_missing(world):
    for xlsx in (False, True):
        assert_statuses(
            world,
            record_url(world.deputy_wz, xlsx),
            {
                "wuzhong_staff": 200,
                "city_staff": 200,
                "keeper": 200,
                "gusu_staff": 404,
                "unit_user": 404,
                "outsider": 404,
            },
        )
        assert_statuses(
            world, record_url(world.deputy_gs, xlsx), {"wuzhong_staff": 404, "keeper": 404, "gusu_staff": 200}
        )


@time_machine.travel(NOW, tick=False)
def test_staff_outside_the_electoral_region_see_only_duties_at_their_stations(world):
    # 苏测试 is elected in 姑苏区 and serves at 木渎镇代表之家 (吴中区) as well as at a 姑苏区 station.
    deputy = world.deputy_city
    Duty.objects.create(reception=reception(world.mudu_home, datetime.date(2026, 4, 1)), deputy=deputy)
    Duty.objects.create(reception=reception(world.canglang_home, datetime.date(2026, 4, 8)), deputy=deputy)
    wuzhong = en(world, world.wuzhong_staff).get(record_url(deputy)).content.decode()
    assert "木渎镇代表之家" in wuzhong and "沧浪街道代表之家" not in wuzhong
    gusu = en(world, world.gusu_staff).get(record_url(deputy)).content.decode()
    assert "木渎镇代表之家" in gusu and "沧浪街道代表之家" in gusu


@time_machine.travel(NOW, tick=False)
def test_the_staff_deputy_page_shows_this_years_totals(world):
    build_record(world)
    response = en(world, world.wuzhong_staff).get(reverse("people:deputy_detail", args=[world.deputy_wz.pk]))
    html = response.content.decode()
    assert 'id="reception-record"' in html
    assert "2026: 1 of 2 duties attended, 1 absent" in html
    assert record_url(world.deputy_wz) in html
