"""Deputies at stations: add (from the user's deputies only), remove, set head; one head per station."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.stations import actions
from renda.stations.models import Assignment
from renda.testing import assert_statuses

from .helpers import make_deputy

NOT_ASSIGNERS = {
    "anonymous": 302,
    "outsider": 404,
    "unit_user": 404,
    "keeper": 404,
    "deputy_user": 404,
    "gusu_staff": 404,
    "park_staff": 404,
}


def heads(station):
    return list(Assignment.objects.filter(station=station, is_head=True).values_list("deputy__name", flat=True))


def test_assignment_grid(world):
    station = world.mudu_home
    head = Assignment.objects.get(station=station, deputy=world.deputy_wz)
    other = Assignment.objects.get(station=station, deputy=world.deputy_city)
    newcomer = make_deputy(world.mudu, name="新代表")
    assert_statuses(
        world, reverse("stations:assign", args=[station.pk]), NOT_ASSIGNERS, method="post", data={"deputy": newcomer.pk}
    )
    assert_statuses(world, reverse("stations:set_head", args=[station.pk, other.pk]), NOT_ASSIGNERS, method="post")
    assert_statuses(world, reverse("stations:unassign", args=[station.pk, head.pk]), NOT_ASSIGNERS, method="post")
    assert_statuses(
        world,
        reverse("stations:deputy_candidates", args=[station.pk]),
        {**NOT_ASSIGNERS, "wuzhong_staff": 200, "city_staff": 200},
        data={"dq": "新"},
    )
    # Nothing changed.
    assert Assignment.objects.filter(station=station).count() == 2
    assert heads(station) == ["吴测试"]
    assert not AuditEvent.objects.exists()


def test_assignment_of_another_station_is_missing(world):
    other = Assignment.objects.get(station=world.canglang_home)
    url = reverse("stations:unassign", args=[world.mudu_home.pk, other.pk])
    assert world.client(world.wuzhong_staff).post(url).status_code == 404
    assert Assignment.objects.filter(pk=other.pk).exists()


def test_candidates_autocomplete_lists_deputies_in_scope_not_yet_serving(world):
    make_deputy(world.mudu, name="吴新人")
    make_deputy(world.canglang, name="吴姑苏")  # elected in 姑苏区: not wuzhong_staff's to assign
    url = reverse("stations:deputy_candidates", args=[world.mudu_home.pk])
    response = world.client(world.wuzhong_staff).get(url, {"dq": "吴"}, headers={"HX-Request": "true"})
    assert [deputy.name for deputy in response.context["candidates"]] == ["吴新人"]
    assert "吴姑苏" not in response.content.decode()
    # Without JavaScript the detail page shows the same list.
    response = world.client(world.wuzhong_staff).get(
        reverse("stations:detail", args=[world.mudu_home.pk]), {"dq": "吴"}
    )
    assert [deputy.name for deputy in response.context["candidates"]] == ["吴新人"]


def test_assign_deputy_through_http(world):
    deputy = make_deputy(world.weiting, name="唯代表")
    url = reverse("stations:assign", args=[world.mudu_home.pk])
    response = world.client(world.wuzhong_staff).post(url, {"deputy": deputy.pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get(station=world.mudu_home, deputy=deputy)
    assert not assignment.is_head
    event = AuditEvent.objects.get(action="station.assign_deputy")
    assert event.changes == {"deputy": deputy.pk, "is_head": False}
    assert event.object_id == str(world.mudu_home.pk) and event.actor == world.wuzhong_staff


def test_assign_as_head_replaces_the_old_head(world):
    deputy = make_deputy(world.mudu, name="新站长")
    url = reverse("stations:assign", args=[world.mudu_home.pk])
    world.client(world.wuzhong_staff).post(url, {"deputy": deputy.pk, "is_head": "1"})
    assert heads(world.mudu_home) == ["新站长"]


def test_assign_rejects_deputy_outside_scope_and_duplicates(world):
    client = world.client(world.wuzhong_staff)
    url = reverse("stations:assign", args=[world.mudu_home.pk])
    response = client.post(url, {"deputy": world.deputy_gs.pk})
    assert response.status_code == 400
    assert "这位代表不在您的辖区内" in response.content.decode()
    response = client.post(url, {"deputy": world.deputy_wz.pk})
    assert response.status_code == 400
    assert "吴测试已在本站" in response.content.decode()
    assert Assignment.objects.filter(station=world.mudu_home).count() == 2
    assert not AuditEvent.objects.exists()


def test_unassign_through_http(world):
    assignment = Assignment.objects.get(station=world.mudu_home, deputy=world.deputy_wz)
    url = reverse("stations:unassign", args=[world.mudu_home.pk, assignment.pk])
    assert world.client(world.wuzhong_staff).post(url).status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action="station.unassign_deputy")
    assert event.changes == {"deputy": world.deputy_wz.pk, "was_head": True}


def test_set_head_clears_the_old_head_in_the_same_transaction(world):
    other = Assignment.objects.get(station=world.mudu_home, deputy=world.deputy_city)
    url = reverse("stations:set_head", args=[world.mudu_home.pk, other.pk])
    assert world.client(world.city_staff).post(url).status_code == 302
    assert heads(world.mudu_home) == ["苏测试"]
    event = AuditEvent.objects.get(action="station.set_head")
    assert event.changes == {"head": [world.deputy_wz.pk, world.deputy_city.pk]}
    # Setting the head again changes nothing and records nothing.
    world.client(world.city_staff).post(url)
    assert AuditEvent.objects.filter(action="station.set_head").count() == 1


def test_set_head_on_a_station_without_head(world):
    Assignment.objects.filter(station=world.canglang_home).update(is_head=False)
    assignment = Assignment.objects.get(station=world.canglang_home)
    actions.set_head(world.gusu_staff, assignment)
    assert heads(world.canglang_home) == ["顾测试"]
    assert AuditEvent.objects.get(action="station.set_head").changes == {"head": [None, world.deputy_gs.pk]}


def test_database_allows_one_head_per_station(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(station=world.mudu_home).update(is_head=True)
    assert heads(world.mudu_home) == ["吴测试"]
