"""The Suzhou demo, loaded once per module into a transaction that is rolled back afterwards.

Loading takes a few seconds, so the tests below share one load (module fixture) and each test runs in a savepoint.
"""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q

from renda.accounts.models import Grant, Role, User
from renda.demo import plan as demo_plan
from renda.demo.generate import _places, load_demo
from renda.demo.logins import DEFAULT_PASSWORD, demo_logins
from renda.people.access import deputies_for
from renda.people.models import Deputy, DeputyLevel, Member, Unit
from renda.regions.models import TOWN_KINDS, Region, path_range_q
from renda.stations.access import stations_for
from renda.stations.models import Assignment, Station, StationKind


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = StringIO()
            call_command("load_demo", "--opinions", "0", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def suzhou(demo, db):
    return Region.objects.get(code="320500000000")


def _towns(suzhou):
    """Suzhou's towns and streets: the legal ones, under the nine county-level regions."""
    return Region.objects.filter(path_range_q(suzhou.path), kind__in=TOWN_KINDS, depth=suzhou.depth + 2)


def test_counts_reach_the_article_figures(demo, suzhou):
    in_suzhou = Q(path_range_q(suzhou.path, "region__path"))
    assert Station.objects.filter(in_suzhou).count() >= 1249
    assert Deputy.objects.count() >= 2673
    levels = dict(Deputy.objects.values_list("level").annotate(n=Count("id")))
    assert 20 <= levels[DeputyLevel.NATIONAL] <= 60
    assert 40 <= levels[DeputyLevel.PROVINCIAL] <= 120
    assert 200 <= levels[DeputyLevel.CITY] <= 600
    assert 800 <= levels[DeputyLevel.COUNTY] <= 1400
    assert 1000 <= levels[DeputyLevel.TOWNSHIP] <= 1500
    assert 150 <= levels[DeputyLevel.STREET] <= 300
    assert 200 <= Member.objects.count() <= 600
    assert Member.objects.values("sector").distinct().count() >= 15
    assert Unit.objects.filter(path_range_q(suzhou.path, "region__path")).count() >= 100
    assert "deputies" in demo and "Loaded in" in demo


def test_every_town_and_street_has_one_home_with_one_head(suzhou):
    towns = _towns(suzhou)
    assert towns.count() == 100  # the shipped list: 100 towns and streets
    homes = Station.objects.filter(kind=StationKind.HOME, region__in=towns)
    assert set(homes.values_list("region_id", flat=True)) == set(towns.values_list("id", flat=True))
    for home in Station.objects.filter(kind=StationKind.HOME).annotate(
        heads=Count("assignments", filter=Q(assignments__is_head=True))
    ):
        assert home.heads == 1, home.name


def test_most_but_not_all_villages_have_a_station(suzhou):
    villages = Region.objects.filter(path_range_q(suzhou.path), kind__in=["village", "community"])
    covered = villages.filter(stations__isnull=False).distinct().count()
    assert villages.count() >= 1000
    assert 0.7 < covered / villages.count() < 1.0
    # Zones have stations of their own, and a zone's staff reach the stations of the towns it manages.
    park = Region.objects.get(code="320571000000")
    assert Station.objects.filter(region=park).exists()
    sip = User.objects.get(username="sip")
    park_stations = stations_for(sip)
    assert park_stations.filter(region__code__startswith="320506009").exists()  # 唯亭街道, legally 吴中区
    assert not park_stations.filter(region__code__startswith="320506108").exists()  # 木渎镇 is not the park's


def test_synthetic_villages_follow_the_code_convention_and_are_marked(suzhou):
    villages = Region.objects.filter(path_range_q(suzhou.path), kind__in=["village", "community"])
    assert not villages.filter(is_demo=False).exists()
    assert not villages.filter(is_official=True).exists()
    for region in villages.select_related("parent"):
        assert region.code[:9] == region.parent.code[:9]
        local = int(region.code[9:])
        assert (1 <= local <= 199) if region.kind == "community" else (201 <= local <= 399), region.code
        assert region.parent.kind in TOWN_KINDS
        assert region.path == region.parent.path + region.code and region.depth == region.parent.depth + 1
    # Streets have communities only.
    assert not villages.filter(kind="village", parent__kind="street").exists()


def test_every_deputy_serves_somewhere_and_stations_look_real(suzhou):
    assert not Deputy.objects.filter(assignments__isnull=True).exists()
    higher = Deputy.objects.filter(level__in=[DeputyLevel.NATIONAL, DeputyLevel.PROVINCIAL, DeputyLevel.CITY])
    assert higher.annotate(n=Count("assignments")).filter(n__gt=2).count() == 0
    assert Assignment.objects.filter(station__region__kind="zone").exists()  # some serve in a zone
    (lat_min, lat_max), (lng_min, lng_max) = (Decimal("30.75"), Decimal("32.05")), (Decimal("119.9"), Decimal("121.35"))
    for station in Station.objects.all():
        assert lat_min <= station.latitude <= lat_max and lng_min <= station.longitude <= lng_max, station.name
        assert station.address and station.reception_hours and station.opening_hours and station.theme
        assert re.fullmatch(r"0512-6\d{7}", station.phone), station.phone  # a desk phone, shown on the public page
        assert demo_plan.is_demo_code(station.public_code)
    deputy = Deputy.objects.filter(level=DeputyLevel.COUNTY).select_related("electoral_region").first()
    assert deputy.electoral_region.kind in TOWN_KINDS
    assert deputy.term == 18 and deputy.biography and deputy.work_unit and deputy.delegation
    assert len(deputy.phone) == 11 and deputy.masked_phone.count("*") == 4
    assert Deputy.objects.filter(level=DeputyLevel.NATIONAL).first().electoral_region.code == "320000000000"


def test_phones_are_encrypted_at_rest(suzhou):
    deputy = Deputy.objects.first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM people_deputy WHERE id = %s", [deputy.pk])
        (stored,) = cursor.fetchone()
    assert deputy.phone.startswith("1") and deputy.phone not in stored


def test_demo_accounts_sign_in_and_see_their_own_region(suzhou, client):
    usernames = {login.username for login in demo_logins({})}
    assert set(User.objects.filter(username__in=usernames).values_list("username", flat=True)) == usernames
    assert client.login(username="wuzhong", password=DEFAULT_PASSWORD)
    assert client.get("/staff/").status_code == 200
    wuzhong = User.objects.get(username="wuzhong")
    assert Grant.objects.get(user=wuzhong).region.name == "吴中区"
    deputy_user = User.objects.get(username="deputy.demo")
    assert list(deputies_for(deputy_user)) == [deputy_user.deputy]
    keeper = User.objects.get(username="keeper.mudu")
    assert Grant.objects.get(user=keeper, role=Role.STATION_KEEPER).station.name == "木渎镇人大代表之家"
    assert Assignment.objects.get(deputy=deputy_user.deputy, is_head=True).station.name == "木渎镇人大代表之家"
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="sysadmin").is_superuser
    # The shared demo password is in each account's history: changing it and back again is refused.
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    wuzhong.set_password("Demo#Changed1")
    with pytest.raises(ValidationError) as refused:
        validate_password(DEFAULT_PASSWORD, wuzhong)
    assert "password_reused" in {error.code for error in refused.value.error_list}


def test_a_second_run_changes_no_counts(suzhou):
    def counts():
        return [model.objects.count() for model in (Region, Station, Deputy, Member, Unit, Assignment, User, Grant)] + [
            Assignment.objects.filter(is_head=True).count(),
            Deputy.objects.filter(user__isnull=False).count(),
        ]

    before = counts()
    summary = load_demo()
    assert counts() == before
    assert sum(summary.created.values()) == 0


def test_the_plan_is_deterministic_and_scales(suzhou):
    places = _places()
    first, again = demo_plan.Planner(places).build(), demo_plan.Planner(places).build()
    assert first == again
    double = demo_plan.Planner(places, scale=2).build()
    assert len(double.deputies) == 2 * len(first.deputies)
    assert len(double.stations) >= 2 * 1249 and len(double.villages) > 1.9 * len(first.villages)
    codes = [spec.code for spec in double.stations] + [spec.code for spec in double.deputies]
    assert len(codes) == len(set(codes))


def test_demo_logins_lists_the_accounts(suzhou):
    out = StringIO()
    call_command("demo_logins", "--port", "8765", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8765/" in text and "http://127.0.0.1:8765/staff/" in text
    for login in demo_logins({}):
        assert f"  {login.username} " in text
    assert DEFAULT_PASSWORD in text and "木渎镇人大代表之家" in text
