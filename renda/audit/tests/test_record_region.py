"""audit.record files each record under a region given explicitly, or the object's own; exports name the client IP."""

import pytest
from django.urls import reverse

from renda.audit.actions import record
from renda.audit.models import AuditEvent
from renda.receptions.models import Reception


@pytest.mark.django_db
def test_region_given_explicitly_files_the_record_there(world):
    reception = Reception.objects.create(station=world.mudu_home, date="2026-12-02", starts="09:00", ends="11:00")
    event = record(world.keeper, "test.explicit", reception, region=world.mudu)
    assert event.region_path == world.mudu.path


@pytest.mark.django_db
def test_an_attribute_set_by_hand_is_not_read(world):
    """A reception has no region of its own: setting one on the instance no longer files the record anywhere."""
    reception = Reception.objects.create(station=world.mudu_home, date="2026-12-02", starts="09:00", ends="11:00")
    reception.region = world.mudu
    assert record(world.keeper, "test.by_hand", reception).region_path == ""


@pytest.mark.django_db
def test_the_objects_own_region_field_property_or_path(world):
    assert record(None, "test.field", world.mudu_home).region_path == world.mudu.path  # Station.region
    assert record(None, "test.property", world.deputy_wz).region_path == world.deputy_wz.electoral_region.path
    assert record(None, "test.region", world.weiting).region_path == world.weiting.path  # a Region files under itself
    assert record(None, "test.none").region_path == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, args, action",
    [
        ("receptions:idle_stations_xlsx", [], "receptions.idle_stations_export"),
        ("receptions:not_on_duty_xlsx", [], "receptions.not_on_duty_export"),
        ("receptions:deputy_record_xlsx", ["deputy_wz"], "receptions.record_export"),
    ],
)
def test_every_export_records_the_client_ip(world, name, args, action):
    url = reverse(name, args=[getattr(world, arg).pk for arg in args])
    response = world.client(world.wuzhong_staff).get(url, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert AuditEvent.objects.get(action=action).ip == "203.0.113.7"
