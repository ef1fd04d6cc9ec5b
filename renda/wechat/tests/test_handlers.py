"""Events and keywords: what a constituent gets back, checked through the signed endpoint."""

from decimal import Decimal

import pytest

from renda.opinions import actions
from renda.opinions.models import Category
from renda.opinions.workflow import Action
from renda.stations.models import Station

from .conftest import articles_of, text_of

BASE = "https://rd.example.gov.cn"


@pytest.fixture
def located(world):
    """Coordinates for the four stations: Mudu nearest to the point used below, then Xietang, Weiting, Canglang."""
    for station, lat, lng in [
        (world.mudu_home, "31.2600", "120.5200"),
        (world.xietang_station, "31.3000", "120.7200"),
        (world.weiting_station, "31.3700", "120.8500"),
        (world.canglang_home, "31.2900", "120.6200"),
    ]:
        station.latitude, station.longitude = Decimal(lat), Decimal(lng)
        station.reception_hours = f"{station.name}每月15日上午"
        station.save(update_fields=["latitude", "longitude", "reception_hours"])
    return world


def test_subscribe_with_station_scene_links_the_station(wechat, world):
    event = {"MsgType": "event", "Event": "subscribe", "EventKey": "qrscene_MUDU01"}
    assert articles_of(wechat.reply(wechat.send(event))) == [("木渎镇代表之家", f"{BASE}/s/MUDU01/")]


def test_subscribe_without_scene_welcomes(wechat):
    text = text_of(wechat.reply(wechat.send({"MsgType": "event", "Event": "subscribe", "EventKey": ""})))
    assert "欢迎" in text and "查询" in text


def test_scan_by_code_and_by_scene_id(wechat, world):
    by_code = wechat.send({"MsgType": "event", "Event": "SCAN", "EventKey": "cang01", "CreateTime": "1"})
    assert articles_of(wechat.reply(by_code)) == [("沧浪街道代表之家", f"{BASE}/s/CANG01/")]
    by_id = wechat.send({"MsgType": "event", "Event": "SCAN", "EventKey": str(world.weiting_station.pk)})
    assert articles_of(wechat.reply(by_id)) == [("唯亭街道代表联络站", f"{BASE}/s/WEIT01/")]


def test_scan_of_unknown_or_inactive_station_gets_help(wechat, world):
    Station.objects.filter(pk=world.mudu_home.pk).update(is_active=False)
    for key in ("MUDU01", "NOPE99", "99999999"):
        response = wechat.send({"MsgType": "event", "Event": "SCAN", "EventKey": key, "CreateTime": key})
        assert "查询" in text_of(wechat.reply(response))


def test_location_event_and_message_list_three_nearest(wechat, located, django_assert_max_num_queries):
    expected = [f"{BASE}/s/{code}/" for code in ("MUDU01", "CANG01", "XIET01")]
    with django_assert_max_num_queries(2):
        event = wechat.send({"MsgType": "event", "Event": "LOCATION", "Latitude": "31.26", "Longitude": "120.50"})
    assert [url for _, url in articles_of(wechat.reply(event))] == expected
    message = {"MsgType": "location", "Location_X": "31.26", "Location_Y": "120.50", "MsgId": "7", "Label": "木渎"}
    root = wechat.reply(wechat.send(message))
    assert [url for _, url in articles_of(root)] == expected
    assert articles_of(root)[0][0].startswith("木渎镇代表之家 · ") and "公里" in articles_of(root)[0][0]


def test_nearest_query_count_does_not_grow(wechat, located, django_assert_max_num_queries):
    for i in range(20):
        Station.objects.create(
            name=f"远处站{i}", region=located.mudu, public_code=f"FAR{i:03d}", latitude=Decimal("33"), longitude=120
        )
    with django_assert_max_num_queries(2):
        response = wechat.send({"MsgType": "location", "Location_X": "31.26", "Location_Y": "120.50", "MsgId": "8"})
    assert len(articles_of(wechat.reply(response))) == 3


def test_bad_location_gets_help(wechat):
    response = wechat.send({"MsgType": "location", "Location_X": "999", "Location_Y": "x", "MsgId": "9"})
    assert "查询" in text_of(wechat.reply(response))


def test_find_deputy_keyword_and_menu(wechat):
    text = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": "找代表", "MsgId": "10"})))
    assert "位置" in text and f"{BASE}/" in text
    click = {"MsgType": "event", "Event": "CLICK", "EventKey": "FIND_DEPUTY"}
    assert text_of(wechat.reply(wechat.send(click))) == text


def test_reception_days_after_location(wechat, located):
    before = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": "接待日", "MsgId": "11"})))
    assert "位置" in before
    wechat.send({"MsgType": "location", "Location_X": "31.26", "Location_Y": "120.50", "MsgId": "12"})
    after = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": "接待日", "MsgId": "13"})))
    assert "木渎镇代表之家每月15日上午" in after and f"{BASE}/s/MUDU01/" in after
    click = {"MsgType": "event", "Event": "CLICK", "EventKey": "RECEPTION_DAYS"}
    assert text_of(wechat.reply(wechat.send(click))) == after


def test_track_by_code_shows_public_state_only(wechat, world):
    category = Category.objects.get(name="交通出行")
    opinion = actions.submit(
        station=world.mudu_home, category=category, text="路灯坏了", name="张三", phone="13900139000", consent=True
    ).opinion
    actions.perform(world.keeper, opinion.pk, Action.ACCEPT, internal_note="内部备注不可外传")
    for i, content in enumerate([f"查询 {opinion.tracking_code}", f"查询{opinion.tracking_code.lower()}"]):
        text = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": content, "MsgId": f"2{i}"})))
        assert opinion.tracking_code in text and "受理" in text
        assert f"{BASE}/t/{opinion.tracking_code}/" in text
        for secret in ("张三", "13900139000", "内部备注", "路灯坏了"):
            assert secret not in text


def test_track_unknown_code(wechat, world):
    text = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": "查询 ZZZZ9999", "MsgId": "30"})))
    assert "ZZZZ9999" in text and "没有" in text


def test_track_menu_and_other_text_get_prompts(wechat):
    click = text_of(wechat.reply(wechat.send({"MsgType": "event", "Event": "CLICK", "EventKey": "TRACK_OPINION"})))
    assert "查询" in click
    for i, content in enumerate(["随便说说", "查询", ""]):
        text = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": content, "MsgId": f"4{i}"})))
        assert "找代表" in text and "接待日" in text
    image = wechat.send({"MsgType": "image", "PicUrl": "http://x/y.jpg", "MsgId": "50"})
    assert "找代表" in text_of(wechat.reply(image))


def test_unsubscribe_and_view_answer_nothing(wechat):
    for i, event in enumerate(["unsubscribe", "VIEW", "TEMPLATESENDJOBFINISH"]):
        response = wechat.send({"MsgType": "event", "Event": event, "CreateTime": str(i)})
        assert response.status_code == 200 and response.content == b"success"


def test_reception_days_list_the_coming_published_receptions_with_their_deputies(wechat, located):
    import datetime as dt

    import time_machine

    from renda.receptions.actions import roster

    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        data = {"date": dt.date(2026, 11, 28), "starts": dt.time(9), "ends": dt.time(11), "note": ""}
        roster.add_one_off(located.wuzhong_staff, located.mudu_home, data, [located.deputy_wz])
        wechat.send({"MsgType": "location", "Location_X": "31.26", "Location_Y": "120.50", "MsgId": "31"})
        text = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": "接待日", "MsgId": "32"})))
    assert "11-28 09:00-11:00 吴测试" in text and f"{BASE}/s/MUDU01/" in text
    # A station with nothing published still answers with its reception hours.
    assert "沧浪街道代表之家每月15日上午" in text
