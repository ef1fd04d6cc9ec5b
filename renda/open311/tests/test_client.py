"""A third-party Open311 client (the PyPI package `georeport`) reads services and requests from a live server."""

import pytest
from georeport import GeoReport

from renda.opinions import actions as opinion_actions
from renda.opinions.models import Category
from renda.opinions.workflow import Action

from .helpers import locate


@pytest.fixture
def live(transactional_db, live_server, settings):
    # A transactional test flushes the rows migrations created: make the categories the test needs again.
    from renda.testing import build_world

    settings.OPEN311_JURISDICTION_ID = "renda.test"
    world = locate(build_world())
    Category.objects.all().delete()
    roads = Category.objects.create(name="交通出行", position=1)
    Category.objects.create(name="城乡建设", position=2)
    opinion = opinion_actions.submit(station=world.mudu_home, category=roads, text="公交站台没有遮雨棚").opinion
    opinion_actions.perform(world.keeper, opinion.pk, Action.ANSWER_ON_SPOT, note="已联系公交公司加装")
    return world, opinion, roads


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_client_reads_services_and_requests(live, live_server, output_format):
    world, opinion, roads = live
    client = GeoReport(f"{live_server.url}/open311/v2/", jurisdiction="renda.test", output_format=output_format)

    services = client.get_service_list()
    assert [s["service_name"] for s in services] == ["交通出行", "城乡建设"]
    assert services[0]["service_code"] == str(roads.pk)

    definition = client.get_service_definition(str(roads.pk))
    assert definition["service_code"] == str(roads.pk)

    found = client.get_service_requests(service_request_id=opinion.public_id)
    request = found[0] if isinstance(found, list) else found  # xmltodict gives a dict for a single element
    assert request["service_request_id"] == opinion.public_id
    assert request["status"] == "closed" and request["status_notes"] == "已联系公交公司加装"

    single = client.get_service_request(opinion.public_id)
    assert single["service_request_id"] == opinion.public_id and single["service_code"] == str(roads.pk)
