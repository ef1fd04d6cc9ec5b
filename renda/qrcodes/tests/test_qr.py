"""QR code images: public, only for active stations and deputies, encoding the stable absolute public URL."""

import xml.etree.ElementTree as ET

import pytest

from renda.testing import assert_statuses

from .helpers import decode_qr

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_station_png_decodes_to_the_public_station_url(world, client, settings):
    settings.PUBLIC_BASE_URL = "https://rd.example.cn"
    response = client.get("/s/MUDU01/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decode_qr(response.content) == ["https://rd.example.cn/s/MUDU01/"]


def test_deputy_png_decodes_to_the_public_deputy_url(world, client, settings):
    settings.PUBLIC_BASE_URL = "https://rd.example.cn"
    response = client.get("/d/DWZ001/qr.png")
    assert response.status_code == 200
    assert decode_qr(response.content) == ["https://rd.example.cn/d/DWZ001/"]


def test_the_url_in_the_code_opens_the_station_page(world, client):
    url = decode_qr(client.get("/s/MUDU01/qr.png").content)[0]
    path = url.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200
    assert "木渎镇代表之家" in page.content.decode()


@pytest.mark.parametrize("path", ["/s/MUDU01/qr.svg", "/d/DWZ001/qr.svg"])
def test_svg_is_valid_xml_of_the_right_type(world, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("width").endswith("mm")
    assert root.find(f"{SVG_NS}path") is not None  # the modules
    assert root.find(f"{SVG_NS}title").text.endswith(path.removesuffix("qr.svg"))


@pytest.mark.parametrize("path", ["/s/MUDU01/qr.png", "/s/MUDU01/qr.svg", "/d/DWZ001/qr.png"])
def test_codes_are_cached_for_a_day_publicly(world, client, path):
    response = client.get(path)
    assert response.status_code == 200
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache == {"public", "max-age=86400"}


def test_codes_are_public_to_everyone(world):
    for path in ("/s/MUDU01/qr.png", "/d/DGS001/qr.svg"):
        assert_statuses(world, path, {"anonymous": 200, "outsider": 200, "gusu_staff": 200, "wuzhong_staff": 200})


@pytest.mark.parametrize(
    "path", ["/s/NOSUCH/qr.png", "/s/NOSUCH/qr.svg", "/d/NOSUCH/qr.png", "/d/NOSUCH/qr.svg", "/s/MUDU01/qr.gif"]
)
def test_unknown_codes_and_formats_are_missing(world, client, path):
    assert client.get(path).status_code == 404


def test_inactive_station_and_deputy_have_no_code(world, client):
    world.mudu_home.is_active = False
    world.mudu_home.save(update_fields=["is_active"])
    world.deputy_wz.is_active = False
    world.deputy_wz.save(update_fields=["is_active"])
    for path in ("/s/MUDU01/qr.png", "/s/MUDU01/qr.svg", "/d/DWZ001/qr.png", "/d/DWZ001/qr.svg"):
        assert client.get(path).status_code == 404, path
    assert client.get("/s/CANG01/qr.png").status_code == 200


def test_a_member_code_is_not_a_deputy_code(world, client):
    assert client.get("/d/MWZ001/qr.png").status_code == 404


def test_only_reads_are_allowed(world, client):
    assert client.post("/s/MUDU01/qr.png").status_code == 405


def test_one_query_per_image(world, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/s/MUDU01/qr.png").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/d/DWZ001/qr.svg").status_code == 200
