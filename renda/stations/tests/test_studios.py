"""Members' studios (委员工作室): a station kind with CPPCC members on duty, edited by congress staff of its region or
its keeper; the studio's public page lists its members and takes opinions like any station (QR code → form →
the region's inbox)."""

import uuid

import pytest
from django.urls import reverse

from renda.accounts.models import Grant, Role, User
from renda.audit.models import AuditEvent
from renda.opinions.models import Opinion
from renda.opinions.tests.public_helpers import form_data
from renda.stations.models import MemberAssignment, Station, StationKind


@pytest.fixture
def studio(world):
    return Station.objects.create(
        name="吴委员工作室", kind=StationKind.STUDIO, region=world.mudu, public_code="STUD01", address="木渎镇2号"
    )


def test_staff_put_members_on_duty(world, studio):
    client = world.client(world.wuzhong_staff)
    url = reverse("stations:assign_member", args=[studio.pk])
    assert client.post(url, {"member": world.member_wz.pk}).status_code == 302
    assignment = MemberAssignment.objects.get()
    assert (assignment.station, assignment.member) == (studio, world.member_wz)
    assert AuditEvent.objects.filter(action="station.assign_member").exists()
    assert "吴委员" in client.get(reverse("stations:detail", args=[studio.pk])).content.decode()
    # twice, or a member of another region: refused, nothing changed
    assert client.post(url, {"member": world.member_wz.pk}).status_code == 400
    assert client.post(url, {"member": world.member_gs.pk}).status_code == 400
    assert MemberAssignment.objects.count() == 1
    remove = reverse("stations:unassign_member", args=[studio.pk, assignment.pk])
    assert client.post(remove).status_code == 302
    assert not MemberAssignment.objects.exists()


def test_the_studios_keeper_puts_members_on_duty(world, studio):
    keeper = User.objects.create_user(username="studio_keeper", password="x")
    Grant.objects.create(user=keeper, role=Role.STATION_KEEPER, station=studio)
    client = world.client(keeper)
    assert (
        client.post(reverse("stations:assign_member", args=[studio.pk]), {"member": world.member_wz.pk}).status_code
        == 302
    )
    assert MemberAssignment.objects.filter(station=studio).count() == 1


def test_only_studios_have_members(world):
    client = world.client(world.wuzhong_staff)
    response = client.post(reverse("stations:assign_member", args=[world.mudu_home.pk]), {"member": world.member_wz.pk})
    assert response.status_code == 400
    assert not MemberAssignment.objects.exists()


def test_other_regions_and_roles_cannot(world, studio):
    url = reverse("stations:assign_member", args=[studio.pk])
    for user in (world.gusu_staff, world.keeper, world.unit_user, world.deputy_user):
        assert world.client(user).post(url, {"member": world.member_wz.pk}).status_code == 404
    assert not MemberAssignment.objects.exists()


def test_public_page_lists_members_and_takes_opinions(world, studio):
    MemberAssignment.objects.create(station=studio, member=world.member_wz)
    anonymous = world.client(None)
    page = anonymous.get("/s/STUD01/").content.decode()
    assert 'id="studio-members"' in page and "吴委员" in page and "/m/MWZ001/" in page
    assert 'href="/s/STUD01/opinion/"' in page
    response = anonymous.post("/s/STUD01/opinion/", form_data(str(uuid.uuid4())))
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.station, opinion.region) == (studio, world.mudu)
    inbox = world.client(world.wuzhong_staff).get(reverse("opinions:list")).content.decode()
    assert opinion.tracking_code in inbox or "小区门口停车难" in inbox
    assert "小区门口停车难" not in world.client(world.gusu_staff).get(reverse("opinions:list")).content.decode()


def test_a_plain_stations_page_has_no_members_section(world):
    assert 'id="studio-members"' not in world.client(None).get("/s/MUDU01/").content.decode()


def test_a_studio_is_not_coverage_and_exports_with_its_kind(world, studio):
    from renda.stations.coverage import coverage

    MemberAssignment.objects.create(station=studio, member=world.member_wz)
    _rows, total = coverage(world.wuzhong)
    assert (
        total.home + total.liaison + total.point
        == Station.objects.filter(region__path__startswith=world.wuzhong.path).exclude(kind=StationKind.STUDIO).count()
    )
    response = world.client(world.wuzhong_staff).get(reverse("stations:export"))
    assert response.status_code == 200
