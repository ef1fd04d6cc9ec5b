"""On the day, through HTTP with frozen time: the deputy's phone pages, check-in and each of its refusals, visitors,
opinions on a visitor's behalf (both rows or neither, then in the keeper's inbox), and other people's duties (404)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from renda.accounts.models import Grant, Role, User
from renda.audit.models import AuditEvent
from renda.opinions.models import Category, Opinion
from renda.receptions.actions import onsite
from renda.receptions.models import Campaign, Reception, ReceptionOpinion, Visit
from renda.workdays.calendar import CHINA

from .helpers import on_duty, reception_day, sitting

DAY = datetime.date(2026, 11, 20)
ON_THE_DAY = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=CHINA)
# 木渎镇代表之家's coordinates; NEAR is about 110 m north, FAR about 2.2 km north.
STATION = (Decimal("31.260000"), Decimal("120.550000"))
NEAR = ("31.261000", "120.550000")
FAR = ("31.280000", "120.550000")


@pytest.fixture
def day(world):
    """A published 吴中区 reception day at 木渎镇代表之家 with deputy_wz (deputy_user) and deputy_city on duty."""
    station = world.mudu_home
    station.latitude, station.longitude = STATION
    station.save(update_fields=["latitude", "longitude"])
    campaign = reception_day(
        world.wuzhong, title="吴中区代表接待日", date=DAY, ends=datetime.time(11, 30), status="published"
    )
    reception = sitting(campaign, station, published_at=ON_THE_DAY - datetime.timedelta(days=5))
    own, other = on_duty(reception, world.deputy_wz, world.deputy_city)
    return type("Day", (), {"campaign": campaign, "reception": reception, "own": own, "other": other})


def url(name, duty):
    return reverse(f"receptions:{name}", kwargs={"duty_pk": duty.pk})


def snapshot(duty):
    duty.refresh_from_db()
    return (duty.attendance, duty.checked_in_at, duty.checkin_latitude, duty.checkin_longitude, duty.checkin_distance)


def error_text(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else response.content.decode()


@time_machine.travel(ON_THE_DAY, tick=False)
def test_my_receptions_lists_today_first(world, day):
    later = sitting(
        None,
        world.mudu_home,
        date=DAY + datetime.timedelta(days=7),
        starts=datetime.time(9),
        ends=datetime.time(10),
        kind="one_off",
    )
    on_duty(later, world.deputy_wz)
    response = world.client(world.deputy_user).get(reverse("receptions:my_duties"))
    assert response.status_code == 200
    assert [d.pk for d in response.context["today_duties"]] == [day.own.pk]
    assert [d.reception_id for d in response.context["coming"]] == [later.pk]
    assert url("my_duty", day.own) in response.content.decode()
    assert url("my_duty", day.other) not in response.content.decode()  # deputy_city's duty is not theirs
    # Not a deputy: an empty page, nothing of anyone's duties.
    staff_page = world.client(world.wuzhong_staff).get(reverse("receptions:my_duties"))
    assert staff_page.status_code == 200 and not staff_page.context["today_duties"]


@time_machine.travel(ON_THE_DAY, tick=False)
def test_duty_page_loads_the_checkin_script_and_forms(world, day):
    response = world.client(world.deputy_user).get(url("my_duty", day.own))
    text = response.content.decode()
    assert response.status_code == 200
    assert "receptions/checkin.js" in text and 'id="checkin-form"' in text
    assert "<script>" not in text  # no inline script (CSP)


@time_machine.travel(ON_THE_DAY, tick=False)
def test_check_in_near_the_station(world, day):
    response = world.client(world.deputy_user).post(
        url("check_in", day.own), {"latitude": NEAR[0], "longitude": NEAR[1]}
    )
    assert response.status_code == 302
    day.own.refresh_from_db()
    assert day.own.attendance == "attended"
    assert day.own.checked_in_at == ON_THE_DAY
    assert day.own.checkin_latitude == Decimal(NEAR[0]) and day.own.checkin_longitude == Decimal(NEAR[1])
    assert 100 <= day.own.checkin_distance <= 120
    event = AuditEvent.objects.get(action="reception.check_in")
    assert event.object_id == str(day.own.pk) and event.region_path == world.mudu.path
    assert snapshot(day.other)[0] == "expected"  # the other deputy is untouched


@time_machine.travel(ON_THE_DAY, tick=False)
def test_check_in_without_a_position_is_accepted_without_distance(world, day):
    response = world.client(world.deputy_user).post(url("check_in", day.own), {"latitude": "", "longitude": ""})
    assert response.status_code == 302
    assert snapshot(day.own) == ("attended", ON_THE_DAY, None, None, None)


@time_machine.travel(ON_THE_DAY, tick=False)
def test_check_in_far_from_the_station_is_refused_and_says_how_far(world, day):
    before = snapshot(day.own)
    response = world.client(world.deputy_user).post(
        url("check_in", day.own), {"latitude": FAR[0], "longitude": FAR[1]}, follow=True
    )
    text = error_text(response)
    assert "2.2" in text and "木渎镇代表之家" in text  # "2.2 公里" / "2.2 km"
    assert snapshot(day.own) == before
    assert not AuditEvent.objects.filter(action="reception.check_in").exists()


@time_machine.travel(ON_THE_DAY, tick=False)
def test_check_in_twice_is_refused_and_keeps_the_first(world, day):
    client = world.client(world.deputy_user)
    client.post(url("check_in", day.own), {"latitude": NEAR[0], "longitude": NEAR[1]})
    first = snapshot(day.own)
    with time_machine.travel(ON_THE_DAY + datetime.timedelta(minutes=5), tick=False):
        response = client.post(url("check_in", day.own), {}, follow=True)
    assert "09:30" in error_text(response)
    assert snapshot(day.own) == first
    assert AuditEvent.objects.filter(action="reception.check_in").count() == 1


@pytest.mark.parametrize(
    "moment",
    [
        ON_THE_DAY - datetime.timedelta(days=1),
        ON_THE_DAY + datetime.timedelta(days=1),
        # 23:30 UTC on the 19th is already the 20th in Beijing, and 16:30 UTC on the 20th is the 21st there.
        datetime.datetime(2026, 11, 20, 16, 30, tzinfo=datetime.UTC),
    ],
)
def test_check_in_not_on_the_day_is_refused(world, day, moment):
    before = snapshot(day.own)
    with time_machine.travel(moment, tick=False):
        response = world.client(world.deputy_user).post(url("check_in", day.own), {}, follow=True)
    assert "2026" in error_text(response)  # names the reception's date
    assert snapshot(day.own) == before


def test_china_midnight_decides_the_day(world, day):
    with time_machine.travel(datetime.datetime(2026, 11, 19, 16, 30, tzinfo=datetime.UTC), tick=False):
        response = world.client(world.deputy_user).post(url("check_in", day.own), {})
    assert response.status_code == 302
    assert snapshot(day.own)[0] == "attended"


@time_machine.travel(ON_THE_DAY, tick=False)
def test_check_in_at_a_cancelled_reception_is_refused(world, day):
    Reception.objects.filter(pk=day.reception.pk).update(status="cancelled", cancel_reason="暴雨")
    before = snapshot(day.own)
    response = world.client(world.deputy_user).post(url("check_in", day.own), {}, follow=True)
    assert response.redirect_chain and snapshot(day.own) == before
    assert "cancelled" in error_text(response) or "取消" in error_text(response)


@time_machine.travel(ON_THE_DAY, tick=False)
def test_check_in_on_a_finished_day_is_refused(world, day):
    Campaign.objects.filter(pk=day.campaign.pk).update(status="finished", finished_at=ON_THE_DAY)
    before = snapshot(day.own)
    response = world.client(world.deputy_user).post(url("check_in", day.own), {}, follow=True)
    assert response.redirect_chain and snapshot(day.own) == before
    assert "finished" in error_text(response) or "结束" in error_text(response)


@time_machine.travel(ON_THE_DAY, tick=False)
def test_a_half_position_is_a_form_error(world, day):
    response = world.client(world.deputy_user).post(url("check_in", day.own), {"latitude": NEAR[0]})
    assert response.status_code == 400
    assert snapshot(day.own)[0] == "expected"


@time_machine.travel(ON_THE_DAY, tick=False)
def test_check_in_action_refuses_someone_else(world, day):
    with pytest.raises(onsite.OnsiteError):
        onsite.check_in(day.other, world.deputy_user)
    assert snapshot(day.other)[0] == "expected"


@time_machine.travel(ON_THE_DAY, tick=False)
def test_nobody_reaches_another_deputys_duty(world, day):
    city_user = User.objects.create_user("city_deputy", password="x")
    Grant.objects.create(user=city_user, role=Role.DEPUTY, deputy=world.deputy_city)
    for name in ("my_duty", "check_in", "record_visit", "record_opinion"):
        target = url(name, day.other)
        for user in (world.deputy_user, world.keeper, world.wuzhong_staff, world.outsider):
            client = world.client(user)
            if name == "my_duty":
                assert client.get(target).status_code == 404, (name, user)
            assert client.post(target, {"count": 3, "latitude": "", "longitude": ""}).status_code == 404, (name, user)
    # deputy_city's own account does reach it
    assert world.client(city_user).get(url("my_duty", day.other)).status_code == 200
    assert snapshot(day.other)[0] == "expected" and not Visit.objects.exists()


@time_machine.travel(ON_THE_DAY, tick=False)
def test_visitors_after_checking_in(world, day):
    client = world.client(world.deputy_user)
    refused = client.post(url("record_visit", day.own), {"count": 3, "topics": "停车"}, follow=True)
    assert not Visit.objects.exists() and refused.redirect_chain  # check in first
    client.post(url("check_in", day.own), {})
    assert client.post(url("record_visit", day.own), {"count": 3, "topics": "小区停车难"}).status_code == 302
    assert client.post(url("record_visit", day.own), {"count": 2, "topics": ""}).status_code == 302
    visits = list(Visit.objects.order_by("pk").values_list("reception_id", "duty_id", "count", "topics", "recorded_by"))
    assert visits == [
        (day.reception.pk, day.own.pk, 3, "小区停车难", world.deputy_user.pk),
        (day.reception.pk, day.own.pk, 2, "", world.deputy_user.pk),
    ]
    assert AuditEvent.objects.filter(action="reception.record_visit").count() == 2
    page = client.get(url("my_duty", day.own)).content.decode()
    assert "小区停车难" in page


@time_machine.travel(ON_THE_DAY, tick=False)
@pytest.mark.parametrize("count", ["0", "-1", "abc", ""])
def test_bad_visitor_counts_are_form_errors(world, day, count):
    client = world.client(world.deputy_user)
    client.post(url("check_in", day.own), {})
    response = client.post(url("record_visit", day.own), {"count": count})
    assert response.status_code == 400
    assert response.context["visit_form"].errors["count"]
    assert not Visit.objects.exists()


def checked_in(world, day):
    client = world.client(world.deputy_user)
    client.post(url("check_in", day.own), {})
    return client


OPINION_TEXT = "小区门口的路灯坏了两个月，晚上出行很不安全，希望尽快修好。"


@time_machine.travel(ON_THE_DAY, tick=False)
def test_opinion_on_a_visitors_behalf_enters_the_station_inbox(world, day):
    category = Category.objects.filter(is_active=True).first()
    client = checked_in(world, day)
    response = client.post(
        url("record_opinion", day.own),
        {"category": category.pk, "text": OPINION_TEXT, "phone": "139 1234 5678", "consent": "on"},
    )
    assert response.status_code == 302
    tag = ReceptionOpinion.objects.get()
    opinion = tag.opinion
    assert (tag.reception, tag.campaign, tag.duty) == (day.reception, day.campaign, day.own)
    assert opinion.status == "submitted"
    assert (opinion.station, opinion.deputy, opinion.category) == (world.mudu_home, world.deputy_wz, category)
    assert opinion.text == OPINION_TEXT
    assert opinion.submitter_name == "" and opinion.submitter_phone == "13912345678" and opinion.consent
    assert AuditEvent.objects.filter(action="reception.record_opinion", object_id=str(day.own.pk)).exists()
    inbox = world.client(world.keeper).get(reverse("opinions:list"), {"status": ""}).content.decode()
    assert opinion.tracking_code in inbox or OPINION_TEXT[:10] in inbox
    assert world.client(world.keeper).get(reverse("opinions:detail", args=[opinion.pk])).status_code == 200


@time_machine.travel(ON_THE_DAY, tick=False)
def test_opinion_without_consent_or_with_bad_input_records_nothing(world, day):
    category = Category.objects.filter(is_active=True).first()
    client = checked_in(world, day)
    cases = [
        {"category": category.pk, "text": OPINION_TEXT},  # no consent
        {"category": category.pk, "text": "短", "consent": "on"},
        {"category": "", "text": OPINION_TEXT, "consent": "on"},
        {"category": category.pk, "text": OPINION_TEXT, "phone": "12345", "consent": "on"},
        {"category": category.pk, "text": "长" * 2001, "consent": "on"},
    ]
    for data in cases:
        response = client.post(url("record_opinion", day.own), data)
        assert response.status_code == 400, data
        assert response.context["opinion_form"].errors
    assert not Opinion.objects.exists() and not ReceptionOpinion.objects.exists()


@time_machine.travel(ON_THE_DAY, tick=False)
def test_a_double_tap_files_one_opinion(world, day):
    category = Category.objects.filter(is_active=True).first()
    client = checked_in(world, day)
    data = {
        "category": category.pk,
        "text": OPINION_TEXT,
        "consent": "on",
        "client_token": "0b0e8a52-54b2-4c55-8c1e-2f1b2f3c4d5e",
    }
    client.post(url("record_opinion", day.own), data)
    client.post(url("record_opinion", day.own), data)
    assert Opinion.objects.count() == 1 and ReceptionOpinion.objects.count() == 1


@time_machine.travel(ON_THE_DAY, tick=False)
def test_opinion_and_tag_are_written_together_or_not_at_all(world, day, monkeypatch):
    category = Category.objects.filter(is_active=True).first()
    client = checked_in(world, day)

    def broken(*args, **kwargs):
        raise RuntimeError("the tag could not be written")

    monkeypatch.setattr(ReceptionOpinion.objects, "get_or_create", broken)
    with pytest.raises(RuntimeError):
        client.post(url("record_opinion", day.own), {"category": category.pk, "text": OPINION_TEXT, "consent": "on"})
    assert not Opinion.objects.exists() and not ReceptionOpinion.objects.exists()


def test_opinion_only_on_the_day(world, day):
    category = Category.objects.filter(is_active=True).first()
    with time_machine.travel(ON_THE_DAY, tick=False):
        client = checked_in(world, day)
    with time_machine.travel(ON_THE_DAY + datetime.timedelta(days=1), tick=False):
        response = client.post(
            url("record_opinion", day.own), {"category": category.pk, "text": OPINION_TEXT, "consent": "on"}
        )
        assert response.status_code == 302
        assert client.post(url("record_visit", day.own), {"count": 1}).status_code == 302
    assert not Opinion.objects.exists() and not Visit.objects.exists()


@time_machine.travel(ON_THE_DAY, tick=False)
def test_a_roster_reception_without_a_campaign_takes_check_ins_too(world):
    reception = sitting(None, world.mudu_home, date=DAY, starts=datetime.time(9), ends=datetime.time(11))
    [duty] = on_duty(reception, world.deputy_wz)
    client = world.client(world.deputy_user)
    assert client.post(url("check_in", duty), {"latitude": NEAR[0], "longitude": NEAR[1]}).status_code == 302
    # The station has no coordinates here: the position is kept, the distance cannot be measured.
    assert snapshot(duty) == ("attended", ON_THE_DAY, Decimal(NEAR[0]), Decimal(NEAR[1]), None)
    assert client.post(url("record_visit", duty), {"count": 1}).status_code == 302
    assert Visit.objects.get().reception == reception


def test_the_receptions_home_links_to_the_day_pages(world):
    deputy_home = world.client(world.deputy_user).get(reverse("receptions:home")).content.decode()
    assert reverse("receptions:my_duties") in deputy_home and reverse("receptions:boards") not in deputy_home
    for user in (world.wuzhong_staff, world.keeper):
        home = world.client(user).get(reverse("receptions:home")).content.decode()
        assert reverse("receptions:boards") in home and reverse("receptions:my_duties") not in home


@time_machine.travel(ON_THE_DAY, tick=False)
def test_the_check_in_message_and_the_card_say_the_same_distance(world, day):
    """Issue 11 item 10: one distance format everywhere (renda.core.geo.format_distance), so the message right after
    checking in and the duty card below it agree ("距站点110 米" twice, not "110 米" and "113米")."""
    import re

    response = world.client(world.deputy_user).post(
        url("check_in", day.own), {"latitude": NEAR[0], "longitude": NEAR[1]}, follow=True
    )
    message = error_text(response)
    said = re.search(r"距站点(.+?)。", message).group(1)
    page = response.content.decode()
    shown = re.findall(r"距站点(.+?)。", page.split("</header>")[-1])
    assert said in shown, (said, shown)
    assert all(distance == said for distance in shown)
    day.own.refresh_from_db()
    assert said.replace(" ", "").rstrip("米").isdigit() and int(said.replace(" ", "").rstrip("米")) % 10 == 0
