"""A person's calendar (phone page and feed) and the region's calendar, through HTTP then the database."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from renda.activities.models import Activity, Answer, Invitation, Kind, Status
from renda.audit.models import AuditEvent
from renda.calendars.models import Feed
from renda.receptions.tests.helpers import on_duty, sitting
from renda.suggestions.models import MemberAccount
from renda.testing import assert_statuses

pytestmark = pytest.mark.django_db


def _activity(region, title, *, days=1, status=Status.PUBLISHED, hours=2, **extra):
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=days)
    return Activity.objects.create(
        region=region,
        kind=Kind.objects.get(code="research"),
        title=title,
        place="木渎镇政府",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        status=status,
        **extra,
    )


@pytest.fixture
def agenda(world):
    """deputy_wz (deputy_user): invited to a published, a cancelled and a draft activity, on duty at mudu_home in
    three days; deputy_gs invited to a 姑苏 activity."""
    published = _activity(world.wuzhong, "民营企业走访")
    cancelled = _activity(world.wuzhong, "取消的调研", days=2, status=Status.CANCELLED)
    draft = _activity(world.wuzhong, "草拟的视察", days=3, status=Status.DRAFT)
    gusu = _activity(world.gusu, "姑苏区调研", days=1)
    for activity in (published, cancelled, draft):
        Invitation.objects.create(activity=activity, deputy=world.deputy_wz)
    Invitation.objects.create(activity=gusu, deputy=world.deputy_gs)
    Invitation.objects.filter(activity=published).update(answer=Answer.ATTEND)
    day = timezone.localdate() + dt.timedelta(days=3)
    reception = sitting(None, world.mudu_home, date=day, starts=dt.time(9), ends=dt.time(11))
    (duty,) = on_duty(reception, world.deputy_wz)
    return {"published": published, "cancelled": cancelled, "draft": draft, "gusu": gusu, "duty": duty}


def test_the_deputy_sees_their_activities_and_duties_only(world, agenda):
    page = world.client(world.deputy_user).get(reverse("calendars:mine")).content.decode()
    assert "民营企业走访" in page
    assert f'kind-activity cancelled" data-uid="activity-{agenda["cancelled"].pk}"' in page
    assert "草拟的视察" not in page  # a draft is the office's until it is published
    assert "姑苏区调研" not in page  # another deputy's invitation
    assert world.mudu_home.name in page
    assert f'data-uid="duty-{agenda["duty"].pk}"' in page


def test_who_has_a_calendar_of_their_own(world, agenda):
    assert_statuses(
        world,
        reverse("calendars:mine"),
        {"deputy_user": 200, "keeper": 404, "city_staff": 404, "unit_user": 404, "outsider": 404, "anonymous": 302},
    )


def test_a_member_sees_their_consultation_invitations(world):
    from renda.accounts.models import User

    user = User.objects.create_user(username="member_gs", password="x", display_name="顾委员")
    MemberAccount.objects.create(user=user, member=world.member_gs)
    meeting = _activity(world.gusu, "双周协商座谈会", body="cppcc")
    Invitation.objects.create(activity=meeting, member=world.member_gs)
    page = world.client(user).get(reverse("calendars:mine")).content.decode()
    assert "双周协商座谈会" in page


def test_the_feed_is_a_secret_address_that_a_phone_reads(world, agenda, django_assert_max_num_queries):
    client = world.client(world.deputy_user)
    response = client.post(reverse("calendars:feed_issue"))
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url.endswith(".ics") and response.context["webcal_url"].startswith("webcal://")
    assert Feed.objects.filter(user=world.deputy_user).count() == 1
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert not Feed.objects.filter(token_hash=token).exists()  # only its hash is kept
    path = reverse("calendars:feed", args=[token])
    with django_assert_max_num_queries(8):
        feed = world.client(None).get(path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    published, cancelled = agenda["published"], agenda["cancelled"]
    assert set(events) == {f"activity-{published.pk}", f"activity-{cancelled.pk}", f"duty-{agenda['duty'].pk}"}
    event = events[f"activity-{published.pk}"]
    assert "民营企业走访" in str(event["summary"])
    assert event.decoded("dtstart") == published.starts_at
    assert str(event["status"]) == "CONFIRMED"
    assert str(events[f"activity-{cancelled.pk}"]["status"]) == "CANCELLED"
    duty_start = events[f"duty-{agenda['duty'].pk}"].decoded("dtstart")
    assert timezone.localtime(duty_start).time() == dt.time(9)
    # A new address replaces the old one at once; stopping it ends the new one too. Each change is audited.
    second = client.post(reverse("calendars:feed_issue")).context["feed_url"]
    assert world.client(None).get(path).status_code == 404
    new_path = reverse("calendars:feed", args=[second.rsplit("/", 1)[1].removesuffix(".ics")])
    assert world.client(None).get(new_path).status_code == 200
    assert client.post(reverse("calendars:feed_revoke")).status_code == 302
    assert world.client(None).get(new_path).status_code == 404
    assert not Feed.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["calendar.feed_issued", "calendar.feed_replaced", "calendar.feed_revoked"]
    assert AuditEvent.objects.filter(
        action="calendar.feed_issued", region_path=world.deputy_wz.electoral_region.path
    ).exists()


def test_a_wrong_address_is_missing_and_a_stale_account_is_too(world, agenda):
    assert world.client(None).get(reverse("calendars:feed", args=["nope"])).status_code == 404
    client = world.client(world.deputy_user)
    url = client.post(reverse("calendars:feed_issue")).context["feed_url"]
    world.deputy_user.is_active = False
    world.deputy_user.save()
    assert world.client(None).get(url.replace("http://127.0.0.1:8000", "")).status_code == 404


def test_only_deputies_and_members_make_feeds(world):
    assert world.client(world.city_staff).post(reverse("calendars:feed_issue")).status_code == 404
    assert world.client(world.keeper).post(reverse("calendars:feed_revoke")).status_code == 404
    assert world.client(world.deputy_user).get(reverse("calendars:feed_issue")).status_code == 405
    assert not Feed.objects.exists()


def test_the_region_calendar_shows_the_office_its_own_regions(world, agenda, django_assert_max_num_queries):
    url = reverse("calendars_staff:region")
    client = world.client(world.wuzhong_staff)
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert "民营企业走访" in page and "草拟的视察" in page  # the office plans drafts
    assert "姑苏区调研" not in page
    city = world.client(world.city_staff).get(url, {"region": world.gusu.code}).content.decode()
    assert "姑苏区调研" in city and "民营企业走访" not in city
    assert world.client(world.wuzhong_staff).get(url, {"region": world.gusu.code}).status_code == 404
    # A zone's calendar holds its managed towns' activities (唯亭街道 is 吴中区's, managed by 苏州工业园区).
    _activity(world.weiting, "唯亭街道企业走访")
    park = world.client(world.city_staff).get(url, {"region": world.park.code}).content.decode()
    assert "唯亭街道企业走访" in park and "民营企业走访" not in park
    assert_statuses(world, url, {"deputy_user": 404, "keeper": 404, "unit_user": 404, "city_staff": 200})


def test_a_bad_first_day_says_so_and_shows_today(world, agenda):
    response = world.client(world.deputy_user).get(reverse("calendars:mine"), {"from": "2026-13-45"})
    assert response.status_code == 200
    assert response.context["start"] == timezone.localdate()
    assert "2026-13-45" in response.context["error"]


def test_pages_move_by_the_configured_number_of_days(world, agenda, settings):
    settings.CALENDAR_PAGE_DAYS = 2
    client = world.client(world.deputy_user)
    first = client.get(reverse("calendars:mine")).content.decode()
    assert "民营企业走访" in first and world.mudu_home.name not in first  # the duty is three days ahead
    later = client.get(reverse("calendars:mine"), {"from": (timezone.localdate() + dt.timedelta(days=2)).isoformat()})
    assert world.mudu_home.name in later.content.decode()


def test_the_api_gives_the_same_entries(world, agenda):
    from renda.api.tests.helpers import bearer

    deputy, _ = bearer(world.deputy_user)
    response = deputy.get("/api/v1/staff/calendar/mine")
    assert response.status_code == 200
    uids = [entry["uid"] for entry in response.json()]
    assert set(uids) == {
        f"activity-{agenda['published'].pk}",
        f"activity-{agenda['cancelled'].pk}",
        f"duty-{agenda['duty'].pk}",
    }
    bad = deputy.get("/api/v1/staff/calendar/mine", {"days": 0})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_request"
    assert deputy.get("/api/v1/staff/calendar/region").status_code == 404
    office, _ = bearer(world.wuzhong_staff)
    titles = [entry["title"] for entry in office.get("/api/v1/staff/calendar/region").json()]
    assert any("草拟的视察" in title for title in titles) and not any("姑苏" in title for title in titles)
    assert office.get("/api/v1/staff/calendar/region", {"region": world.gusu.code}).status_code == 404
    assert office.get("/api/v1/staff/calendar/mine").status_code == 404


def test_a_rendered_feed_is_kept_for_the_configured_seconds(world, agenda, settings):
    client = world.client(world.deputy_user)
    path = client.post(reverse("calendars:feed_issue")).context["feed_url"].replace(settings.PUBLIC_BASE_URL, "")
    first = world.client(None).get(path).content
    Activity.objects.filter(pk=agenda["published"].pk).update(title="改名后的走访")
    assert world.client(None).get(path).content == first  # the next poll within the window reads the kept copy
    settings.CALENDAR_FEED_CACHE_SECONDS = 0
    assert "改名后的走访" in world.client(None).get(path).content.decode()
