"""The demo's joint meetings and consultation: 苏州太湖国家旅游度假区's meeting with 12 monthly topics (the last 12
months) and their four streams, 吴中经济技术开发区's meeting, a consultation meeting with speeches and results,
members' studios with members; a second run writes nothing.

One load per module, rolled back afterwards; each test runs in a savepoint.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from renda.consultation.models import Feedback, Meeting, Speech
from renda.demo.consultation import load_demo_consultation
from renda.demo.generate import load_demo
from renda.demo.jointmeetings import load_demo_joint_meetings
from renda.demo.suggestions import load_demo_suggestions
from renda.jointmeetings.models import JointMeeting, Stream
from renda.stations.models import Station, StationKind


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            load_demo_suggestions(20)  # member.demo's account
            yield load_demo_joint_meetings(), load_demo_consultation()
            transaction.set_rollback(True)


def test_resorts_meeting_has_twelve_months_of_four_streams(demo, db):
    meeting = JointMeeting.objects.get(zone__code="320590000000")
    topics = list(meeting.topics.order_by("month"))
    assert len(topics) == 12
    assert topics[-1].month == timezone.localdate().replace(day=1)
    assert topics[-1].status == "published" and all(t.status == "closed" for t in topics[:-1])
    for topic in topics:
        assert {w.stream for w in topic.works.all()} == set(Stream.values), topic
    assert meeting.memberships.exists()
    assert JointMeeting.objects.filter(zone__code="320591000000").exists()


def test_the_member_login_reads_the_resorts_topics(demo, db):
    """deputy.taihu (the head of 金庭镇's 代表之家) sits on the resort's meeting: their home counts its open topic and
    /jointmeetings/ shows its published topics, each with the four streams."""
    from django.test import Client

    from renda.accounts.models import User

    user = User.objects.get(username="deputy.taihu")
    meeting = JointMeeting.objects.get(zone__code="320590000000")
    assert meeting.memberships.filter(deputy__user=user).exists()
    client = Client()
    client.force_login(user)
    assert 'data-count="deputy-joint_topics"><span class="stat">1</span>' in client.get("/staff/").content.decode()
    page = client.get("/jointmeetings/").content.decode()
    current = meeting.topics.get(status="published")
    assert f'id="topic-{current.pk}"' in page and meeting.topics.filter(status="closed").count() == 11
    topic = client.get(f"/jointmeetings/topics/{current.pk}/").content.decode()
    assert all(f'id="stream-{stream}"' in topic for stream in Stream.values)


def test_consultation_and_studios(demo, db):
    held = Meeting.objects.filter(activity__status="finished").get()
    assert Speech.objects.filter(meeting=held).count() >= 3
    assert Feedback.objects.filter(result__meeting=held, answered_at__isnull=False).exists()
    assert Meeting.objects.filter(
        activity__status="published", activity__invitations__member__account__user__username="member.demo"
    ).exists()
    studios = Station.objects.filter(kind=StationKind.STUDIO)
    assert studios.count() == 2 and all(s.member_assignments.exists() for s in studios)


def test_public_studio_page_lists_members(demo, db, client):
    studio = Station.objects.filter(kind=StationKind.STUDIO).first()
    page = client.get(f"/s/{studio.public_code}/").content.decode()
    assert 'id="studio-members"' in page and studio.member_assignments.first().member.name in page


def test_second_run_writes_nothing(demo, db):
    assert load_demo_joint_meetings().skipped and load_demo_consultation().skipped
    assert JointMeeting.objects.count() == 2
