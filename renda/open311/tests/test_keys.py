"""The back-office page where congress staff issue and revoke Open311 API keys; the demo hook."""

import pytest

from renda.audit.models import AuditEvent
from renda.open311.actions import find_key, hash_key, register_demo_key
from renda.open311.models import ApiKey
from renda.testing import assert_statuses

URL = "/staff/open311/keys/"


def test_who_may_see_the_keys_page(world):
    assert_statuses(
        world,
        URL,
        {
            "anonymous": 302,
            "outsider": 404,
            "keeper": 404,
            "unit_user": 404,
            "deputy_user": 404,
            "city_staff": 200,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
        },
    )


def test_issue_shows_the_key_once_and_stores_only_its_hash(world):
    client = world.client(world.wuzhong_staff)
    response = client.post(URL, {"name": "苏州城市服务 App"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = ApiKey.objects.get()
    raw = response.context["raw_key"]
    assert raw in response.content.decode() and len(raw) >= 40
    assert key.key_hash == hash_key(raw) and raw not in key.key_hash and key.prefix == raw[:8]
    assert key.created_by == world.wuzhong_staff and find_key(raw) == key
    assert AuditEvent.objects.filter(action="open311.key.issue", actor=world.wuzhong_staff).exists()
    assert raw not in client.get(URL).content.decode()  # never shown again


def test_issue_needs_a_name(world):
    response = world.client(world.city_staff).post(URL, {"name": ""})
    assert response.status_code == 400 and not ApiKey.objects.exists()


@pytest.mark.parametrize("user, status", [(None, 302), ("outsider", 404), ("keeper", 404)])
def test_only_congress_staff_issue_and_revoke(world, user, status):
    client = world.client(getattr(world, user) if user else None)
    assert client.post(URL, {"name": "x"}).status_code == status
    raw = "demo-key-123"
    register_demo_key(raw)
    key = ApiKey.objects.get()
    assert client.post(f"{URL}{key.pk}/revoke/").status_code == status
    assert find_key(raw) == key and ApiKey.objects.count() == 1


def test_revoke(world):
    client = world.client(world.gusu_staff)
    client.post(URL, {"name": "Test"})
    key = ApiKey.objects.get()
    response = client.post(f"{URL}{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and find_key("anything") is None
    assert AuditEvent.objects.filter(action="open311.key.revoke").count() == 1
    assert client.post(f"{URL}{key.pk}/revoke/").status_code == 302
    assert AuditEvent.objects.filter(action="open311.key.revoke").count() == 1  # revoking twice changes nothing
    assert client.post(f"{URL}999999/revoke/").status_code == 404


def test_keys_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = world.client(world.city_staff)
    client.post(URL, {"name": "first"})
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL).status_code == 200
    first_count = len(few)  # read now: the next request resets the query log
    assert first_count > 0
    for i in range(5):
        client.post(URL, {"name": f"key {i}"})
    with django_assert_max_num_queries(first_count):
        response = client.get(URL)
    assert response.content.decode().count("/revoke/") == 6


def test_demo_key_registration_is_idempotent(db, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr("renda.demo.management.commands.load_demo.load_demo", lambda scale: _Summary())
    monkeypatch.setattr("renda.demo.management.commands.load_demo.load_demo_opinions", lambda count: _Summary())
    monkeypatch.setattr("renda.demo.management.commands.load_demo.load_demo_receptions", lambda: _Summary())
    monkeypatch.setattr("renda.demo.management.commands.load_demo.load_demo_suggestions", lambda: _Summary())
    monkeypatch.setattr("renda.demo.management.commands.load_demo.load_demo_projects", lambda: _Summary())
    monkeypatch.setenv("DEMO_OPEN311_API_KEY", "demo-secret-key")
    call_command("load_demo", opinions=0)
    call_command("load_demo", opinions=0)
    assert ApiKey.objects.count() == 1 and find_key("demo-secret-key") is not None
    assert register_demo_key("") == ""


class _Summary:
    def lines(self):
        return []


def test_another_districts_key_is_missing(world):
    world.client(world.wuzhong_staff).post(URL, {"name": "吴中区的应用"})
    key = ApiKey.objects.get()
    assert "吴中区的应用" not in world.client(world.gusu_staff).get(URL).content.decode()
    assert world.client(world.gusu_staff).post(f"{URL}{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None
    assert "吴中区的应用" in world.client(world.city_staff).get(URL).content.decode()
    assert world.client(world.city_staff).post(f"{URL}{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
