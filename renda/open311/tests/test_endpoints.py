"""GeoReport v2 endpoints, both formats, against the published schemas; errors; public data only."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from renda.open311.models import ApiKey
from renda.opinions import actions as opinion_actions
from renda.opinions.models import Category, Opinion
from renda.opinions.workflow import Action, State

from .helpers import assert_valid, locate, new_key

BASE = "/open311/v2/"


@pytest.fixture
def geo(world):
    return locate(world)


def _opinion(world, station=None, text="小区路灯坏了一个月", **extra):
    category = Category.objects.get(name="交通出行")
    return opinion_actions.submit(
        station=station or world.mudu_home,
        category=category,
        text=text,
        name="张三",
        phone="13800138000",
        consent=True,
        **extra,
    ).opinion


def _xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def test_discovery_both_formats(geo, client):
    response = client.get(BASE + "discovery.json")
    assert response.status_code == 200
    body = response.json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")
    root = _xml(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]


def test_services_both_formats(geo, client):
    active = list(Category.objects.filter(is_active=True))
    Category.objects.create(name="停用类别", is_active=False)
    body = client.get(BASE + "services.json").json()
    assert_valid("services.json", body)
    assert [s["service_code"] for s in body] == [str(c.pk) for c in active]
    assert body[0] == {
        "service_code": str(active[0].pk),
        "service_name": active[0].name,
        "description": body[0]["description"],
        "metadata": True,
        "type": "realtime",
        "keywords": active[0].name,
        "group": body[0]["group"],
    }
    root = _xml(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == [str(c.pk) for c in active]
    assert root.find("service/metadata").text == "true"


def test_service_definition_both_formats(geo, client):
    category = Category.objects.first()
    body = client.get(BASE + f"services/{category.pk}.json").json()
    assert_valid("service-definition.json", body)
    codes = {a["code"]: a for a in body["attributes"]}
    assert codes["station"]["datatype"] == "string"
    assert [v["key"] for v in codes["consent"]["values"]] == ["yes", "no"]
    root = _xml(client.get(BASE + f"services/{category.pk}.xml"))
    assert root.tag == "service_definition"
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == ["station", "consent"]
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")] == ["yes", "no"]


@pytest.mark.parametrize("path", ["services/999999.json", "services/abc.xml", "services.html", "requests.csv", "x"])
def test_unknown_service_and_wrong_suffix_are_404_in_open311_format(geo, client, path):
    response = client.get(BASE + path)
    assert response.status_code == 404
    if path.endswith(".xml"):
        assert _xml(response).findtext("error/code") == "404"
    else:
        assert response.json()[0]["code"] == 404 and response.json()[0]["description"]


def test_jurisdiction_checked_when_given(geo, client, settings):
    settings.OPEN311_JURISDICTION_ID = "renda.example.cn"
    assert client.get(BASE + "services.json", {"jurisdiction_id": "renda.example.cn"}).status_code == 200
    response = client.get(BASE + "services.xml", {"jurisdiction_id": "elsewhere.gov"})
    assert response.status_code == 404 and _xml(response).tag == "errors"


# Submitting --------------------------------------------------------------------------------------------------------


def _post(client, fmt="json", **data):
    return client.post(BASE + f"requests.{fmt}", data)


def test_post_with_station_attribute_creates_an_opinion(geo, client):
    key = new_key(geo)
    category = Category.objects.get(name="城乡建设")
    response = _post(
        client,
        api_key=key,
        service_code=category.pk,
        address_string="木渎镇中山路",
        description="中山路人行道破损严重",
        **{"attribute[station]": geo.canglang_home.public_code.lower()},
        first_name="三",
        last_name="张",
        phone="13800138000",
        email="zhang@example.cn",
        **{"attribute[consent]": "yes"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    opinion = Opinion.objects.get(public_id=body[0]["service_request_id"])
    assert opinion.station == geo.canglang_home and opinion.category == category
    assert opinion.place == "木渎镇中山路" and opinion.text == "中山路人行道破损严重"
    assert opinion.consent and opinion.submitter_phone == "13800138000" and opinion.submitter_name == "张三"
    assert opinion.events.get().action == Action.SUBMIT
    assert body[0]["service_notice"]


def test_post_without_consent_stores_no_contact_and_picks_nearest_station(geo, client):
    key = new_key(geo)
    response = _post(
        client,
        "xml",
        api_key=key,
        service_code=Category.objects.first().pk,
        lat="31.2650",
        long="120.5100",
        description="路口红绿灯时间太短",
        first_name="三",
        phone="13800138000",
    )
    assert response.status_code == 200, response.content
    code = _xml(response).findtext("request/service_request_id")
    opinion = Opinion.objects.get(public_id=code)
    assert opinion.station == geo.mudu_home  # the nearest of the two located stations
    assert not opinion.consent and opinion.submitter_phone == "" and opinion.submitter_name == ""
    assert float(opinion.latitude) == 31.265 and float(opinion.longitude) == 120.51


@pytest.mark.parametrize(
    "data, status",
    [
        ({"api_key": ""}, 403),
        ({"api_key": "wrong"}, 403),
        ({"service_code": "999999"}, 404),
        ({"service_code": "abc"}, 404),
        ({"lat": "", "long": ""}, 400),  # no location at all
        ({"long": ""}, 400),  # half a location
        ({"lat": "north", "long": "120"}, 400),
        ({"lat": "nan", "long": "120"}, 400),
        ({"lat": "95", "long": "120"}, 400),
        ({"description": "短"}, 400),  # the web form's minimum length
        ({"description": ""}, 400),
        ({"attribute[consent]": "yes", "phone": "12345"}, 400),  # the web form's phone rule
        ({"attribute[consent]": "maybe"}, 400),
        ({"attribute[station]": "NOPE"}, 400),
    ],
)
def test_post_errors(geo, client, data, status):
    payload = {
        "api_key": new_key(geo),
        "service_code": Category.objects.first().pk,
        "lat": "31.26",
        "long": "120.51",
        "description": "路口红绿灯时间太短",
    }
    payload.update(data)
    response = _post(client, **payload)
    assert response.status_code == status, response.content
    error = response.json()
    assert error[0]["code"] == status and error[0]["description"]
    assert not Opinion.objects.exists()


def test_revoked_key_is_refused(geo, client):
    key = new_key(geo)
    ApiKey.objects.update(revoked_at=timezone.now())
    response = _post(
        client,
        "xml",
        api_key=key,
        service_code=Category.objects.first().pk,
        lat="31.26",
        long="120.51",
        description="路口红绿灯时间太短",
    )
    assert response.status_code == 403 and _xml(response).findtext("error/code") == "403"
    assert not Opinion.objects.exists()


def test_post_is_rate_limited_like_the_web_form(geo, client):
    key = new_key(geo)
    payload = {"api_key": key, "service_code": Category.objects.first().pk, "lat": "31.26", "long": "120.51"}
    codes = [_post(client, description=f"第{i}条：路口红绿灯时间太短", **payload).status_code for i in range(11)]
    assert codes == [200] * 10 + [429]
    assert Opinion.objects.count() == 10


def test_no_station_with_a_location(world, client):
    key = new_key(world)
    response = _post(
        client,
        api_key=key,
        service_code=Category.objects.first().pk,
        lat="31.26",
        long="120.51",
        description="路口红绿灯时间太短",
    )
    assert response.status_code == 400
    response = _post(
        client,
        api_key=key,
        service_code=Category.objects.first().pk,
        address_string="木渎",
        description="路口红绿灯时间太短",
    )
    assert response.status_code == 400


# Reading requests ---------------------------------------------------------------------------------------------------


def test_request_by_id_both_formats_public_data_only(geo, client):
    opinion = _opinion(geo)
    opinion_actions.perform(geo.keeper, opinion.pk, Action.ACCEPT, note="已受理", internal_note="内部：张三是老上访户")
    opinion_actions.perform(geo.wuzhong_staff, opinion.pk, Action.FORWARD, unit=geo.wuzhong_unit, note="转住建局")
    response = client.get(BASE + f"requests/{opinion.public_id}.json")
    assert response.status_code == 200
    body = response.json()
    assert_valid("requests.json", body)
    doc = body[0]
    assert doc["service_request_id"] == opinion.public_id and doc["status"] == "open"
    assert doc["status_notes"] == "转住建局" and doc["agency_responsible"] == geo.wuzhong_unit.name
    assert doc["requested_datetime"].endswith("+08:00") and doc["expected_datetime"]
    assert doc["address"] == geo.mudu_home.address and doc["lat"] == 31.264
    text = response.content.decode()
    assert "张三" not in text and "13800138000" not in text and "内部" not in text
    root = _xml(client.get(BASE + f"requests/{opinion.public_id}.xml"))
    assert root.tag == "service_requests" and root.findtext("request/status_notes") == "转住建局"
    assert "张三" not in ET.tostring(root, encoding="unicode")


def test_closed_mapping_and_token(geo, client):
    opinion = _opinion(geo)
    opinion_actions.perform(geo.keeper, opinion.pk, Action.ANSWER_ON_SPOT, note="当场答复")
    opinion.refresh_from_db()
    assert opinion.status == State.CLOSED
    doc = client.get(BASE + f"requests/{opinion.public_id}.json").json()[0]
    assert doc["status"] == "closed" and doc["expected_datetime"] is None and doc["status_notes"] == "当场答复"
    body = client.get(BASE + f"tokens/{opinion.public_id}.json").json()
    assert body == [{"service_request_id": opinion.public_id, "token": opinion.public_id}]
    root = _xml(client.get(BASE + f"tokens/{opinion.public_id}.xml"))
    assert root.findtext("request/token") == opinion.public_id


@pytest.mark.parametrize("path", ["requests/NOSUCHCODE.json", "tokens/NOSUCHCODE.xml"])
def test_unknown_request_and_token(geo, client, path):
    response = client.get(BASE + path)
    assert response.status_code == 404


def test_lookup_by_codes_is_rate_limited(geo, client):
    codes = ",".join(f"CODE{i:06d}" for i in range(31))
    response = client.get(BASE + "requests.json", {"service_request_id": codes})
    assert response.status_code == 429 and response.json()[0]["code"] == 429


def test_list_is_open_unless_the_deployment_closes_it(geo, client, settings):
    opinion = _opinion(geo)
    response = client.get(BASE + "requests.json")  # no key: GeoReport v2 makes listing public
    assert response.status_code == 200, response.content
    assert [doc["service_request_id"] for doc in response.json()] == [opinion.public_id]
    text = response.content.decode()
    assert opinion.tracking_code not in text and "张三" not in text and "13800138000" not in text
    settings.OPEN311_PUBLIC_LIST = False
    response = client.get(BASE + "requests.json")
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert len(client.get(BASE + "requests.json", {"api_key": new_key(geo)}).json()) == 1


def test_list_filters_both_formats(geo, client):
    key = new_key(geo)
    old = _opinion(geo, text="很久以前的意见内容")
    Opinion.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=120))
    first = _opinion(geo, text="第一条意见内容")
    second = _opinion(geo, station=geo.canglang_home, text="第二条意见内容")
    opinion_actions.perform(geo.keeper, first.pk, Action.ANSWER_ON_SPOT, note="当场答复")
    other_category = Category.objects.exclude(pk=first.category_id).first()
    Opinion.objects.filter(pk=second.pk).update(category=other_category)

    def ids(**params):
        response = client.get(BASE + "requests.json", {"api_key": key, **params})
        assert response.status_code == 200, response.content
        assert_valid("requests.json", response.json())
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [second.public_id, first.public_id]  # the last 90 days, newest first
    assert ids(status="closed") == [first.public_id]
    assert ids(status="open") == [second.public_id]
    assert ids(status="open,closed") == [second.public_id, first.public_id]
    assert ids(service_code=str(other_category.pk)) == [second.public_id]
    assert ids(page_size="1") == [second.public_id]
    assert ids(page_size="1", page="2") == [first.public_id]
    start = (timezone.now() - timedelta(days=130)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert ids(start_date=start, end_date=end) == [old.public_id]
    assert ids(service_request_id=f"{old.public_id},{first.public_id}") == [first.public_id, old.public_id]
    root = _xml(client.get(BASE + "requests.xml", {"api_key": key, "status": "closed"}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [first.public_id]
    assert root.findtext("request/status") == "closed"


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-13-45T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"},
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},  # more than 90 days
        {"status": "pending"},
        {"service_code": "abc"},
        {"page_size": "0"},
        {"page_size": "1001"},
        {"page": "-1"},
    ],
)
def test_list_bad_input_is_400_never_500(geo, client, params):
    key = new_key(geo)
    response = client.get(BASE + "requests.xml", {"api_key": key, **params})
    assert response.status_code == 400
    assert _xml(response).findtext("error/code") == "400"


def test_list_query_count_does_not_grow(geo, client, django_assert_max_num_queries):
    key = new_key(geo)
    for i in range(3):
        opinion = _opinion(geo, text=f"意见内容第{i}条")
        opinion_actions.perform(geo.keeper, opinion.pk, Action.ACCEPT, note="已受理")
    with django_assert_max_num_queries(3) as few:
        assert len(client.get(BASE + "requests.json", {"api_key": key}).json()) == 3
    first_count = len(few)  # read now: the next request resets the query log
    assert first_count > 0
    for i in range(5):
        opinion = _opinion(geo, station=geo.canglang_home, text=f"更多意见内容第{i}条")
        opinion_actions.perform(geo.gusu_staff, opinion.pk, Action.ACCEPT, note="转办")
    with django_assert_max_num_queries(first_count):
        assert len(client.get(BASE + "requests.json", {"api_key": key}).json()) == 8


def test_wrong_method_is_an_open311_error(geo, client):
    response = client.delete(BASE + "services.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405
