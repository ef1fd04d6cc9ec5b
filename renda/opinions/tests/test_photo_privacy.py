"""Photos and attachments under random names, served only to whoever holds the tracking code or the opinion in scope
(issue 11, item 13): the phone's file name never reaches the disk, a URL or a page, and /media/ does not link them."""

import re
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.core.uploads import RandomName
from renda.opinions.models import Opinion, Photo
from renda.opinions.public_views import TRACK_PER_IP
from renda.opinions.workflow import Action, State
from renda.testing import assert_statuses

from .public_helpers import form_data, jpeg_with_exif
from .staff_helpers import make_opinion

RANDOM = r"[0-9a-f]{32}"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def submit_with_photo(world, name="张三_身份证_13912345678.jpg") -> Opinion:
    data = form_data(str(uuid.uuid4()), photos=[jpeg_with_exif(name)])
    assert world.client(None).post("/s/MUDU01/opinion/", data).status_code == 302
    return Opinion.objects.latest("id")


def photo_url(opinion, photo):
    return reverse("opinions_public:photo", args=[opinion.tracking_code, photo.pk])


def test_a_photo_is_stored_under_a_random_name(world):
    opinion = submit_with_photo(world)
    photo = opinion.photos.get()
    assert re.fullmatch(rf"opinions/\d{{4}}/\d{{2}}/{RANDOM}\.jpg", photo.image.name), photo.image.name
    assert "张三" not in photo.image.name and "1391234" not in photo.image.name


def test_tracking_page_links_photos_through_the_code_never_media(world):
    opinion = submit_with_photo(world)
    photo = opinion.photos.get()
    page = world.client(None).get(reverse("opinions_public:tracking", args=[opinion.tracking_code])).content.decode()
    assert f'src="{photo_url(opinion, photo)}"' in page
    assert "/media/" not in page and photo.image.name not in page and "身份证" not in page
    response = world.client(None).get(photo_url(opinion, photo))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    body = b"".join(response.streaming_content)
    with photo.image.storage.open(photo.image.name) as stored:
        assert body[:2] == b"\xff\xd8" and body == stored.read()


def test_a_photo_needs_its_own_opinions_code(world):
    opinion = submit_with_photo(world)
    other = submit_with_photo(world, "b.jpg")
    photo = opinion.photos.get()
    client = world.client(None)
    assert client.get(reverse("opinions_public:photo", args=[other.tracking_code, photo.pk])).status_code == 404
    assert client.get(reverse("opinions_public:photo", args=["NOPE0000", photo.pk])).status_code == 404


def test_guessing_codes_through_photos_is_limited_but_a_page_of_photos_is_not(world):
    opinion = submit_with_photo(world)
    photo = opinion.photos.get()
    client = world.client(None)
    for _i in range(TRACK_PER_IP.limit + 5):  # hits do not count
        assert client.get(photo_url(opinion, photo)).status_code == 200
    for _i in range(TRACK_PER_IP.limit):
        assert client.get(reverse("opinions_public:photo", args=["NOPE0000", photo.pk])).status_code == 404
    assert client.get(photo_url(opinion, photo)).status_code == 429


def test_staff_see_photos_in_scope_only(world):
    opinion = submit_with_photo(world)
    photo = opinion.photos.get()
    url = reverse("opinions:photo", args=[opinion.pk, photo.pk])
    assert_statuses(
        world, url, {"anonymous": 302, "outsider": 404, "gusu_staff": 404, "keeper": 200, "wuzhong_staff": 200}
    )
    detail = world.client(world.wuzhong_staff).get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert f'src="{url}"' in detail and "/media/" not in detail


def test_production_hands_the_file_to_the_web_server(world, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    opinion = submit_with_photo(world)
    photo = opinion.photos.get()
    response = world.client(None).get(photo_url(opinion, photo))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response["Content-Type"] == "image/jpeg"


def test_attachments_are_stored_randomly_and_downloaded_under_their_name(world, settings):
    opinion = make_opinion(world, State.FORWARDED)
    data = {
        "unit_reply-state": State.FORWARDED,
        "unit_reply-note": "已规划新增车位",
        "unit_reply-attachments": [SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")],
    }
    url = reverse("opinions:act", args=[opinion.pk, Action.UNIT_REPLY])
    assert world.client(world.unit_user).post(url, data).status_code == 302
    attachment = opinion.events.get(action=Action.UNIT_REPLY).attachments.get()
    assert re.fullmatch(rf"opinion-replies/\d{{4}}/\d{{2}}/{RANDOM}\.pdf", attachment.file.name)
    download = reverse("opinions:attachment", args=[opinion.pk, attachment.pk])
    response = world.client(world.wuzhong_staff).get(download)
    assert "attachment" in response["Content-Disposition"] and "%E7%AD%94%E5%A4%8D" in response["Content-Disposition"]
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = world.client(world.wuzhong_staff).get(download)
    assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("uploaded", "suffix"),
    [("IMG_2026-张三.JPG", ".jpg"), ("../../etc/passwd", ""), ("scan.tar.gz", ".gz"), ("x.j p g", ""), ("", "")],
)
def test_random_names_keep_only_a_plain_suffix(uploaded, suffix):
    name = RandomName("people", dated=False)(None, uploaded)
    assert re.fullmatch(rf"people/{RANDOM}{re.escape(suffix)}", name), name
    assert name != RandomName("people", dated=False)(None, uploaded)


def test_every_file_field_stores_under_a_random_name():
    from django.apps import apps
    from django.db.models import FileField

    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField) and not isinstance(field.upload_to, RandomName)
    ]
    assert not fields, fields
    assert Photo._meta.get_field("image").upload_to == RandomName("opinions")


@pytest.mark.parametrize("value", ["protected-media/", "/protected-media", "x"])
def test_a_malformed_accel_prefix_stops_start_up(value):
    from renda.core.tests.test_settings_env import load_settings

    result = load_settings(DEBUG="1", MEDIA_ACCEL_REDIRECT=value)
    assert result.returncode != 0 and "MEDIA_ACCEL_REDIRECT must start and end with" in result.stderr
    assert load_settings(DEBUG="1", MEDIA_ACCEL_REDIRECT="/protected-media/").returncode == 0


def test_files_stored_before_random_names_are_renamed(world, django_capture_on_commit_callbacks):
    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from renda.core.uploads import rename_stored_files

    opinion = make_opinion(world)
    old = default_storage.save("opinions/2026/12/张三.jpg", ContentFile(b"\xff\xd8old"))
    photo = Photo.objects.create(opinion=opinion, image=old)
    storage = photo.image.storage
    with django_capture_on_commit_callbacks(execute=True):
        assert rename_stored_files(apps.get_model("opinions", "Photo"), "image") == 1
    photo.refresh_from_db()
    assert re.fullmatch(rf"opinions/2026/12/{RANDOM}\.jpg", photo.image.name)
    with storage.open(photo.image.name) as renamed:
        assert renamed.read() == b"\xff\xd8old"
    assert not storage.exists(old)
    # Running again renames nothing.
    assert rename_stored_files(apps.get_model("opinions", "Photo"), "image") == 0
