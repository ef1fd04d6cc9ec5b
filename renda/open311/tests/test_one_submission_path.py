"""The web form, the JSON API and Open311 share one submission path: one limit per address across all three, the same
form rules, the same idempotency (renda/opinions/submission.py)."""

import uuid

from renda.opinions.models import Category, Opinion
from renda.opinions.tests.public_helpers import form_data

from .helpers import locate, new_key


def _open311(client, key, text):
    category = Category.objects.get(name="交通出行")
    data = {"api_key": key, "service_code": category.pk, "lat": "31.26", "long": "120.51", "description": text}
    return client.post("/open311/v2/requests.json", data)


def _api(client, world, text):
    category = Category.objects.get(name="交通出行")
    body = {"station": world.mudu_home.public_code, "category": category.pk, "text": text}
    return client.post("/api/v1/opinions", body, content_type="application/json")


def test_one_address_limit_across_every_channel(world, client, settings):
    settings.LIMIT_SUBMIT_PER_IP_HOUR = 3
    locate(world)
    key = new_key(world)
    assert client.post("/s/MUDU01/opinion/", form_data(str(uuid.uuid4()))).status_code == 302
    assert _api(client, world, "第二条：路口红绿灯时间太短").status_code == 201
    assert _open311(client, key, "第三条：公交站没有遮雨棚").json()[0]["service_request_id"]
    # The fourth, through any channel, is over the address's limit.
    assert client.post("/s/MUDU01/opinion/", form_data(str(uuid.uuid4()))).status_code == 429
    assert _api(client, world, "第四条：小区门口停车难").status_code == 429
    assert _open311(client, key, "第四条：小区门口停车难").status_code == 429
    assert Opinion.objects.count() == 3


def test_the_same_rules_refuse_the_same_input_everywhere(world, client, settings):
    settings.LIMIT_SUBMIT_PER_IP_HOUR = 1
    locate(world)
    key = new_key(world)
    assert client.post("/s/MUDU01/opinion/", form_data(str(uuid.uuid4()), text="短")).status_code == 400
    assert _api(client, world, "短").status_code == 422
    assert _open311(client, key, "短").status_code == 400
    # Refused input uses up nothing: with a limit of one, a good submission still passes after three refusals.
    assert not Opinion.objects.exists()
    assert _api(client, world, "路口红绿灯时间太短").status_code == 201
    assert _open311(client, key, "公交站没有遮雨棚").status_code == 429
