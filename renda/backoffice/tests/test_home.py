"""The staff home: one section per role, each count the number of rows its link lists (through HTTP, then the DB)."""

import datetime
import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import Grant, Role, User
from renda.backoffice import home as home_module
from renda.backoffice.home import Count
from renda.opinions.tests.staff_helpers import make_opinion
from renda.opinions.workflow import State
from renda.receptions.rules import china_today
from renda.receptions.tests.helpers import on_duty, reception_day, sitting
from renda.suggestions.models import UnitTask
from renda.suggestions.tests.helpers import make_suggestion
from renda.suggestions.workflow import State as SState
from renda.testing import PASSWORD

COUNT = re.compile(
    r'<a class="home-count[^"]*" href="([^"]+)" data-count="([^"]+)"><span class="stat">(\d+)</span>', re.S
)
OPINION_LINK = re.compile(r'href="/staff/opinions/(\d+)/"')
SUGGESTION_LINK = re.compile(r'href="/suggestions/(\d+)/"')


def counts(client) -> dict[str, tuple[int, str]]:
    response = client.get("/staff/")
    assert response.status_code == 200
    return {key: (int(n), html.unescape(href)) for href, key, n in COUNT.findall(response.content.decode())}


def listed(client, href, pattern=OPINION_LINK) -> set[int]:
    response = client.get(href)
    assert response.status_code == 200
    return {int(pk) for pk in pattern.findall(response.content.decode())}


def sections(client) -> list[str]:
    return re.findall(r'<section class="card home-section" id="home-(\w+)"', client.get("/staff/").content.decode())


@pytest.fixture
def opinions(world):
    """吴中区 (木渎镇代表之家): two new, one handled by the station and overdue and escalated, one forwarded to the unit
    due in three days, one forwarded and overdue, one finished long overdue (not counted); 姑苏区: one new."""
    now = timezone.now()
    return {
        "new1": make_opinion(world),
        "new2": make_opinion(world, State.ACCEPTED, due_at=now + timedelta(days=20)),
        "late": make_opinion(world, State.HANDLING, due_at=now - timedelta(days=2), escalated_at=now),
        "unit_soon": make_opinion(world, State.FORWARDED, due_at=now + timedelta(days=3)),
        "unit_late": make_opinion(world, State.FORWARDED, due_at=now - timedelta(days=1)),
        "done": make_opinion(world, State.FINAL, due_at=now - timedelta(days=9), escalated_at=now),
        "gusu": make_opinion(world, station=world.canglang_home),
    }


def pks(opinions, *names):
    return {opinions[name].pk for name in names}


def test_staff_counts_link_to_exactly_their_opinions(world, opinions):
    client = world.client(world.wuzhong_staff)
    found = counts(client)
    expected = {
        "staff-waiting": pks(opinions, "new1", "new2", "late"),
        "staff-overdue": pks(opinions, "late", "unit_late"),
        "staff-escalated": pks(opinions, "late"),
    }
    for key, rows in expected.items():
        n, href = found[key]
        assert n == len(rows), key
        assert listed(client, href) == rows, key
    # Another district's staff sees only their own opinion.
    gusu = counts(world.client(world.gusu_staff))
    assert gusu["staff-waiting"][0] == 1 and gusu["staff-overdue"][0] == 0


def test_keeper_counts_and_todays_roster(world, opinions):
    today = china_today()
    reception = sitting(None, world.mudu_home, date=today, starts=datetime.time(9), ends=datetime.time(11))
    on_duty(reception, world.deputy_wz)
    past = sitting(
        None, world.mudu_home, date=today - timedelta(days=3), starts=datetime.time(9), ends=datetime.time(11)
    )
    on_duty(past, world.deputy_city)
    client = world.client(world.keeper)
    found = counts(client)
    n, href = found["keeper-new"]
    assert (n, listed(client, href)) == (1, pks(opinions, "new1"))
    n, href = found["keeper-waiting"]
    assert (n, listed(client, href)) == (3, pks(opinions, "new1", "new2", "late"))
    n, href = found["keeper-attendance"]  # held up to today, attendance not recorded: today's and the past one
    assert n == 2
    assert set(re.findall(r'data-reception="(\d+)"', client.get(href).content.decode())) == {
        str(reception.pk),
        str(past.pk),
    }
    page = client.get("/staff/").content.decode()
    roster = page[page.index('id="home-today-roster"') :]
    assert "吴测试" in roster and f"/staff/receptions/roster/receptions/{reception.pk}/" in roster
    assert sections(client) == ["keeper"]


def test_deputy_duty_check_in_and_waiting(world, opinions):
    today = china_today()
    reception = sitting(None, world.mudu_home, date=today, starts=datetime.time(14), ends=datetime.time(16))
    (duty,) = on_duty(reception, world.deputy_wz)
    coming = sitting(
        None, world.mudu_home, date=today + timedelta(days=7), starts=datetime.time(9), ends=datetime.time(11)
    )
    on_duty(coming, world.deputy_wz)
    client = world.client(world.deputy_user)
    page = client.get("/staff/").content.decode()
    assert f'href="/staff/receptions/mine/{duty.pk}/#checkin"' in page
    found = counts(client)
    n, href = found["deputy-waiting"]
    assert (n, listed(client, href)) == (3, pks(opinions, "new1", "new2", "late"))
    assert found["deputy-votes"] == (0, "/staff/projects/mine/")
    # Checked in: the button gives way to the time.
    duty.checked_in_at = timezone.now()
    duty.save(update_fields=["checked_in_at"])
    assert "#checkin" not in client.get("/staff/").content.decode()


def test_deputy_suggestions_to_sign_and_rate(world):
    signing = make_suggestion(world, SState.SIGNING)
    answered = make_suggestion(world, SState.ANSWERED)
    client = world.client(world.signer)  # deputy_city's account: invited to sign one, co-signed the other
    found = counts(client)
    assert found["deputy-invitations"][0] == 1
    assert found["deputy-to_rate"][0] == 1
    page = client.get(found["deputy-invitations"][1].split("#")[0]).content.decode()
    invitations = page[page.index('id="invitations"') : page.index('id="to-rate"')]
    to_rate = page[page.index('id="to-rate"') :].split("</section>")[0]
    assert set(SUGGESTION_LINK.findall(invitations)) == {str(signing.pk)}
    assert set(SUGGESTION_LINK.findall(to_rate)) == {str(answered.pk)}


def test_unit_counts_due_this_week_and_overdue(world, opinions):
    soon = make_suggestion(world, SState.ASSIGNED)
    late = make_suggestion(world, SState.ASSIGNED)
    UnitTask.objects.filter(suggestion=soon, unit=world.wuzhong_unit).update(due_at=timezone.now() + timedelta(days=2))
    UnitTask.objects.filter(suggestion=late, unit=world.wuzhong_unit).update(due_at=timezone.now() - timedelta(days=2))
    make_suggestion(world, SState.ASSIGNED)  # due in 60 days: neither
    client = world.client(world.unit_user)
    found = counts(client)
    n, href = found["unit-opinions_soon"]
    assert (n, listed(client, href)) == (1, pks(opinions, "unit_soon"))
    n, href = found["unit-overdue"]
    assert (n, listed(client, href)) == (1, pks(opinions, "unit_late"))
    n, href = found["unit-tasks_soon"]
    assert (n, listed(client, href, SUGGESTION_LINK)) == (1, {soon.pk})
    n, href = found["unit-tasks_overdue"]
    assert (n, listed(client, href, SUGGESTION_LINK)) == (1, {late.pk})


def test_office_suggestion_counts(world):
    submitted = make_suggestion(world, SState.SUBMITTED)
    late = make_suggestion(world, SState.REGISTERED, due_at=timezone.now() - timedelta(days=1))
    client = world.client(world.wuzhong_staff)
    found = counts(client)
    n, href = found["staff-suggestions_submitted"]
    assert (n, listed(client, href, SUGGESTION_LINK)) == (1, {submitted.pk})
    n, href = found["staff-suggestions_overdue"]
    assert (n, listed(client, href, SUGGESTION_LINK)) == (1, {late.pk})


def test_several_grants_one_section_each_counted_apart(world, opinions):
    Grant.objects.create(user=world.keeper, role=Role.DEPUTY, deputy=world.deputy_gs)
    client = world.client(world.keeper)
    assert sections(client) == ["keeper", "deputy"]
    found = counts(client)
    # As keeper of 木渎镇代表之家: its three; as the deputy of 沧浪街道代表之家: the 姑苏区 one.
    n, href = found["deputy-waiting"]
    assert (n, listed(client, href)) == (1, pks(opinions, "gusu"))
    n, href = found["keeper-waiting"]
    assert (n, listed(client, href)) == (3, pks(opinions, "new1", "new2", "late"))


def test_staff_home_lists_the_coming_reception_days(world):
    today = china_today()
    day = reception_day(world.wuzhong, title="统一接待日", date=today, status="published")
    reception_day(world.gusu, title="姑苏接待日", date=today + timedelta(days=2), status="published")
    page = world.client(world.wuzhong_staff).get("/staff/").content.decode()
    block = page[page.index('id="home-campaigns"') :]
    assert f"/staff/receptions/campaigns/{day.pk}/" in block and "姑苏接待日" not in block


def test_admin_sections(world):
    security = User.objects.create_user(username="secadmin", password=PASSWORD)
    Grant.objects.create(user=security, role=Role.SECURITY_ADMIN, region=world.suzhou)
    auditor = User.objects.create_user(username="auditor", password=PASSWORD)
    Grant.objects.create(user=auditor, role=Role.AUDIT_ADMIN, region=world.jiangsu)
    for _ in range(6):
        world.client(None).post("/accounts/login/", {"username": "keeper", "password": "wrong"})
    found = counts(world.client(security))
    assert found["security-locked"] == (1, "/accounts/locks/")
    assert "keeper" in world.client(security).get("/accounts/locks/").content.decode()
    found = counts(world.client(auditor))
    assert found["audit-failed"][0] >= 5
    assert "action=login.failed" in found["audit-failed"][1]
    assert sections(world.client(world.sysadmin)) == ["system"]


def test_invitations_activities_to_confirm_and_exports_in_progress(world):
    """Counts other apps add: a deputy's invitations to answer (published, not started, not answered), the office's
    self-recorded activities to confirm, and the user's own exports still running."""
    from renda.activities.models import Activity, Answer, Invitation, Kind, Origin, Status
    from renda.exports.models import ExportJob, ExportStatus

    kind = Kind.objects.get(code="research")
    soon = timezone.now() + timedelta(days=2)

    def activity(status, **extra):
        return Activity.objects.create(region=world.wuzhong, kind=kind, title="走访", starts_at=soon,
                                       ends_at=soon + timedelta(hours=1), status=status, **extra)  # fmt: skip

    answered, pending, draft = (
        Invitation.objects.create(activity=activity(status), deputy=world.deputy_wz)
        for status in (Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT)
    )
    Invitation.objects.filter(pk=answered.pk).update(answer=Answer.ATTEND)
    activity(Status.REPORTED, origin=Origin.SELF_REPORTED)
    ExportJob.objects.create(kind="opinions", title="意见导出", status=ExportStatus.RUNNING,
                             created_by=world.wuzhong_staff, download_name="opinions.xlsx")  # fmt: skip
    deputy = counts(world.client(world.deputy_user))
    assert deputy["deputy-activity_invitations"] == (1, reverse("activities_my:list"))
    staff = counts(world.client(world.wuzhong_staff))
    assert staff["staff-activities_reported"][0] == 1
    assert staff["staff-exports"] == (1, reverse("exports:list"))
    gusu = counts(world.client(world.gusu_staff))
    assert gusu["staff-activities_reported"][0] == 0 and gusu["staff-exports"][0] == 0


def test_extra_counts_spot_for_other_apps(world, monkeypatch):
    """The activities app's invitations go into the deputy's section through EXTRA_COUNTS (the lead wires it)."""
    extra = lambda user, today: [Count("invitations to answer", 2, "/staff/", key="activity_invitations")]  # noqa: E731
    monkeypatch.setitem(home_module.EXTRA_COUNTS, "deputy", [extra])
    assert counts(world.client(world.deputy_user))["deputy-activity_invitations"] == (2, "/staff/")


@pytest.mark.parametrize(
    ("name", "queries"), [("city_staff", 12), ("keeper", 7), ("deputy_user", 15), ("unit_user", 6)]
)
def test_home_query_count_is_pinned(world, opinions, name, queries, django_assert_max_num_queries):
    """A fixed number of queries per role, whatever the number of rows: each table one aggregate (congress staff of a
    city or a district: one more, the summary's open count that decides between it and a live count)."""
    client = world.client(getattr(world, name))
    client.get("/staff/")
    with django_assert_max_num_queries(queries):
        assert client.get("/staff/").status_code == 200


def test_outsider_has_no_home(world):
    assert world.client(world.outsider).get("/staff/").status_code == 404


def test_big_scopes_read_their_counts_from_the_summary_as_of_its_refresh(world, opinions, settings):
    """Above HOME_SUMMARY_ABOVE open opinions a city's or district's staff read the dashboards' summary (the same
    counts, by due day), and the page says as of when; the lists stay live; smaller scopes and zones count live."""
    from renda.dashboards.refresh import refresh

    live = {name: counts(world.client(getattr(world, name))) for name in ("city_staff", "wuzhong_staff", "park_staff")}
    settings.HOME_SUMMARY_ABOVE = 2  # 吴中区 holds 5 open opinions, the city 6
    client = world.client(world.wuzhong_staff)
    assert "home-staff-as-of" not in client.get("/staff/").content.decode()  # no refresh yet: live
    refresh()
    page = client.get("/staff/").content.decode()
    assert 'id="home-staff-as-of"' in page
    for name in ("city_staff", "wuzhong_staff"):
        found = counts(world.client(getattr(world, name)))
        for key in ("staff-waiting", "staff-overdue", "staff-escalated"):
            assert found[key] == live[name][key], (name, key)
    # An opinion submitted since shows in the list at once and in the counts at the next refresh.
    extra = make_opinion(world)
    found = counts(client)
    assert found["staff-waiting"][0] == 3 and extra.pk in listed(client, found["staff-waiting"][1])
    refresh()
    assert counts(client)["staff-waiting"][0] == 4
    # A zone's scope reaches towns below the summary's levels: counted live, no as-of line.
    park = world.client(world.park_staff)
    assert counts(park) == live["park_staff"] and "home-staff-as-of" not in park.get("/staff/").content.decode()
    # A summary older than HOME_SUMMARY_MAX_AGE_MINUTES (the periodic job stopped): live again, the new one counted.
    from renda.dashboards.models import Freshness

    refreshed = Freshness.objects.get().refreshed_at
    Freshness.objects.update(refreshed_at=refreshed - timedelta(minutes=settings.HOME_SUMMARY_MAX_AGE_MINUTES + 1))
    assert "home-staff-as-of" not in client.get("/staff/").content.decode()
    Freshness.objects.update(refreshed_at=refreshed)
    # At or under the threshold: live.
    settings.HOME_SUMMARY_ABOVE = 6
    assert "home-staff-as-of" not in client.get("/staff/").content.decode()
    settings.HOME_SUMMARY_ABOVE = 0
    assert "home-staff-as-of" not in world.client(world.city_staff).get("/staff/").content.decode()


def test_the_summary_home_query_count_is_pinned(world, opinions, settings, django_assert_max_num_queries):
    from renda.dashboards.refresh import refresh

    settings.HOME_SUMMARY_ABOVE = 1
    refresh()
    client = world.client(world.city_staff)
    assert 'id="home-staff-as-of"' in client.get("/staff/").content.decode()
    with django_assert_max_num_queries(12):
        assert client.get("/staff/").status_code == 200
