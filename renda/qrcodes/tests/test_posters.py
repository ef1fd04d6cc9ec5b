"""Station posters (A4 PDF, one page) and a region's batch of posters, for staff who can see the stations."""

import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from renda.people.models import Deputy, DeputyLevel
from renda.qrcodes import views
from renda.stations.models import Assignment, Station, StationKind
from renda.testing import assert_statuses

from .helpers import decode_qr, page_images, page_text, pdf_pages

pytestmark = pytest.mark.django_db

SCAN = "扫码向代表反映意见"


def poster_url(station):
    return f"/staff/stations/{station.pk}/poster.pdf"


def region_url(region):
    return f"/staff/regions/{region.code}/posters.pdf"


def photo_file(color=(200, 30, 30)) -> ContentFile:
    out = BytesIO()
    Image.new("RGB", (400, 500), color).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="face.jpg")


def add_deputies(station, region, count, start=0):
    for i in range(start, start + count):
        deputy = Deputy.objects.create(
            name=f"代表{i:02d}", term=17, level=DeputyLevel.TOWNSHIP, electoral_region=region, public_code=f"DX{i:04d}"
        )
        Assignment.objects.create(station=station, deputy=deputy)


@pytest.fixture
def dressed(world, settings, tmp_path):
    """mudu_home with a theme, hours and a photo of its head deputy."""
    settings.MEDIA_ROOT = tmp_path
    station = world.mudu_home
    station.theme = "乡村振兴"
    station.reception_hours = "每周三上午9:00-11:30"
    station.opening_hours = "工作日 8:30-17:00"
    station.save(update_fields=["theme", "reception_hours", "opening_hours"])
    world.deputy_wz.photo.save("face.jpg", photo_file(), save=True)
    return station


# Who may print ---------------------------------------------------------------------------------------------------


def test_station_poster_access_grid(world):
    assert_statuses(
        world,
        poster_url(world.mudu_home),
        {
            "anonymous": 302,
            "outsider": 404,
            "wuzhong_staff": 200,
            "city_staff": 200,
            "keeper": 200,
            "deputy_user": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "resort_staff": 404,
            "unit_user": 404,
        },
    )
    assert_statuses(world, poster_url(world.weiting_station), {"park_staff": 200, "wuzhong_staff": 200, "keeper": 404})


def test_anonymous_goes_to_login(world, client):
    response = client.get(poster_url(world.mudu_home))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_station_is_missing(world):
    assert world.client(world.city_staff).get("/staff/stations/999999/poster.pdf").status_code == 404


def test_region_posters_access_grid(world):
    assert_statuses(
        world,
        region_url(world.wuzhong),
        {
            "anonymous": 302,
            "outsider": 404,
            "keeper": 404,
            "deputy_user": 404,
            "unit_user": 404,
            "wuzhong_staff": 200,
            "city_staff": 200,
            "gusu_staff": 404,
            "park_staff": 404,
        },
    )
    assert_statuses(world, region_url(world.park), {"park_staff": 200, "wuzhong_staff": 404, "city_staff": 200})


# What a poster holds ---------------------------------------------------------------------------------------------


def test_poster_is_one_a4_page_with_everything_a_visitor_needs(world, dressed, settings):
    settings.PUBLIC_BASE_URL = "https://rd.example.cn"
    response = world.client(world.wuzhong_staff).get(poster_url(dressed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = page_text(pages[0])
    for expected in (
        "木渎镇代表之家",
        "代表之家",
        "木渎镇",
        "一站一品：乡村振兴",
        SCAN,
        "https://rd.example.cn/s/MUDU01/",
        "进站代表",
        "吴测试",
        "苏测试",
        "站长",
        "县（区）级",
        "接待时间：每周三上午9:00-11:30",
        "开放时间：工作日8:30-17:00",
        "地址：木渎镇1号",
    ):
        assert expected in text, expected
    # Head first, then by level: the head (a county deputy) before the city deputy.
    assert text.index("吴测试") < text.index("苏测试")


def test_the_qr_code_on_the_poster_decodes_to_the_station_url(world, dressed, settings):
    settings.PUBLIC_BASE_URL = "https://rd.example.cn"
    response = world.client(world.keeper).get(poster_url(dressed))
    images = page_images(pdf_pages(response.content)[0])
    decoded = [text for image in images for text in decode_qr(image)]
    assert decoded == ["https://rd.example.cn/s/MUDU01/"]
    # The head's photo is there too, shrunk for print rather than embedded at full size.
    photos = [image for image in images if image.size == (160, 200)]
    assert len(photos) == 1


def test_a_deputy_without_photo_gets_an_initial(world):
    response = world.client(world.gusu_staff).get(poster_url(world.canglang_home))
    page = pdf_pages(response.content)[0]
    assert len(page_images(page)) == 1  # only the QR code
    assert "顾测试" in page_text(page)


def test_a_station_without_deputies_says_so(world):
    response = world.client(world.park_staff).get(poster_url(world.xietang_station))
    assert "本站暂无进站代表。" in page_text(pdf_pages(response.content)[0])


def test_the_chinese_font_is_embedded_as_a_small_subset(world, dressed):
    response = world.client(world.wuzhong_staff).get(poster_url(dressed))
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSansSC", response.content)
    assert len(response.content) < 150_000


def test_many_deputies_stay_on_one_page_and_the_rest_are_counted(world):
    add_deputies(world.mudu_home, world.mudu, 38)
    response = world.client(world.wuzhong_staff).get(poster_url(world.mudu_home))
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    text = page_text(pages[0])
    assert "吴测试" in text and "代表00" in text
    shown = sum(1 for i in range(38) if f"代表{i:02d}" in text)
    assert 20 <= shown < 38
    assert f"另有{40 - 2 - shown}位代表" in text


@pytest.mark.parametrize("count", [3, 10, 20])
def test_grid_sizes_keep_everyone_on_one_page(world, count):
    add_deputies(world.weiting_station, world.weiting, count)
    response = world.client(world.park_staff).get(poster_url(world.weiting_station))
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    text = page_text(pages[0])
    assert all(f"代表{i:02d}" in text for i in range(count))
    assert "另有" not in text


def test_long_names_and_texts_shrink_to_fit(world):
    station = world.xietang_station
    station.name = "苏州工业园区斜塘街道人民代表大会代表联络站暨社区议事协商中心第一分站"
    station.reception_hours = "每月第一个和第三个星期三上午九点至十一点半，节假日顺延；" * 6
    station.save(update_fields=["name", "reception_hours"])
    response = world.client(world.park_staff).get(poster_url(station))
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    assert station.name in page_text(pages[0])


def test_inactive_station_has_no_poster(world):
    world.mudu_home.is_active = False
    world.mudu_home.save(update_fields=["is_active"])
    response = world.client(world.wuzhong_staff).get(poster_url(world.mudu_home), follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/stations/{world.mudu_home.pk}/"
    assert "停用的站点没有海报" in response.content.decode()


def test_poster_query_count_does_not_grow_with_deputies(world, django_assert_max_num_queries):
    client = world.client(world.wuzhong_staff)
    client.get(poster_url(world.mudu_home))  # warm the session
    with django_assert_max_num_queries(8) as few:
        client.get(poster_url(world.mudu_home))
    add_deputies(world.mudu_home, world.mudu, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(poster_url(world.mudu_home)).status_code == 200


# A region's batch ------------------------------------------------------------------------------------------------


def test_region_pdf_has_one_page_per_active_station_in_scope(world):
    Station.objects.create(
        name="木渎镇停用站", kind=StationKind.POINT, region=world.mudu, public_code="OLD001", is_active=False
    )
    response = world.client(world.wuzhong_staff).get(region_url(world.wuzhong))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    texts = [page_text(page) for page in pages]
    # 吴中区: 唯亭街道 (also under the park) and 木渎镇, in region order; the inactive station is left out.
    assert len(pages) == 2
    assert "唯亭街道代表联络站" in texts[0] and "木渎镇代表之家" in texts[1]
    assert not any("木渎镇停用站" in text for text in texts)
    urls = [decode_qr(image) for page in pages for image in page_images(page)]
    assert ["http://127.0.0.1:8000/s/WEIT01/"] in urls and ["http://127.0.0.1:8000/s/MUDU01/"] in urls


def test_a_photo_is_embedded_once_for_a_deputy_serving_many_stations(world, dressed):
    Assignment.objects.create(station=world.weiting_station, deputy=world.deputy_wz)
    response = world.client(world.wuzhong_staff).get(region_url(world.wuzhong))
    pages = pdf_pages(response.content)
    assert [len([i for i in page_images(page) if i.size == (160, 200)]) for page in pages] == [1, 1]
    assert response.content.count(b"/DCTDecode") == 1


def test_zone_pdf_holds_the_towns_it_manages(world):
    response = world.client(world.park_staff).get(region_url(world.park))
    texts = [page_text(page) for page in pdf_pages(response.content)]
    assert len(texts) == 2
    assert any("斜塘街道代表联络站" in text for text in texts)
    assert any("唯亭街道代表联络站" in text for text in texts)


def test_city_pdf_has_every_station(world):
    response = world.client(world.city_staff).get(region_url(world.suzhou))
    assert len(pdf_pages(response.content)) == 4


def test_region_without_stations_explains(world):
    response = world.client(world.wuzhong_staff).get(region_url(world.jinting), follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/regions/{world.jinting.code}/"
    assert "本区域没有在用的站点" in response.content.decode()


def test_too_many_stations_are_refused_with_a_clear_message(world, monkeypatch):
    monkeypatch.setattr(views, "MAX_POSTERS", 3)
    response = world.client(world.city_staff).get(region_url(world.suzhou), follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/regions/{world.suzhou.code}/"
    assert "本区域有 4 个站点，超过单个文件 3 张海报的上限" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_region_pdf_queries_do_not_grow_with_stations(world, django_assert_max_num_queries):
    client = world.client(world.wuzhong_staff)
    client.get(region_url(world.wuzhong))
    with django_assert_max_num_queries(10) as few:
        client.get(region_url(world.wuzhong))
    for i in range(8):
        station = Station.objects.create(
            name=f"木渎镇联系点{i}", kind=StationKind.POINT, region=world.mudu, public_code=f"MDP{i:03d}"
        )
        add_deputies(station, world.mudu, 2, start=10 * i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(region_url(world.wuzhong))
    assert len(pdf_pages(response.content)) == 10
