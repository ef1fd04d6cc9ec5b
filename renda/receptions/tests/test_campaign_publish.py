"""Publishing and finishing a reception day with frozen time, and the messages publishing queues."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.notifications.models import Message
from renda.notifications.texts import render_body
from renda.receptions.actions.planning import plan_campaign
from renda.receptions.models import Campaign, Duty, Reception
from renda.workdays.calendar import CHINA

from .test_campaign_manage import english, flashed, form_data, make_campaign

DAY = datetime.date(2026, 12, 10)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CHINA)


def publish(world, campaign, user=None):
    url = reverse("receptions:campaign_publish", kwargs={"campaign_pk": campaign.pk})
    return english(world, user or world.city_staff).post(url, follow=True)


@pytest.fixture
def planned(world):
    campaign = make_campaign(world, world.suzhou, title="苏州市代表集中接待日", date=DAY)
    plan_campaign(campaign, world.city_staff)
    return campaign


@pytest.mark.django_db
def test_too_late_to_publish(world, planned):
    # The day after tomorrow is the earliest (RECEPTION_PUBLISH_DAYS = 2): one day ahead is too late.
    with time_machine.travel(at(DAY - datetime.timedelta(days=1)), tick=False):
        response = publish(world, planned)
    assert flashed(response) == ["A reception day is published at least 2 days ahead; this one is on Dec. 10, 2026."]
    planned.refresh_from_db()
    assert (planned.status, planned.published_at) == ("draft", None)
    assert not Reception.objects.filter(campaign=planned, published_at__isnull=False).exists()
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_publish_makes_the_day_public_and_tells_each_deputy(world, planned):
    moment = at(DAY - datetime.timedelta(days=2), 23)
    with time_machine.travel(moment, tick=False):
        response = publish(world, planned)
    assert flashed(response) == ["Published; 2 messages to deputies queued."]
    planned.refresh_from_db()
    assert (planned.status, planned.published_at) == ("published", moment)
    assert set(Reception.objects.filter(campaign=planned).values_list("published_at", flat=True)) == {moment}
    # deputy_wz has an account and a phone: one site message, one SMS; the others have neither.
    messages = Message.objects.filter(template="reception_assigned").order_by("channel")
    assert [(m.channel, m.user, m.phone) for m in messages] == [
        ("site", world.deputy_user, ""),
        ("sms", world.deputy_user, "13800138000"),
    ]
    context = messages[0].context
    assert context["station"] == "木渎镇代表之家" and context["address"] == "木渎镇1号"
    assert context["time"] == "09:00–11:30"
    body = render_body(messages[0], "en")
    assert "木渎镇代表之家" in body and "09:00–11:30" in body
    assert "苏测试" not in str(context) and "13800138000" not in str(context)
    assert AuditEvent.objects.filter(action="campaign.publish", object_id=str(planned.pk)).exists()
    # Publishing again is refused and queues nothing more.
    with time_machine.travel(moment, tick=False):
        again = publish(world, planned)
    assert flashed(again) == ["This reception day is already published."]
    assert Message.objects.count() == 2


@pytest.mark.django_db
def test_only_managers_publish(world, planned):
    with time_machine.travel(at(DAY - datetime.timedelta(days=5)), tick=False):
        url = reverse("receptions:campaign_publish", kwargs={"campaign_pk": planned.pk})
        assert world.client(world.wuzhong_staff).post(url).status_code == 404
        assert world.client(world.gusu_staff).post(url).status_code == 404
    assert Campaign.objects.get(pk=planned.pk).status == "draft"


@pytest.mark.django_db
def test_an_empty_day_is_not_published(world):
    campaign = make_campaign(world, world.suzhou, date=DAY)
    with time_machine.travel(at(DAY - datetime.timedelta(days=5)), tick=False):
        response = publish(world, campaign)
    assert flashed(response) == ["Nobody is on duty yet: propose or add assignments first."]
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"


@pytest.mark.django_db
def test_a_new_time_after_publishing_is_highlighted_and_told(world, planned):
    with time_machine.travel(at(DAY - datetime.timedelta(days=5)), tick=False):
        publish(world, planned)
        planned.refresh_from_db()
        url = reverse("receptions:campaign_edit", kwargs={"campaign_pk": planned.pk})
        data = form_data(planned, region=world.suzhou.code, title=planned.title, starts="14:00", ends="16:00")
        assert world.client(world.city_staff).post(url, data).status_code == 302
    receptions = Reception.objects.filter(campaign=planned)
    assert {(r.starts, r.changed_at is not None) for r in receptions} == {(datetime.time(14), True)}
    assert not Duty.objects.filter(campaign=planned, changed_at__isnull=True).exists()
    changed = Message.objects.filter(template="reception_changed")
    assert sorted(changed.values_list("channel", flat=True)) == ["site", "sms"]
    assert changed.first().context["time"] == "14:00–16:00"
    # The region of a published day stays.
    with time_machine.travel(at(DAY - datetime.timedelta(days=5)), tick=False):
        planned.refresh_from_db()
        response = english(world, world.city_staff).post(url, form_data(planned, region=world.wuzhong.code))
    assert "The region of a published reception day cannot change." in response.content.decode()


@pytest.mark.django_db
def test_finish_on_the_day_records_the_absent(world, planned):
    with time_machine.travel(at(DAY - datetime.timedelta(days=5)), tick=False):
        publish(world, planned)
    attended = Duty.objects.get(campaign=planned, deputy=world.deputy_wz)
    attended.attendance = "attended"
    attended.save(update_fields=["attendance"])
    url = reverse("receptions:campaign_finish", kwargs={"campaign_pk": planned.pk})
    with time_machine.travel(at(DAY - datetime.timedelta(days=1)), tick=False):
        early = english(world, world.city_staff).post(url, follow=True)
    assert flashed(early) == ["A reception day can be finished on or after its date, not before."]
    assert Campaign.objects.get(pk=planned.pk).status == "published"
    with time_machine.travel(at(DAY, 17), tick=False):
        done = english(world, world.city_staff).post(url, follow=True)
    assert flashed(done) == ["Finished; 2 deputies who did not check in are recorded absent."]
    planned.refresh_from_db()
    assert planned.status == "finished" and planned.finished_at == at(DAY, 17)
    rows = dict(Duty.objects.filter(campaign=planned).values_list("deputy__name", "attendance"))
    assert rows == {"吴测试": "attended", "苏测试": "absent", "顾测试": "absent"}
    reasons = set(Duty.objects.filter(campaign=planned, attendance="absent").values_list("absence_reason", flat=True))
    assert len(reasons) == 1 and reasons != {""}
    # Nothing changes afterwards.
    with time_machine.travel(at(DAY, 18), tick=False):
        again = english(world, world.city_staff).post(url, follow=True)
    assert flashed(again) == ["This reception day is finished; nothing about it can change any more."]
