"""The staff deputy page's panels come from the apps above people, each scoped by its own access rules."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from renda.people import panels


def test_stations_receptions_and_records_registered_their_panels_in_app_order():
    assert [(p.name, p.slot) for p in panels._DEPUTY_PANELS.values()] == [
        ("stations", "side"),
        ("receptions", "below"),
        ("records", "side"),
    ]


def test_a_panel_needs_a_known_slot_and_a_name_once():
    with pytest.raises(ImproperlyConfigured, match="slot"):
        panels.register_deputy_panel("x", "x.html", context=dict, slot="top")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        panels.register_deputy_panel("stations", "other.html", context=dict, slot="side")


def test_the_deputy_page_shows_only_the_stations_the_user_sees(world):
    """A deputy serving in two districts: 姑苏区's staff see the 姑苏区 station only, and the reception record."""
    from renda.stations.models import Assignment

    Assignment.objects.get_or_create(station=world.canglang_home, deputy=world.deputy_city)
    Assignment.objects.get_or_create(station=world.mudu_home, deputy=world.deputy_city)
    html = world.client(world.gusu_staff).get(f"/staff/people/deputies/{world.deputy_city.pk}/").content.decode()
    assert "沧浪街道代表之家" in html and "木渎镇代表之家" not in html
    assert 'id="reception-record"' in html
