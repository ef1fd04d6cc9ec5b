"""/staff/tokens/: create (secret shown once, only its hash stored), list, revoke; each user sees only their own."""

import hashlib

from renda.api.models import ApiToken
from renda.audit.models import AuditEvent
from renda.testing import World


def _grid(world: World, url: str, method: str = "get") -> dict:
    results = {}
    for name in ("anonymous", "outsider", "wuzhong_staff", "gusu_staff", "keeper"):
        client = world.client(None if name == "anonymous" else getattr(world, name))
        results[name] = getattr(client, method)(url).status_code
    return results


def test_token_page_grid(world):
    assert _grid(world, "/staff/tokens/") == {
        "anonymous": 302,
        "outsider": 404,
        "wuzhong_staff": 200,
        "gusu_staff": 200,
        "keeper": 200,
    }


def test_create_shows_secret_once_and_stores_only_its_hash(world):
    client = world.client(world.wuzhong_staff)
    response = client.post("/staff/tokens/", {"name": "巡检脚本"})
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret.startswith("rd_") and secret in response.content.decode()
    token = ApiToken.objects.get()
    assert token.user == world.wuzhong_staff and token.name == "巡检脚本"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert AuditEvent.objects.filter(action="api.token_create").exists()
    again = client.get("/staff/tokens/")
    assert secret not in again.content.decode() and "巡检脚本" in again.content.decode()
    assert client.post("/staff/tokens/", {"name": ""}).status_code == 400


def test_revoke_own_token_only(world):
    client = world.client(world.wuzhong_staff)
    secret = client.post("/staff/tokens/", {"name": "a"}).context["secret"]
    token = ApiToken.objects.get()
    assert world.client(world.gusu_staff).post(f"/staff/tokens/{token.pk}/revoke/").status_code == 404
    assert world.client(None).post(f"/staff/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked is None
    response = client.post(f"/staff/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None and AuditEvent.objects.filter(action="api.token_revoke").exists()
    from django.test import Client

    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/staff/opinions").status_code == 401
    assert client.post(f"/staff/tokens/{token.pk}/revoke/").status_code == 404  # already revoked


def test_token_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = world.client(world.wuzhong_staff)
    client.post("/staff/tokens/", {"name": "first"})
    with django_assert_max_num_queries(20) as one:
        client.get("/staff/tokens/")
    count = len(one.captured_queries)  # read now: every request resets the connection's query log
    assert count > 0
    for n in range(10):
        client.post("/staff/tokens/", {"name": f"t{n}"})
    with django_assert_max_num_queries(count):
        response = client.get("/staff/tokens/")
    assert response.content.decode().count("/revoke/") == 11
