"""Withdrawing an invitation (planning.uninvite): from the activity's page and the API, by the organiser only, before
the activity starts; a published activity's invitee is told through the outbox, a draft's is not; nothing changes
when it is refused."""

import json

import pytest
from django.urls import reverse

from renda.api.tests.helpers import bearer
from renda.audit.models import AuditEvent
from renda.notifications.models import Message
from renda.notifications.texts import render_body

from ..models import Invitation, Status
from .helpers import make_activity

pytestmark = pytest.mark.django_db


def withdraw_url(activity, invitation):
    return reverse("activities:uninvite", args=[activity.pk, invitation.pk])


def test_the_organiser_withdraws_an_invitee_of_a_published_activity_who_is_told(world):
    activity = make_activity(world, invite=[world.deputy_wz, world.deputy_city])
    mine = activity.invitations.get(deputy=world.deputy_wz)
    staff = world.client(world.wuzhong_staff)
    page = staff.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert f'action="{withdraw_url(activity, mine)}"' in page
    response = staff.post(withdraw_url(activity, mine), follow=True)
    assert response.status_code == 200 and "已撤回" in response.content.decode()
    assert set(activity.invitations.values_list("deputy__name", flat=True)) == {world.deputy_city.name}
    event = AuditEvent.objects.get(action="activity.uninvite")
    assert event.changes["name"] == world.deputy_wz.name and event.actor_id == world.wuzhong_staff.pk
    # 吴测试 has a login and a phone: told on both; the deputy's own list no longer shows the activity.
    told = Message.objects.filter(template="activity_withdrawn")
    assert {(m.channel, m.user_id) for m in told} == {("site", world.deputy_user.pk), ("sms", world.deputy_user.pk)}
    assert activity.title[:10] in render_body(told.first()) and "撤回" in render_body(told.first())
    mine_page = world.client(world.deputy_user).get(reverse("activities_my:list")).content.decode()
    assert activity.title not in mine_page
    # Again: the invitation is gone (404), nothing more is written.
    assert staff.post(withdraw_url(activity, mine)).status_code == 404
    assert (
        AuditEvent.objects.filter(action="activity.uninvite").count() == 1 and told.all().count() == 2
    )  # .all(): a fresh count, not the cached rows


def test_a_drafts_invitee_is_not_told(world):
    activity = make_activity(world, status=Status.DRAFT, invite=[world.deputy_wz])
    invitation = activity.invitations.get()
    assert world.client(world.wuzhong_staff).post(withdraw_url(activity, invitation)).status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert not Message.objects.filter(template="activity_withdrawn").exists()


def test_refused_once_started_and_for_anyone_but_the_organiser(world):
    started = make_activity(world, hours=-1, invite=[world.deputy_wz])
    invitation = started.invitations.get()
    staff = world.client(world.wuzhong_staff)
    assert 'class="secondary">撤回' not in staff.get(reverse("activities:detail", args=[started.pk])).content.decode()
    response = staff.post(withdraw_url(started, invitation))
    assert response.status_code == 400 and "活动已经开始" in response.content.decode()
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    # The invitee, and another region's staff: 404, nothing changed.
    coming = make_activity(world, invite=[world.deputy_wz])
    other = coming.invitations.get()
    for user in (world.deputy_user, world.gusu_staff):
        assert world.client(user).post(withdraw_url(coming, other)).status_code == 404
    # An invitation of another activity, named under this one: 404.
    assert staff.post(reverse("activities:uninvite", args=[coming.pk, invitation.pk])).status_code == 404
    assert Invitation.objects.filter(pk__in=[invitation.pk, other.pk]).count() == 2
    assert not AuditEvent.objects.filter(action="activity.uninvite").exists()


def test_withdraw_through_the_api(world):
    activity = make_activity(world, invite=[world.deputy_wz, world.deputy_city])
    mine = activity.invitations.get(deputy=world.deputy_wz)
    staff, _ = bearer(world.wuzhong_staff)
    url = f"/api/v1/staff/activities/{activity.pk}/invitations/{mine.pk}/withdraw"
    response = staff.post(url, json.dumps({}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert [i["id"] for i in response.json()["invitations"]] == [activity.invitations.get().pk]
    assert Message.objects.filter(template="activity_withdrawn").count() == 2
    assert staff.post(url, "{}", content_type="application/json").status_code == 404
    started = make_activity(world, hours=-1, invite=[world.deputy_wz])
    url = f"/api/v1/staff/activities/{started.pk}/invitations/{started.invitations.get().pk}/withdraw"
    response = staff.post(url, "{}", content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "too_late"
    assert started.invitations.count() == 1
