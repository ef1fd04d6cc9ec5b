"""Public endpoints through HTTP: reads, submission (validation, consent, idempotency, rate limit), tracking."""

import uuid

import pytest
from django.core.cache import cache

from renda.opinions.models import Category, Opinion
from renda.opinions.public_views import SUBMIT_PER_IP
from renda.opinions.workflow import Action
from renda.stations.models import Station

from .helpers import opinion_at


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # rate-limit counts must not leak between tests
    yield
    cache.clear()


def test_regions_top_children_and_one(world, client):
    top = client.get("/api/v1/regions").json()
    assert [r["code"] for r in top] == [world.jiangsu.code]
    children = client.get(f"/api/v1/regions?parent={world.suzhou.code}").json()
    codes = {r["code"] for r in children}
    assert world.wuzhong.code in codes and world.gusu.code in codes and world.mudu.code not in codes
    one = client.get(f"/api/v1/regions/{world.wuzhong.code}").json()
    assert one == {"code": world.wuzhong.code, "name": "吴中区", "kind": "district", "parent": world.suzhou.code}
    missing = client.get("/api/v1/regions/999999999999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_zone_children_include_managed_towns(world, client):
    codes = {r["code"] for r in client.get(f"/api/v1/regions?parent={world.park.code}").json()}
    assert world.weiting.code in codes and world.xietang.code in codes


def test_stations_filter_search_and_nearest(world, client):
    world.mudu_home.latitude, world.mudu_home.longitude = 31.26, 120.51
    world.mudu_home.save()
    world.canglang_home.latitude, world.canglang_home.longitude = 31.29, 120.62
    world.canglang_home.save()
    in_wuzhong = client.get(f"/api/v1/stations?region={world.wuzhong.code}").json()["items"]
    assert world.mudu_home.public_code in {s["code"] for s in in_wuzhong}
    assert world.canglang_home.public_code not in {s["code"] for s in in_wuzhong}
    found = client.get("/api/v1/stations", {"q": "木渎"}).json()["items"]
    assert [s["code"] for s in found] == [world.mudu_home.public_code]
    near = client.get("/api/v1/stations", {"lat": 31.29, "lng": 120.62}).json()["items"]
    assert near[0]["code"] == world.canglang_home.public_code and near[0]["distance_km"] < 0.1
    assert near[1]["code"] == world.mudu_home.public_code and 5 < near[1]["distance_km"] < 20
    assert near[-1]["distance_km"] is None  # stations without coordinates come last
    half = client.get("/api/v1/stations", {"lat": 31.29})
    assert half.status_code == 400 and half.json()["code"] == "bad_location"
    bad = client.get("/api/v1/stations", {"lat": "north", "lng": 1})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_station_list_pages_and_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    first = client.get("/api/v1/stations?limit=2").json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    with django_assert_max_num_queries(2):
        few = client.get("/api/v1/stations?limit=100").json()["items"]
    from renda.stations.models import Station

    for n in range(10):
        Station.objects.create(name=f"新站{n}", kind="liaison", region=world.mudu, public_code=f"NEW{n:03d}")
    with django_assert_max_num_queries(2):
        many = client.get("/api/v1/stations?limit=100").json()["items"]
    assert len(many) == len(few) + 10


def test_station_detail_has_public_deputy_fields_only(world, client):
    Station.objects.filter(pk=world.mudu_home.pk).update(phone="0512-66668888")
    body = client.get(f"/api/v1/stations/{world.mudu_home.public_code}").json()
    # The station's public desk phone is part of its page; no deputy's phone ever is.
    assert body.pop("phone") == "0512-66668888"
    listed = client.get("/api/v1/stations", {"q": "木渎"}).json()
    assert "0512-66668888" in {station["phone"] for station in listed["items"]}
    assert body["name"] == "木渎镇代表之家"
    assert body["deputies"][0] == {
        "code": world.deputy_wz.public_code,
        "name": "吴测试",
        "level": "county",
        "is_head": True,
    }
    assert "phone" not in str(body)
    world.mudu_home.is_active = False
    world.mudu_home.save()
    assert client.get(f"/api/v1/stations/{world.mudu_home.public_code}").status_code == 404


def test_deputy_profile(world, client):
    body = client.get(f"/api/v1/deputies/{world.deputy_wz.public_code}").json()
    assert body["name"] == "吴测试" and body["electoral_region"] == world.deputy_wz.electoral_region.code
    assert world.mudu_home.public_code in {s["code"] for s in body["stations"]}
    assert "phone" not in body
    assert client.get("/api/v1/deputies/NOPE").json()["code"] == "not_found"


def test_categories(world, client):
    body = client.get("/api/v1/categories").json()
    assert [c["id"] for c in body] == list(
        Category.objects.filter(is_active=True).order_by("position", "id").values_list("id", flat=True)
    )


def _payload(world, **extra):
    category = Category.objects.get(name="交通出行")
    return {"station": world.mudu_home.public_code, "category": category.pk, "text": "路口红绿灯时间太短"} | extra


def test_submit_creates_and_is_idempotent_by_header(world, client):
    key = "order-42"
    first = client.post("/api/v1/opinions", _payload(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post("/api/v1/opinions", _payload(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    opinion = Opinion.objects.get()
    assert opinion.station == world.mudu_home and opinion.region == world.mudu and opinion.text == "路口红绿灯时间太短"
    assert opinion.events.get().action == Action.SUBMIT


def test_submit_idempotent_by_body_token_and_to_a_deputy(world, client):
    token = str(uuid.uuid4())
    body = _payload(world, station=None, deputy=world.deputy_wz.public_code, client_token=token)
    assert client.post("/api/v1/opinions", body, content_type="application/json").status_code == 201
    assert client.post("/api/v1/opinions", body, content_type="application/json").status_code == 200
    opinion = Opinion.objects.get()
    assert opinion.client_token == token and opinion.deputy == world.deputy_wz and opinion.station is None


def test_same_key_with_a_different_opinion_is_a_clear_409(world, client):
    key = "order-43"
    first = client.post("/api/v1/opinions", _payload(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    other = client.post(
        "/api/v1/opinions",
        _payload(world, text="另一条意见：公交站没有遮雨棚"),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict" and other.json()["message"]
    assert first.json()["tracking_code"] not in other.content.decode()  # the first opinion's code is not handed out
    assert Opinion.objects.count() == 1


def test_submit_validation_and_consent_rules(world, client):
    short = client.post("/api/v1/opinions", _payload(world, text="短"), content_type="application/json")
    assert short.status_code == 422 and short.json()["code"] == "validation_error" and "text" in short.json()["details"]
    assert short.json()["message"] == "部分字段缺失或无效。"
    no_consent = client.post(
        "/api/v1/opinions", _payload(world, name="张三", phone="13800138000"), content_type="application/json"
    )
    assert no_consent.status_code == 422 and "consent" in no_consent.json()["details"]
    bad_phone = client.post(
        "/api/v1/opinions", _payload(world, phone="12345", consent=True), content_type="application/json"
    )
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json()["details"]
    both = client.post(
        "/api/v1/opinions", _payload(world, deputy=world.deputy_wz.public_code), content_type="application/json"
    )
    assert both.status_code == 422
    nowhere = client.post("/api/v1/opinions", _payload(world, station="NOPE"), content_type="application/json")
    assert nowhere.status_code == 404
    garbage = client.post("/api/v1/opinions", "{not json", content_type="application/json")
    assert garbage.status_code in (400, 422) and "code" in garbage.json()
    assert not Opinion.objects.exists()
    ok = client.post(
        "/api/v1/opinions",
        _payload(world, name="张三", phone="13800138000", consent=True),
        content_type="application/json",
    )
    assert ok.status_code == 201
    opinion = Opinion.objects.get()
    assert opinion.submitter_phone == "13800138000" and opinion.consent


def test_submit_rate_limited_per_ip(world, client):
    for _ in range(SUBMIT_PER_IP.limit):
        SUBMIT_PER_IP.hit("127.0.0.1")
    response = client.post("/api/v1/opinions", _payload(world), content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response.json()["message"]
    assert not Opinion.objects.exists()


def test_tracking_shows_public_timeline_only(world, client):
    opinion = opinion_at(world.mudu_home)
    from renda.opinions import actions

    actions.perform(world.keeper, opinion.pk, Action.ACCEPT, internal_note="内部备注：当事人情绪激动")
    response = client.get(f"/api/v1/opinions/{opinion.tracking_code.lower()}")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "accepted" and body["status_text"]
    assert [step["action"] for step in body["timeline"]] == ["submit", "accept"]
    assert "内部备注" not in response.content.decode() and "keeper" not in response.content.decode()
    assert client.get("/api/v1/opinions/ZZZZZZZZZZ").status_code == 404


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_submission_costs_a_fixed_few_statements(world, client, settings, monkeypatch, django_assert_max_num_queries):
    """Station and categories come from the process's copy (REFERENCE_CACHE_SECONDS), the client token is looked up
    once and the tracking code is checked by its unique index: the idempotency look-up, the limits' counter, and the
    transaction (opinion, event, search index on SQLite, the routing task — left out here: the test backend would run
    the routing itself at once)."""
    from renda.opinions import notify

    settings.REFERENCE_CACHE_SECONDS = 60
    monkeypatch.setattr(notify, "notify_event", lambda event_pk: None)
    body = _payload(world)
    assert client.post("/api/v1/opinions", body, content_type="application/json").status_code == 201
    with django_assert_max_num_queries(7):
        response = client.post("/api/v1/opinions", body | {"client_token": "second"}, content_type="application/json")
    assert response.status_code == 201 and Opinion.objects.count() == 2
