"""Builders for the joint meeting tests: 苏州太湖国家旅游度假区's meeting (the zone coordinates 金庭镇), a member
deputy elected in 金庭镇, a topic in a given state, a supervision activity in the zone."""

import datetime

from django.utils import timezone

from renda.activities.models import Activity, Kind, ProblemItem
from renda.people.models import Deputy, DeputyLevel

from ..models import JointMeeting, Membership, Topic


def jinting_deputy(world, name="金测试", code="DJT001") -> Deputy:
    return Deputy.objects.create(
        name=name, term=17, level=DeputyLevel.TOWNSHIP, electoral_region=world.jinting, public_code=code
    )


def resort_meeting(world, *, with_member=True) -> JointMeeting:
    meeting = JointMeeting.objects.create(zone=world.resort, name="度假区人大代表联席会议")
    if with_member:
        Membership.objects.create(meeting=meeting, deputy=jinting_deputy(world), role=Membership.Role.CONVENER)
    return meeting


def make_topic(meeting, status="draft", month=None) -> Topic:
    month = month or timezone.localdate().replace(day=1)
    return Topic.objects.create(meeting=meeting, month=month, title="太湖生态保护", status=status)


def activity(world, *, region=None, kind="inspection", title="太湖岸线视察") -> Activity:
    starts = timezone.now() - datetime.timedelta(days=3)
    return Activity.objects.create(
        region=region or world.jinting,
        kind=Kind.objects.get(code=kind),
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status="finished",
    )


def problem(world, act: Activity, number=1) -> ProblemItem:
    return ProblemItem.objects.create(activity=act, number=number, text="码头停车难", raised_by="某民宿")
