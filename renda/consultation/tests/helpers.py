"""Builders for the consultation tests: a 吴中区 consultation meeting with 吴委员 invited and a login for them."""

import datetime

from django.utils import timezone

from renda.accounts.models import User
from renda.suggestions.models import MemberAccount
from renda.testing import PASSWORD

from .. import actions
from ..models import Topic


def member_login(world, member=None, username="member_wz"):
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    MemberAccount.objects.create(user=user, member=member or world.member_wz)
    return user


def wuzhong_meeting(world, *, members=None, region=None, staff=None, topic_title="太湖生态保护与绿色发展"):
    region = region or world.wuzhong
    topic = Topic.objects.create(region=region, year=2026, title=topic_title)
    starts = timezone.now() + datetime.timedelta(days=7)
    return actions.create_meeting(
        staff or world.wuzhong_staff,
        region=region,
        title="双周协商座谈会：太湖生态保护",
        form="biweekly",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        topics=[topic],
        members=[world.member_wz] if members is None else members,
    )
