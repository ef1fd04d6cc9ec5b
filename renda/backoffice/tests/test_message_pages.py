"""The in-site message page: each staff user reads their own messages, newest first, and marks them read."""

from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.notifications.models import Channel, Message
from renda.testing import assert_statuses

URL = "/staff/messages/"


def site_message(user, n, template="reminder", **fields):
    context = {"code": f"CODE{n:04d}", "category": "交通出行", "state": "已提交", "due": "2026-10-09", "opinion_id": n}
    return Message.objects.create(
        channel=Channel.SITE, user=user, template=template, context=context, dedupe_key=f"{user.pk}:{n}", **fields
    )


def test_grid(world):
    assert reverse("notifications:list") == URL
    assert_statuses(
        world,
        URL,
        {
            "anonymous": 302,
            "outsider": 404,
            "keeper": 200,
            "unit_user": 200,
            "deputy_user": 200,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
        },
    )
    assert_statuses(world, URL + "read/", {"anonymous": 302, "outsider": 404, "keeper": 405})


def test_own_messages_only_newest_first_unread_marked(world):
    old = site_message(world.keeper, 1)
    new = site_message(world.keeper, 2, read_at=None)
    site_message(world.gusu_staff, 3)
    Message.objects.create(channel=Channel.SMS, user=world.keeper, template="reminder", context={}, dedupe_key="sms")
    Message.objects.filter(pk=old.pk).update(read_at=old.created)

    html = world.client(world.keeper).get(URL).content.decode()
    assert "CODE0002" in html and "CODE0001" in html and "CODE0003" not in html
    assert html.index("CODE0002") < html.index("CODE0001")
    assert html.count("未读") == 2  # the badge count line and the one unread message
    assert "提醒" in html  # rendered in Chinese
    assert reverse("opinions:detail", args=[2]) in html
    assert new.read_at is None

    other = world.client(world.gusu_staff).get(URL).content.decode()
    assert "CODE0003" in other and "CODE0002" not in other


def test_mark_all_read_touches_only_own_site_messages(world):
    mine = [site_message(world.keeper, n) for n in range(3)]
    theirs = site_message(world.gusu_staff, 9)
    response = world.client(world.keeper).post(URL + "read/")
    assert response.status_code == 302 and response.url == URL
    assert all(Message.objects.get(pk=m.pk).read_at for m in mine)
    assert Message.objects.get(pk=theirs.pk).read_at is None
    audit = AuditEvent.objects.get(action="notifications.mark_read")
    assert audit.actor == world.keeper and audit.changes == {"count": 3}
    html = world.client(world.keeper).get(URL).content.decode()
    assert "全部标为已读" not in html and "未读" not in html


def test_htmx_gets_the_fragment(world):
    site_message(world.keeper, 1)
    response = world.client(world.keeper).get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "CODE0001" in html and "<html" not in html


def test_query_count_does_not_grow_with_messages(world, django_assert_num_queries):
    client = world.client(world.keeper)
    for n in range(3):
        site_message(world.keeper, n)
    client.get(URL)  # warm the session
    with django_assert_num_queries(6) as few:
        client.get(URL)
    for n in range(3, 40):
        site_message(world.keeper, n)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert "CODE0039" in response.content.decode()
