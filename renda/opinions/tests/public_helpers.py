"""Helpers for the constituent-side tests (test_public_*.py), built on the `world` fixture."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renda.opinions import actions
from renda.opinions.models import Category
from renda.opinions.workflow import Action

PHONE = "13912345678"
NAME = "张三丰"
TEXT = "小区门口停车难，晚上没有车位，希望增加停车位"
CATEGORIES = ["城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "生态环境", "安全生产", "企业发展", "其他"]


def jpeg_with_exif(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    """A JPEG carrying a camera make and a GPS position: both must be gone after re-encoding."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 16.0, 0.0), 3: "E", 4: (120.0, 37.0, 0.0)}  # GPSInfo
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def category(name="交通出行") -> Category:
    return Category.objects.get(name=name)


def form_data(token: str, **extra) -> dict:
    data = {"category": category().pk, "text": TEXT, "place": "", "name": "", "phone": "", "client_token": token}
    data.update(extra)
    return data


def submit(world, text=TEXT, station=None, **extra):
    return actions.submit(
        station=station or world.mudu_home, category=category(), text=text, client_token=None, **extra
    ).opinion


def close(world, opinion):
    """Take an opinion to `closed` the short way: accepted, handled and answered at the station."""
    actions.perform(world.keeper, opinion.pk, Action.ACCEPT)
    actions.perform(world.keeper, opinion.pk, Action.HANDLE)
    actions.perform(world.keeper, opinion.pk, Action.REPLY, note="已联系物业，下周划线增加车位")
    opinion.refresh_from_db()
    return opinion
