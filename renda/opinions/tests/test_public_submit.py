"""Submitting an opinion from a phone, through HTTP, then checking the database."""

import uuid
from io import BytesIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from renda.opinions.models import Category, Event, Opinion, Photo
from renda.opinions.public_views import DEVICE_COOKIE
from renda.opinions.workflow import State
from renda.testing import assert_statuses

from .public_helpers import NAME, PHONE, TEXT, category, form_data, jpeg_with_exif

STATION_URL = "/s/MUDU01/opinion/"
DEPUTY_URL = "/d/DWZ001/opinion/"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # rate-limit counts must not leak from one test into the next
    yield
    cache.clear()


def english(world, user=None):
    client = world.client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_form_is_public_for_everyone(world):
    grid = {"anonymous": 200, "outsider": 200, "wuzhong_staff": 200, "gusu_staff": 200, "keeper": 200}
    assert_statuses(world, STATION_URL, grid)
    assert_statuses(world, DEPUTY_URL, grid)
    assert_statuses(world, "/s/NOPE99/opinion/", {"anonymous": 404, "wuzhong_staff": 404})
    assert_statuses(world, "/d/NOPE99/opinion/", {"anonymous": 404, "wuzhong_staff": 404})


def test_form_carries_token_categories_counter_and_notice(world):
    Category.objects.filter(name="企业发展").update(is_active=False)
    response = english(world).get(STATION_URL)
    html = response.content.decode()
    assert response.status_code == 200
    token = response.context["form"]["client_token"].value()
    assert uuid.UUID(token).version == 4 and f'value="{token}"' in html
    assert "交通出行" in html and "企业发展" not in html  # active categories only
    assert 'id="text-counter"' in html and "0/2000" in html and "opinions/opinion.js" in html
    assert 'hx-get="/s/MUDU01/opinion/similar/"' in html
    assert "<script>" not in html  # no inline script: the counter lives in a static file
    notice = html[html.index('id="privacy-notice"') :]
    assert "only to contact you about this opinion" in notice and "two years after" in notice
    assert "木渎镇代表之家" in notice  # whom to ask
    assert DEVICE_COOKIE in response.cookies and response.cookies[DEVICE_COOKIE]["httponly"]


def test_station_page_links_to_the_form(world):
    html = world.client(None).get("/s/MUDU01/").content.decode()
    assert 'href="/s/MUDU01/opinion/"' in html and 'href="/t/"' in html
    html = world.client(None).get("/d/DWZ001/").content.decode()
    assert 'href="/d/DWZ001/opinion/"' in html


def test_submit_with_contact_and_photos(world):
    token = str(uuid.uuid4())
    data = form_data(token, name=NAME, phone="139 1234 5678", consent="on", place="金山路口")
    data["photos"] = [jpeg_with_exif("a.jpg"), jpeg_with_exif("b.jpg")]
    response = world.client(None).post(STATION_URL, data)

    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/t/{opinion.tracking_code}/?new=1"
    assert opinion.station == world.mudu_home and opinion.region == world.mudu and opinion.deputy is None
    assert opinion.category == category() and opinion.text == TEXT and opinion.place == "金山路口"
    assert opinion.status == State.SUBMITTED and opinion.client_token == token and opinion.due_at
    assert opinion.submitter_name == NAME and opinion.submitter_phone == PHONE and opinion.consent
    assert "停车" in opinion.search_text.split()
    with connection.cursor() as cursor:
        cursor.execute("SELECT submitter_phone, submitter_name FROM opinions_opinion")
        raw_phone, raw_name = cursor.fetchone()
    assert PHONE not in raw_phone and NAME not in raw_name  # encrypted at rest
    assert list(Event.objects.values_list("action", flat=True)) == ["submit"]

    photos = list(Photo.objects.filter(opinion=opinion))
    assert len(photos) == 2
    for photo in photos:
        with photo.image.open("rb") as stored, Image.open(stored) as image:
            assert image.format == "JPEG"
            assert not image.getexif()  # camera and GPS position dropped
        assert photo.image.name.endswith(".jpg")


def test_new_code_page_shows_grouped_code_and_link(world):
    world.client(None).post(STATION_URL, form_data(str(uuid.uuid4())))
    opinion = Opinion.objects.get()
    html = english(world).get(f"/t/{opinion.tracking_code}/?new=1").content.decode()
    code = opinion.tracking_code
    assert f"{code[:5]} {code[5:]}" in html  # grouped for reading aloud
    assert f"http://127.0.0.1:8000/t/{code}/" in html or f"/t/{code}/" in html
    assert "Write it down" in html


def test_anonymous_submit_stores_no_contact(world):
    response = world.client(None).post(DEPUTY_URL, form_data(str(uuid.uuid4()), consent="on"))
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.deputy == world.deputy_wz and opinion.station is None and opinion.region == world.mudu
    assert opinion.submitter_name == "" and opinion.submitter_phone == "" and not opinion.consent


@pytest.mark.parametrize(
    "extra",
    [
        {"name": NAME},
        {"phone": PHONE},
        {"name": NAME, "phone": PHONE},
    ],
)
def test_contact_without_consent_is_refused(world, extra):
    response = english(world).post(STATION_URL, form_data(str(uuid.uuid4()), **extra))
    assert response.status_code == 400
    assert response.context["form"].errors["consent"]
    assert 'id="row-consent"' in response.content.decode()
    assert not Opinion.objects.exists()


def _png_bytes():
    out = BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"text": ""}, "text"),
        ({"text": "   路灯  "}, "text"),  # two characters once stripped: too short
        ({"text": "路" * 2001}, "text"),
        ({"category": "999999"}, "category"),
        ({"category": ""}, "category"),
        ({"phone": "12345", "consent": "on"}, "phone"),
        ({"photos": [SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")]}, "photos"),
        ({"photos": [SimpleUploadedFile(f"p{i}.png", _png_bytes()) for i in range(7)]}, "photos"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(world, change, field):
    response = english(world).post(STATION_URL, form_data(str(uuid.uuid4())) | change)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    # The error is shown beside its field.
    html = response.content.decode()
    row = html[html.index(f'id="row-{field}"') :]
    assert 'class="errorlist' in row[: row.index("</div>")]
    assert not Opinion.objects.exists() and not Photo.objects.exists()


def test_each_bad_photo_named_in_its_error(world):
    photos = [jpeg_with_exif("good.jpg"), SimpleUploadedFile("scan.pdf", b"%PDF-1.4 nothing", content_type="x")]
    response = english(world).post(STATION_URL, form_data(str(uuid.uuid4()), photos=photos))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'id="photos-lost"' in html
    assert response.context["form"].errors["photos"] == ["scan.pdf: The file is not an image."]
    assert not Opinion.objects.exists()


def test_inactive_category_or_station_is_refused(world):
    Category.objects.filter(pk=category().pk).update(is_active=False)
    response = world.client(None).post(STATION_URL, form_data(str(uuid.uuid4())))
    assert response.status_code == 400 and "category" in response.context["form"].errors
    world.mudu_home.is_active = False
    world.mudu_home.save(update_fields=["is_active"])
    assert world.client(None).post(STATION_URL, form_data(str(uuid.uuid4()))).status_code == 404
    assert world.client(None).get(STATION_URL).status_code == 404
    assert not Opinion.objects.exists()


def test_retry_with_the_same_token_returns_the_same_opinion(world):
    token = str(uuid.uuid4())
    client = world.client(None)
    first = client.post(STATION_URL, form_data(token))
    second = client.post(STATION_URL, form_data(token, text="第二次点击，内容不同也不另建"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Opinion.objects.count() == 1 and Opinion.objects.get().text == TEXT


def test_a_forged_token_is_replaced_not_trusted(world):
    client = world.client(None)
    client.post(STATION_URL, form_data("not-a-uuid"))
    client.post(STATION_URL, form_data("not-a-uuid"))
    tokens = list(Opinion.objects.values_list("client_token", flat=True))
    assert len(tokens) == 2 and all(uuid.UUID(token) for token in tokens)


# The phone's position (the "use my location" button, renda/opinions/static/opinions/position.js) -------------------


def test_the_phones_position_is_stored_with_the_opinion(world, settings):
    settings.STATION_COORDINATES = "wgs84"
    page = world.client(None).get(STATION_URL).content.decode()
    assert 'id="use-position"' in page and "opinions/position.js" in page and 'name="lat"' in page
    data = form_data(str(uuid.uuid4()), lat="31.2590123", lng="120.5110456")
    assert world.client(None).post(STATION_URL, data).status_code == 302
    opinion = Opinion.objects.get()
    assert (float(opinion.latitude), float(opinion.longitude)) == (31.259012, 120.511046)


def test_the_position_is_stored_in_the_stations_coordinate_system(world, settings):
    settings.STATION_COORDINATES = "gcj02"
    world.client(None).post(STATION_URL, form_data(str(uuid.uuid4()), lat="31.259", lng="120.511"))
    opinion = Opinion.objects.get()
    # GCJ-02 is shifted a few hundred metres from the GPS position inside China.
    assert opinion.latitude is not None and abs(float(opinion.longitude) - 120.511) > 0.001


@pytest.mark.parametrize("lat,lng", [("91", "120"), ("abc", "120.5"), ("31.2", ""), ("nan", "inf")])
def test_an_unusable_position_is_left_out_and_the_opinion_filed(world, lat, lng):
    response = world.client(None).post(STATION_URL, form_data(str(uuid.uuid4()), lat=lat, lng=lng))
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.latitude is None and opinion.longitude is None
