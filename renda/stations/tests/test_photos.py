"""Station photos: re-encoded uploads, at most six, captions, deletion; keepers manage their own station's photos."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.stations.actions import MAX_PHOTOS
from renda.stations.models import StationPhoto
from renda.testing import assert_statuses

from .helpers import png


def add_url(station):
    return reverse("stations:photo_add", args=[station.pk])


def test_photo_upload_grid(world):
    # Each POST carries a fresh file; a refused request stores nothing.
    for name, status in {
        "anonymous": 302,
        "outsider": 404,
        "unit_user": 404,
        "deputy_user": 404,
        "gusu_staff": 404,
        "park_staff": 404,
    }.items():
        client = world.client(None if name == "anonymous" else getattr(world, name))
        assert client.post(add_url(world.mudu_home), {"image": png()}).status_code == status, name
    assert not StationPhoto.objects.exists()
    assert world.client(world.keeper).post(add_url(world.weiting_station), {"image": png()}).status_code == 404


def test_upload_is_reencoded_and_audited(world):
    response = world.client(world.keeper).post(add_url(world.mudu_home), {"image": png("门头.png"), "caption": "门头"})
    assert response.status_code == 302
    photo = StationPhoto.objects.get(station=world.mudu_home)
    assert photo.caption == "门头" and photo.image.name.endswith(".jpg")
    with photo.image.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"  # JPEG written by Pillow, not the PNG that was sent
    event = AuditEvent.objects.get(action="station.add_photo")
    assert event.actor == world.keeper and event.changes["photo"] == photo.pk


def test_not_an_image_is_refused_in_chinese(world):
    fake = SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")
    response = world.client(world.wuzhong_staff).post(add_url(world.mudu_home), {"image": fake})
    assert response.status_code == 400
    assert "不是图片" in response.content.decode()
    assert not StationPhoto.objects.exists()


def test_at_most_six_photos(world):
    client = world.client(world.wuzhong_staff)
    for n in range(MAX_PHOTOS):
        assert client.post(add_url(world.mudu_home), {"image": png(f"{n}.png")}).status_code == 302
    response = client.post(add_url(world.mudu_home), {"image": png("7.png")})
    assert response.status_code == 400
    assert "最多6张" in response.content.decode()
    assert StationPhoto.objects.filter(station=world.mudu_home).count() == MAX_PHOTOS
    assert list(StationPhoto.objects.values_list("position", flat=True)) == list(range(MAX_PHOTOS))


def test_caption_and_delete(world):
    client = world.client(world.wuzhong_staff)
    client.post(add_url(world.mudu_home), {"image": png()})
    photo = StationPhoto.objects.get()
    caption_url = reverse("stations:photo_caption", args=[world.mudu_home.pk, photo.pk])
    delete_url = reverse("stations:photo_delete", args=[world.mudu_home.pk, photo.pk])
    outsiders = {"anonymous": 302, "outsider": 404, "gusu_staff": 404, "park_staff": 404, "deputy_user": 404}
    assert_statuses(world, caption_url, outsiders, method="post", data={"caption": "x"})
    assert_statuses(world, delete_url, outsiders, method="post")
    # A photo of another station is missing even for its editor.
    assert client.post(reverse("stations:photo_delete", args=[world.weiting_station.pk, photo.pk])).status_code == 404

    assert world.client(world.keeper).post(caption_url, {"caption": "接待室"}).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "接待室"
    assert AuditEvent.objects.get(action="station.photo_caption").changes["caption"] == ["", "接待室"]

    name, storage = photo.image.name, photo.image.storage
    assert storage.exists(name)
    assert client.post(delete_url).status_code == 302
    assert not StationPhoto.objects.exists()
    assert AuditEvent.objects.get(action="station.remove_photo").changes["photo"] == photo.pk


def test_photos_appear_on_the_detail_page(world):
    world.client(world.keeper).post(add_url(world.mudu_home), {"image": png(), "caption": "活动室"})
    response = world.client(world.wuzhong_staff).get(reverse("stations:detail", args=[world.mudu_home.pk]))
    photo = StationPhoto.objects.get()
    assert photo.image.url in response.content.decode()
    assert "活动室" in response.content.decode()
