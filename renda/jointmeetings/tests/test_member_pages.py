"""A member deputy's joint meetings (/jointmeetings/ and GET /api/v1/staff/jointmeetings/my…): their meetings'
published and closed topics with the four streams' linked work, read only; a draft, another meeting's topic, or a
deputy who is no member: missing (404)."""

import datetime

from django.urls import reverse

from renda.accounts.models import Grant, Role, User
from renda.api.tests.helpers import bearer
from renda.testing import PASSWORD

from ..models import Membership, Stream, Work
from .helpers import jinting_deputy, make_topic, resort_meeting

BASE = "/api/v1/staff/jointmeetings"


def member_login(world):
    """金测试 (the resort meeting's convener, elected in 金庭镇) with a deputy's login."""
    meeting = resort_meeting(world, with_member=False)
    deputy = jinting_deputy(world)
    Membership.objects.create(meeting=meeting, deputy=deputy, role=Membership.Role.CONVENER)
    user = User.objects.create_user("deputy_jt", password=PASSWORD, display_name="金测试")
    Grant.objects.create(user=user, role=Role.DEPUTY, deputy=deputy)
    return meeting, user


def test_a_member_reads_published_topics_and_their_linked_work(world):
    meeting, user = member_login(world)
    published = make_topic(meeting, status="published")
    Work.objects.create(topic=published, stream=Stream.INQUIRY, title="询问码头管理", unit=world.wuzhong_unit)
    Work.objects.create(topic=published, stream=Stream.REPORT, title="太湖岸线信息", sent_to="city")
    next_month = (published.month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    draft = make_topic(meeting, status="draft", month=next_month)  # one topic a month
    client = world.client(user)
    page = client.get(reverse("jointmeetings_my:list")).content.decode()
    assert meeting.name in page and f'id="topic-{published.pk}"' in page and f'id="topic-{draft.pk}"' not in page
    topic = client.get(reverse("jointmeetings_my:topic", args=[published.pk]))
    assert topic.status_code == 200
    body = topic.content.decode()
    assert "询问码头管理" in body and "吴中区住房和城乡建设局" in body
    assert "太湖岸线信息" in body and "<form" not in body.split("<main", 1)[-1].split("</main>")[0]
    assert client.get(reverse("jointmeetings_my:topic", args=[draft.pk])).status_code == 404
    # The same through the API.
    api, _secret = bearer(user)
    mine = api.get(f"{BASE}/my").json()
    assert [(m["id"], [t["id"] for t in m["topics"]]) for m in mine] == [(meeting.pk, [published.pk])]
    detail = api.get(f"{BASE}/my/topics/{published.pk}").json()
    assert sorted(w["title"] for w in detail["works"]) == ["太湖岸线信息", "询问码头管理"]
    assert api.get(f"{BASE}/my/topics/{draft.pk}").status_code == 404


def test_no_member_finds_nothing(world):
    meeting, _user = member_login(world)
    published = make_topic(meeting, status="published")
    for user in (world.deputy_user, world.wuzhong_staff, world.resort_staff):
        client = world.client(user)
        assert client.get(reverse("jointmeetings_my:list")).status_code == 404
        assert client.get(reverse("jointmeetings_my:topic", args=[published.pk])).status_code == 404
        api, _secret = bearer(user)
        assert api.get(f"{BASE}/my").json() == []
        assert api.get(f"{BASE}/my/topics/{published.pk}").status_code == 404
    assert world.client(None).get(reverse("jointmeetings_my:list")).status_code == 302  # to the login


def test_the_members_home_counts_topics_in_progress_and_links_to_them(world):
    meeting, user = member_login(world)
    make_topic(meeting, status="published")
    page = world.client(user).get("/staff/").content.decode()
    link = reverse("jointmeetings_my:list")
    assert f'href="{link}" data-count="deputy-joint_topics"><span class="stat">1</span>' in page
    # A deputy who is no member sees no such count.
    assert "deputy-joint_topics" not in world.client(world.deputy_user).get("/staff/").content.decode()
