"""Superusers repair deadline rules, categories and calendar overrides, and look into the outbox, in the admin."""

import pytest

from renda.accounts.models import User
from renda.notifications.models import Channel, Message


@pytest.fixture
def admin_client(world):
    root = User.objects.create_superuser("root", password="Root-password-1")
    return world.client(root)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/workdays/calendaroverride/",
        "/admin/opinions/deadlinerule/",
        "/admin/opinions/category/",
        "/admin/notifications/message/",
    ],
)
def test_changelists_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_message_page_hides_the_phone(world, admin_client):
    message = Message.objects.create(
        channel=Channel.SMS, phone="13812345678", template="opinion_accepted", context={}, dedupe_key="x"
    )
    response = admin_client.get(f"/admin/notifications/message/{message.pk}/change/")
    assert response.status_code == 200 and "13812345678" not in response.content.decode()


def test_staff_without_superuser_do_not_reach_the_admin(world):
    response = world.client(world.city_staff).get("/admin/notifications/message/")
    assert response.status_code == 302
