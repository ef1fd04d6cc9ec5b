"""The live board against a hand-counted city reception day: figures by district and town, visitors, opinions by
category, latest check-ins; what another district's staff and a keeper see; the htmx fragment; the query count."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.accounts.scope import scope_for
from renda.opinions.actions import submit
from renda.opinions.models import Category
from renda.receptions.board import board_for
from renda.receptions.models import Campaign, Duty, ReceptionOpinion, Visit
from renda.stations.models import Station
from renda.workdays.calendar import CHINA

from .helpers import deputies, reception_day, sitting

DAY = datetime.date(2026, 11, 20)
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=CHINA)


@pytest.fixture
def city_day(world):
    """The hand count (a city day; cancelled receptions do not count):

    吴中区 · 木渎镇     木渎镇代表之家        4 expected, 3 checked in; visitors 5 + 2; opinions 交通 ×2, 环境 ×1
    吴中区 · 木渎镇     木渎镇示范村 station  1 expected, 1 checked in (a village station counts under its town)
    吴中区 · 唯亭街道   唯亭街道代表联络站    2 expected, 0 checked in
    吴中区 · 金庭镇     a cancelled reception, 3 duties: not counted
    姑苏区 · 沧浪街道   沧浪街道代表之家      3 expected, 1 checked in; visitors 4; opinions 教育 ×1
    total              10 expected, 5 checked in; visitors 11; opinions 4
    """
    campaign = reception_day(world.suzhou, title="苏州市代表集中接待日", date=DAY, status="published")
    village_station = Station.objects.create(
        name="木渎镇示范村代表联系点", kind="point", region=world.mudu_village, public_code="MUDV01"
    )
    jinting_station = Station.objects.create(name="金庭镇代表之家", region=world.jinting, public_code="JINT01")
    cats = {name: Category.objects.get_or_create(name=name)[0] for name in ("交通出行", "生态环境", "教育文化")}

    def reception(station, status="scheduled"):
        return sitting(campaign, station, status=status, published_at=NOW - datetime.timedelta(days=3))

    def duties_at(rec, people, attended, first_minute=0):
        made = []
        for i, deputy in enumerate(people):
            checked = i < attended
            made.append(
                Duty.objects.create(
                    reception=rec,
                    deputy=deputy,
                    campaign=campaign,
                    attendance="attended" if checked else "expected",
                    checked_in_at=NOW - datetime.timedelta(minutes=60 - first_minute - i) if checked else None,
                )
            )
        return made

    mudu = reception(world.mudu_home)
    mudu_duties = duties_at(mudu, [world.deputy_wz, world.deputy_city, *deputies(world.mudu, "木", 2)], 3)
    village = reception(village_station)
    duties_at(village, deputies(world.mudu, "村", 1), 1, first_minute=10)
    weiting = reception(world.weiting_station)
    duties_at(weiting, deputies(world.weiting, "唯", 2), 0)
    jinting = reception(jinting_station, status="cancelled")
    duties_at(jinting, deputies(world.jinting, "金", 3), 1)
    canglang = reception(world.canglang_home)
    canglang_duties = duties_at(canglang, [world.deputy_gs, *deputies(world.canglang, "沧", 2)], 1, 30)

    Visit.objects.create(reception=mudu, duty=mudu_duties[0], count=5)
    Visit.objects.create(reception=mudu, duty=mudu_duties[1], count=2)
    Visit.objects.create(reception=canglang, duty=canglang_duties[0], count=4)
    Visit.objects.create(reception=jinting, count=9)  # cancelled: not counted

    def tagged(rec, duty, category):
        opinion = submit(station=rec.station, category=cats[category], text=f"{rec.station.name}的意见").opinion
        ReceptionOpinion.objects.create(opinion=opinion, reception=rec, campaign=campaign, duty=duty)

    tagged(mudu, mudu_duties[0], "交通出行")
    tagged(mudu, mudu_duties[1], "交通出行")
    tagged(mudu, mudu_duties[0], "生态环境")
    tagged(canglang, canglang_duties[0], "教育文化")
    return campaign


def figures(board):
    return {
        d.name: (d.expected, d.attended, {t.name: (t.expected, t.attended) for t in d.towns}) for d in board.districts
    }


def test_city_staff_see_the_hand_counted_figures(world, city_day):
    board = board_for(world.city_staff, city_day)
    assert (board.total.expected, board.total.attended, board.total.rate) == (10, 5, 50)
    assert figures(board) == {
        "吴中区": (7, 4, {"木渎镇": (5, 4), "唯亭街道": (2, 0)}),
        "姑苏区": (3, 1, {"沧浪街道": (3, 1)}),
    }
    assert (board.visitors, board.visit_records, board.opinions) == (11, 3, 4)
    assert board.by_category == [("交通出行", 2), ("教育文化", 1), ("生态环境", 1)]
    # Latest first: 沧浪 checked in at 09:30, the village at 09:10, then 木渎 09:02, 09:01, 09:00.
    assert [d.deputy.name for d in board.latest] == ["顾测试", "村0", "木0", "苏测试", "吴测试"]


def test_another_districts_staff_see_only_their_own_stations(world, city_day):
    board = board_for(world.gusu_staff, city_day)
    assert figures(board) == {"姑苏区": (3, 1, {"沧浪街道": (3, 1)})}
    assert (board.visitors, board.opinions, board.by_category) == (4, 1, [("教育文化", 1)])
    assert [d.deputy.name for d in board.latest] == ["顾测试"]

    with time_machine.travel(NOW, tick=False):
        page = world.client(world.gusu_staff).get(reverse("receptions:board", args=[city_day.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for word in ("吴中区", "木渎镇", "唯亭街道", "吴测试", "苏测试", "交通出行"):
        assert word not in text, word
    assert "沧浪街道" in text and "顾测试" in text


def test_a_keeper_sees_their_station(world, city_day):
    board = board_for(world.keeper, city_day)
    assert figures(board) == {"吴中区": (4, 3, {"木渎镇": (4, 3)})}
    assert board.visitors == 7 and board.opinions == 3


def test_who_may_open_the_board(world, city_day):
    board_url = reverse("receptions:board", args=[city_day.pk])
    for name, status in {
        "city_staff": 200,
        "wuzhong_staff": 200,
        "gusu_staff": 200,
        "keeper": 200,
        "deputy_user": 404,
        "unit_user": 404,
        "outsider": 404,
    }.items():
        assert world.client(getattr(world, name)).get(board_url).status_code == status, name
    assert world.client(None).get(board_url).status_code == 302
    gusu_day = reception_day(world.gusu, title="姑苏区接待日", date=DAY, status="published")
    gusu_url = reverse("receptions:board", args=[gusu_day.pk])
    assert world.client(world.wuzhong_staff).get(gusu_url).status_code == 404
    assert world.client(world.keeper).get(gusu_url).status_code == 404


def test_the_board_list_shows_what_the_user_may_watch(world, city_day):
    reception_day(world.gusu, title="姑苏区接待日", date=DAY, status="published")
    text = world.client(world.wuzhong_staff).get(reverse("receptions:boards")).content.decode()
    assert "苏州市代表集中接待日" in text and "姑苏区接待日" not in text
    assert world.client(world.deputy_user).get(reverse("receptions:boards")).status_code == 404


def test_htmx_asks_for_the_fragment_only(world, city_day):
    board_url = reverse("receptions:board", args=[city_day.pk])
    client = world.client(world.city_staff)
    page = client.get(board_url).content.decode()
    assert "<html" in page and 'hx-trigger="every 15s"' in page and f'hx-get="{board_url}"' in page
    fragment = client.get(board_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="board-figures"')
    assert 'id="board-attendance">5 / 10<' in fragment


def test_a_finished_day_does_not_poll(world, city_day):
    Campaign.objects.filter(pk=city_day.pk).update(status="finished")
    page = world.client(world.city_staff).get(reverse("receptions:board", args=[city_day.pk])).content.decode()
    assert "hx-trigger" not in page and 'id="board-attendance">5 / 10<' in page


@pytest.mark.parametrize("user", ["city_staff", "gusu_staff", "keeper"])
def test_the_board_takes_five_queries(world, city_day, user):
    user = getattr(world, user)
    scope_for(user)  # the scope is read once per request, before the board
    with CaptureQueriesContext(connection) as queries:
        board_for(user, city_day)
    assert len(queries) == 5, [q["sql"] for q in queries]
