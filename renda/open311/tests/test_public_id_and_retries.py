"""Open311 request ids are public ids (not the constituent's tracking code), listing is open and shows only the
declared public fields, and a POST retried with the same Idempotency-Key never makes a second opinion."""

import pytest

from renda.opinions import actions as opinion_actions
from renda.opinions.models import Category, Opinion

from .helpers import assert_valid, locate, new_key

BASE = "/open311/v2/"


@pytest.fixture
def geo(world):
    return locate(world)


def _payload(world, key, **extra):
    return {
        "api_key": key,
        "service_code": Category.objects.get(name="交通出行").pk,
        "lat": "31.2650",
        "long": "120.5100",
        "address_string": "木渎镇中山路12号",
        "description": "路口红绿灯时间太短，老人过不去",
        "attribute[consent]": "yes",
        "last_name": "张",
        "first_name": "三",
        "phone": "13800138000",
    } | extra


def test_a_retried_post_answers_the_first_request_and_files_once(geo, client):
    key = new_key(geo)
    answers = [
        client.post(BASE + "requests.json", _payload(geo, key), HTTP_IDEMPOTENCY_KEY="app-request-7")
        for _ in range(3)  # the first request and two retries whose replies were "lost"
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    opinion = Opinion.objects.get()
    assert {a.json()[0]["service_request_id"] for a in answers} == {opinion.public_id}
    assert all(opinion.tracking_code in a.json()[0]["service_notice"] for a in answers)  # the constituent's code
    assert opinion.events.count() == 1
    assert_valid("requests.json", client.get(BASE + "requests.json").json())


def test_retries_are_not_counted_against_the_limits(geo, client, settings):
    settings.LIMIT_OPEN311_KEY_HOUR = 1
    key = new_key(geo)
    for _ in range(3):
        response = client.post(BASE + "requests.json", _payload(geo, key), HTTP_IDEMPOTENCY_KEY="same")
        assert response.status_code == 200
    other = client.post(BASE + "requests.json", _payload(geo, key, description="另一条：公交站没有遮雨棚"))
    assert other.status_code == 429 and other.json()[0]["code"] == 429
    assert Opinion.objects.count() == 1


def test_same_key_with_a_different_request_is_a_clear_409(geo, client):
    key = new_key(geo)
    assert client.post(BASE + "requests.json", _payload(geo, key), HTTP_IDEMPOTENCY_KEY="k1").status_code == 200
    changed = client.post(
        BASE + "requests.xml", _payload(geo, key, description="换了内容的另一条意见"), HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert changed.status_code == 409
    assert b"<code>409</code>" in changed.content and b"Idempotency-Key" in changed.content
    assert Opinion.objects.count() == 1


def test_keys_of_different_clients_never_meet(geo, client):
    first, second = new_key(geo, "App A"), new_key(geo, "App B")
    a = client.post(BASE + "requests.json", _payload(geo, first), HTTP_IDEMPOTENCY_KEY="1")
    b = client.post(BASE + "requests.json", _payload(geo, second), HTTP_IDEMPOTENCY_KEY="1")
    assert a.status_code == b.status_code == 200
    assert a.json()[0]["service_request_id"] != b.json()[0]["service_request_id"]
    assert Opinion.objects.count() == 2


def test_without_a_key_each_post_files_and_an_overlong_key_is_refused(geo, client):
    key = new_key(geo)
    assert client.post(BASE + "requests.json", _payload(geo, key)).status_code == 200
    assert client.post(BASE + "requests.json", _payload(geo, key)).status_code == 200
    assert Opinion.objects.count() == 2
    response = client.post(BASE + "requests.json", _payload(geo, key), HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert response.status_code == 400 and Opinion.objects.count() == 2


def test_public_ids_are_not_tracking_codes_and_documents_hold_no_secret(geo, client):
    opinion = opinion_actions.submit(
        station=geo.mudu_home,
        category=Category.objects.first(),
        text="小区路灯坏了一个月",
        name="张三",
        phone="13800138000",
        consent=True,
        latitude=31.27,
        longitude=120.52,
    ).opinion
    assert opinion.public_id.isdigit() and len(opinion.public_id) == 16 and opinion.public_id != opinion.tracking_code
    for url in (f"requests/{opinion.public_id}.json", "requests.json", f"tokens/{opinion.public_id}.json"):
        response = client.get(BASE + url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert opinion.public_id in text
        assert opinion.tracking_code not in text and "张三" not in text and "13800138000" not in text
    doc = client.get(BASE + f"requests/{opinion.public_id}.json").json()[0]
    assert_valid("requests.json", [doc])
    # The constituent's own position is not public by default: the station's is shown instead.
    assert (doc["lat"], doc["long"]) == (31.264, 120.515)


def test_the_deployment_declares_which_fields_are_public(geo, client, settings):
    opinion = opinion_actions.submit(
        station=geo.mudu_home,
        category=Category.objects.first(),
        text="小区路灯坏了一个月",
        place="金山路口",
        latitude=31.27,
        longitude=120.52,
    ).opinion
    settings.OPEN311_PUBLIC_FIELDS = frozenset({"position"})
    doc = client.get(BASE + "requests.json").json()[0]
    assert doc["service_request_id"] == opinion.public_id and doc["status"] == "open"
    assert doc["description"] is None and doc["address"] is None and doc["status_notes"] is None
    assert (doc["lat"], doc["long"]) == (31.27, 120.52)
    assert_valid("requests.json", [doc])
    settings.OPEN311_PUBLIC_FIELDS = frozenset({"description", "address"})
    doc = client.get(BASE + "requests.json").json()[0]
    assert doc["description"] == "小区路灯坏了一个月" and doc["address"] == "金山路口"


def test_ids_handed_out_before_public_ids_still_find_their_request(geo, client, settings):
    settings.LIMIT_TRACK_PER_IP_MINUTE = 2
    opinion = opinion_actions.submit(
        station=geo.mudu_home, category=Category.objects.first(), text="旧编号的意见"
    ).opinion
    old = client.get(BASE + f"requests/{opinion.tracking_code.lower()}.json")
    assert old.status_code == 200 and old.json()[0]["service_request_id"] == opinion.public_id
    assert (
        client.get(BASE + f"tokens/{opinion.tracking_code}.json").json()[0]["service_request_id"] == opinion.public_id
    )
    # Look-ups by code count against the tracking limit (codes cannot be guessed here); public ids do not.
    assert client.get(BASE + f"requests/{opinion.tracking_code}.json").status_code == 429
    assert client.get(BASE + f"requests/{opinion.public_id}.json").status_code == 200
