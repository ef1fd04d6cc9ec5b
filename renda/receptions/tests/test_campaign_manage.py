"""Reception days' settings through HTTP: create, scope, edit with a version, finished days refuse every change."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.people.models import Deputy
from renda.receptions.actions.planning import plan_campaign
from renda.receptions.models import Campaign, Duty
from renda.stations.models import Station

from .helpers import on_duty, reception_day, sitting

DAY = datetime.date(2026, 12, 10)


def english(world, user):
    client = world.client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_campaign(world, region=None, **extra):
    """A draft day of 吴中区 (or `region`) on DAY, 09:00–11:30; `extra` overrides any field."""
    fields = {"title": "吴中区代表集中接待日", "date": DAY, "ends": datetime.time(11, 30)}
    return reception_day(region or world.wuzhong, **(fields | extra))


def flashed(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def form_data(campaign=None, **changes):
    data = {
        "title": "吴中区代表集中接待日",
        "theme": "听民声 解民忧",
        "region": "320506000000",
        "date": "2026-12-10",
        "starts": "09:00",
        "ends": "11:30",
    }
    if campaign is not None:
        data["version"] = campaign.version
    return data | changes


@pytest.mark.django_db
def test_staff_create_a_day_for_their_region(world):
    response = english(world, world.wuzhong_staff).post(reverse("receptions:campaign_create"), form_data())
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("receptions:campaign_detail", kwargs={"campaign_pk": campaign.pk})
    assert (campaign.region, campaign.status, campaign.version) == (world.wuzhong, "draft", 1)
    assert campaign.created_by == world.wuzhong_staff
    assert AuditEvent.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


@pytest.mark.django_db
def test_a_region_outside_scope_or_a_backwards_time_is_refused(world):
    client = english(world, world.wuzhong_staff)
    response = client.post(reverse("receptions:campaign_create"), form_data(region=world.gusu.code))
    assert response.status_code == 200
    assert "There is no region with this code in your area." in response.content.decode()
    response = client.post(reverse("receptions:campaign_create"), form_data(starts="12:00", ends="11:00"))
    assert "The reception must end after it starts." in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_campaign_pages_by_role(world):
    wuzhong_day = make_campaign(world)
    city_day = make_campaign(world, world.suzhou, title="苏州市代表集中接待日")
    detail = reverse("receptions:campaign_detail", kwargs={"campaign_pk": wuzhong_day.pk})
    assert world.client(world.wuzhong_staff).get(detail).status_code == 200
    assert world.client(world.city_staff).get(detail).status_code == 200
    for user in (world.gusu_staff, world.outsider, world.unit_user):
        assert world.client(user).get(detail).status_code == 404
    # A district sees the city's day (its own stations) but does not manage it.
    city_detail = reverse("receptions:campaign_detail", kwargs={"campaign_pk": city_day.pk})
    city_edit = reverse("receptions:campaign_edit", kwargs={"campaign_pk": city_day.pk})
    city_plan = reverse("receptions:campaign_plan", kwargs={"campaign_pk": city_day.pk})
    response = world.client(world.wuzhong_staff).get(city_detail)
    assert response.status_code == 200
    assert "沧浪街道代表之家" not in response.content.decode()
    assert world.client(world.wuzhong_staff).get(city_edit).status_code == 404
    assert world.client(world.wuzhong_staff).post(city_plan).status_code == 404
    assert not Duty.objects.exists()
    listing = world.client(world.gusu_staff).get(reverse("receptions:campaign_list")).content.decode()
    assert "苏州市代表集中接待日" in listing and "吴中区代表集中接待日" not in listing


@pytest.mark.django_db
def test_edit_carries_the_version_and_a_stale_one_is_refused(world):
    campaign = make_campaign(world)
    url = reverse("receptions:campaign_edit", kwargs={"campaign_pk": campaign.pk})
    seen = campaign.version
    first = english(world, world.wuzhong_staff).post(url, form_data(campaign, title="第一位的标题"))
    assert first.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.version) == ("第一位的标题", seen + 1)
    # The second editor's form was loaded before the first saved.
    second = english(world, world.city_staff).post(url, form_data(title="第二位的标题", version=seen))
    assert second.status_code == 200
    assert "Someone else changed this reception day meanwhile" in second.content.decode()
    campaign.refresh_from_db()
    assert (campaign.title, campaign.version) == ("第一位的标题", seen + 1)


@pytest.mark.django_db
def test_new_time_moves_the_draft_receptions(world):
    campaign = make_campaign(world)
    reception = sitting(campaign, world.mudu_home)
    url = reverse("receptions:campaign_edit", kwargs={"campaign_pk": campaign.pk})
    world.client(world.wuzhong_staff).post(url, form_data(campaign, date="2026-12-11", starts="14:00", ends="16:00"))
    reception.refresh_from_db()
    assert (reception.date, reception.starts, reception.ends) == (
        datetime.date(2026, 12, 11),
        datetime.time(14),
        datetime.time(16),
    )
    assert reception.changed_at is None  # a draft: nobody outside the office saw the old time


@pytest.mark.django_db
def test_a_finished_day_refuses_every_change(world):
    campaign = make_campaign(world, status="finished", published_at=None)
    reception = sitting(campaign, world.mudu_home)
    [duty] = on_duty(reception, world.deputy_wz)
    client = english(world, world.wuzhong_staff)
    kwargs = {"campaign_pk": campaign.pk}
    response = client.post(reverse("receptions:campaign_edit", kwargs=kwargs), form_data(campaign), follow=True)
    assert "This reception day is finished; nothing about it can change any more." in flashed(response)
    posts = [
        (reverse("receptions:campaign_plan", kwargs=kwargs), {}),
        (reverse("receptions:campaign_publish", kwargs=kwargs), {}),
        (
            reverse("receptions:campaign_remove_duty", kwargs=kwargs | {"duty_pk": duty.pk}),
            {"expected_reception": reception.pk},
        ),
        (
            reverse("receptions:campaign_move_duty", kwargs=kwargs | {"duty_pk": duty.pk}),
            {"station": world.weiting_station.pk, "expected_reception": reception.pk},
        ),
        (
            reverse("receptions:campaign_add_duty", kwargs=kwargs | {"station_pk": world.weiting_station.pk}),
            {"deputy": world.deputy_city.pk},
        ),
        (
            reverse("receptions:campaign_unavailable", kwargs=kwargs | {"deputy_pk": world.deputy_wz.pk}),
            {"reason": "出差"},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
        assert any("finished" in text for text in flashed(response)), url
    campaign.refresh_from_db()
    assert (campaign.status, campaign.title, campaign.version) == ("finished", "吴中区代表集中接待日", 1)
    assert list(Duty.objects.values_list("deputy_id", "reception_id")) == [(world.deputy_wz.pk, reception.pk)]
    assert not campaign.unavailabilities.exists()


@pytest.mark.django_db
def test_day_pages_take_a_fixed_number_of_queries(world):
    campaign = make_campaign(world, world.suzhou)
    client = world.client(world.city_staff)
    kwargs = {"campaign_pk": campaign.pk}
    urls = [
        reverse("receptions:campaign_list"),
        reverse("receptions:campaign_detail", kwargs=kwargs),
        reverse("receptions:campaign_deputies", kwargs=kwargs),
        reverse("receptions:campaign_conflicts", kwargs=kwargs),
    ]

    def counts():
        plan_campaign(campaign, world.city_staff)
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for number in range(8):
        station = Station.objects.create(
            name=f"木渎镇联络站{number}", kind="liaison", region=world.mudu, public_code=f"MDX{number:03}"
        )
        deputy = Deputy.objects.create(
            name=f"吴新{number}", term=17, level="township", electoral_region=world.mudu, public_code=f"DWN{number:03}"
        )
        station.assignments.create(deputy=deputy)
    assert counts() == before


@pytest.mark.django_db
def test_a_day_in_the_past_is_refused_on_create_and_on_edit(world):
    """Issue 11 item 8: a reception day is dated today or later — on the form, and in the action behind it."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from renda.receptions.actions import create_campaign, update_campaign

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client = world.client(world.wuzhong_staff)  # in Chinese, as the staff read it
    response = client.post(reverse("receptions:campaign_create"), form_data(date=yesterday.isoformat()))
    assert response.status_code == 200
    assert "是过去的日期：接待日只能定在今天或以后。" in response.content.decode()
    assert not Campaign.objects.exists()
    # Today is fine.
    response = client.post(reverse("receptions:campaign_create"), form_data(date=timezone.localdate().isoformat()))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    # Editing to a past date is refused; the day keeps its date.
    url = reverse("receptions:campaign_edit", kwargs={"campaign_pk": campaign.pk})
    response = client.post(url, form_data(campaign, date=yesterday.isoformat()))
    assert response.status_code == 200
    assert "是过去的日期：接待日只能定在今天或以后。" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.date == timezone.localdate()
    # A caller that skips the form is refused by the action itself.
    data = {"region": world.wuzhong, "title": "补录", "theme": "", "date": yesterday}
    data |= {"starts": datetime.time(9), "ends": datetime.time(11)}
    with pytest.raises(ValidationError):
        create_campaign(world.wuzhong_staff, data)
    with pytest.raises(ValidationError):
        update_campaign(world.wuzhong_staff, campaign, {"date": yesterday}, version=campaign.version)
    assert Campaign.objects.count() == 1
    campaign.refresh_from_db()
    assert campaign.date == timezone.localdate()
