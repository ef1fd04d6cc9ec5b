"""Suggestions in any workflow state, built through the ORM, and the extra people the workflow needs.

On top of the `world`: `signer` (the account of deputy_city, a joint signer), `co_user` (staff of a second 吴中区
unit, the co-unit), `member_user` (the account of CPPCC member 吴委员).
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from renda.accounts.models import Grant, Role, User
from renda.people.models import Unit
from renda.suggestions.models import (
    Category,
    Contact,
    Event,
    MemberAccount,
    Reply,
    Signature,
    Suggestion,
    UnitTask,
)
from renda.suggestions.workflow import Action, Actor, ContactMethod, Kind, ReplyCategory, State
from renda.testing import PASSWORD

WITH_LEAD = {
    State.ASSIGNED,
    State.EXTENSION_REQUESTED,
    State.REPLIED,
    State.ANSWERED,
    State.REHANDLING,
    State.TRACKING,
    State.CLOSED,
}
REPLIED_STATES = {State.REPLIED, State.ANSWERED, State.TRACKING, State.CLOSED}


def add_people(world):
    """Idempotent: the signer, the co-unit and its user, the CPPCC member's account."""
    if hasattr(world, "co_user"):
        return world
    signer = User.objects.create_user(username="signer", password=PASSWORD, display_name="signer")
    Grant.objects.create(user=signer, role=Role.DEPUTY, deputy=world.deputy_city)
    world.deputy_city.user = signer
    world.deputy_city.save(update_fields=["user"])
    world.signer = signer
    world.co_unit = Unit.objects.create(name="吴中区交通运输局", region=world.wuzhong)
    world.co_user = User.objects.create_user(username="co_user", password=PASSWORD, display_name="co_user")
    Grant.objects.create(user=world.co_user, role=Role.UNIT_STAFF, unit=world.co_unit)
    world.member_user = User.objects.create_user(username="member_user", password=PASSWORD, display_name="member")
    MemberAccount.objects.create(user=world.member_user, member=world.member_wz)
    return world


def category(kind=Kind.CONGRESS, name="城乡建设"):
    return Category.objects.get(kind=kind, name=name)


def make_suggestion(world, state=State.SUBMITTED, *, kind=Kind.CONGRESS, title="关于增加老旧小区停车位的建议", **extra):
    add_people(world)
    now = timezone.now()
    author = world.deputy_user if kind == Kind.CONGRESS else world.member_user
    region = world.mudu if kind == Kind.CONGRESS else world.wuzhong
    round_ = 2 if state == State.REHANDLING else 1
    s = Suggestion.objects.create(
        kind=kind,
        number=f"x{uuid.uuid4().hex[:16]}",
        year=timezone.localdate().year,
        region=region,
        title=title,
        category=category(kind),
        text="木渎镇老旧小区停车难，建议挖潜增加车位。",
        author=author,
        submitter_name="吴测试" if kind == Kind.CONGRESS else "吴委员",
        deputy=world.deputy_wz if kind == Kind.CONGRESS else None,
        member=world.member_wz if kind == Kind.CPPCC else None,
        status=state,
        round=round_,
        sign_deadline=now + timedelta(days=5) if state == State.SIGNING else None,
        due_at=extra.pop("due_at", now + timedelta(days=10)),
        **extra,
    )
    s.number = f"{'J' if kind == Kind.CONGRESS else 'T'}{s.year}-{s.pk:06d}"
    s.save(update_fields=["number"])
    if kind == Kind.CONGRESS:
        Signature.objects.create(
            suggestion=s,
            user=world.signer,
            name="苏测试",
            status=Signature.Status.INVITED if state == State.SIGNING else Signature.Status.SIGNED,
        )
    if state in WITH_LEAD or state == State.RETURNED:
        s.lead_unit = None if state == State.RETURNED else world.wuzhong_unit
        s.assigned_at = now - timedelta(days=1)
        s.reply_due_at = now + timedelta(days=60)
        s.save(update_fields=["lead_unit", "assigned_at", "reply_due_at"])
        UnitTask.objects.create(
            suggestion=s,
            unit=world.wuzhong_unit,
            role=UnitTask.Role.LEAD,
            is_active=state != State.RETURNED,
            return_by=now + timedelta(days=6),
            due_at=s.reply_due_at,
        )
        UnitTask.objects.create(
            suggestion=s,
            unit=world.co_unit,
            role=UnitTask.Role.ASSIST,
            is_active=state != State.RETURNED,
            due_at=now + timedelta(days=20),
        )
    if state in WITH_LEAD:
        for confirmed in (True, False):
            Contact.objects.create(
                suggestion=s,
                round=round_,
                unit=world.wuzhong_unit,
                method=ContactMethod.MEETING,
                happened_on=timezone.localdate(),
                note="当面沟通了办理思路",
                recorded_by=world.unit_user,
                confirmed_by=author if confirmed else None,
                confirmed_at=now if confirmed else None,
            )
    if state in REPLIED_STATES:
        category_ = ReplyCategory.B if state == State.TRACKING else ReplyCategory.A
        Reply.objects.create(
            suggestion=s,
            round=round_,
            unit=world.wuzhong_unit,
            category=category_,
            unit_category=category_,
            text="已列入年度计划，增加车位120个。",
            author=world.unit_user,
            accepted_at=None if state == State.REPLIED else now,
        )
        s.replied_at = now
        s.replied_on_time = True
        s.reply_category = "" if state == State.REPLIED else category_
        s.save(update_fields=["replied_at", "replied_on_time", "reply_category"])
    Event.objects.create(suggestion=s, action=Action.SUBMIT, to_state=state, actor=author, actor_role=Actor.AUTHOR)
    return s
