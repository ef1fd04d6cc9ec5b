"""Shared builders: an activity in a region at a time relative to now, with invitations."""

from datetime import timedelta

from django.utils import timezone

from renda.accounts.models import User
from renda.suggestions.models import MemberAccount

from ..models import Activity, Body, Invitation, Kind, Origin, Status


def make_activity(world, *, region=None, status=Status.PUBLISHED, hours=48, body=Body.CONGRESS, invite=(), **extra):
    """An activity starting `hours` from now (negative: already started), lasting two hours."""
    starts = timezone.now() + timedelta(hours=hours)
    activity = Activity.objects.create(
        region=region or world.wuzhong,
        body=body,
        # get_or_create: a transactional test runs after another one flushed the kinds the migration seeded.
        kind=Kind.objects.get_or_create(code="theme", defaults={"name": "主题活动"})[0],
        title=extra.pop("title", "人大代表助民企走访"),
        place="木渎镇企业服务中心",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=status,
        created_by=world.wuzhong_staff,
        **extra,
    )
    for person in invite:
        field = "deputy" if person.__class__.__name__ == "Deputy" else "member"
        Invitation.objects.create(activity=activity, **{field: person})
    return activity


def member_login(world):
    """吴委员's login (members sign in through suggestions.MemberAccount)."""
    user = User.objects.create_user("member_wz", password="x", display_name="吴委员")
    MemberAccount.objects.create(user=user, member=world.member_wz)
    return user


def self_reported(world, user=None):
    activity = make_activity(world, status=Status.REPORTED, hours=-30, origin=Origin.SELF_REPORTED)
    activity.created_by = user or world.deputy_user
    activity.save(update_fields=["created_by"])
    Invitation.objects.create(activity=activity, deputy=world.deputy_wz, answer="attend")
    return activity
