"""Small builders on top of the shared `world` fixture (renda/testing.py), for the stations tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from renda.accounts.models import Grant, Role, User
from renda.people.models import Deputy, DeputyLevel
from renda.stations.models import Assignment, Station, StationKind
from renda.testing import PASSWORD

_counter = iter(range(1, 1_000_000))


def make_station(region, name=None, kind=StationKind.POINT, **extra) -> Station:
    n = next(_counter)
    return Station.objects.create(
        name=name or f"测试站{n}",
        kind=kind,
        region=region,
        public_code=f"T{n:05d}",
        address=f"{region.name}{n}号",
        **extra,
    )


def make_deputy(region, name=None, level=DeputyLevel.TOWNSHIP, **extra) -> Deputy:
    n = next(_counter)
    return Deputy.objects.create(
        name=name or f"代表{n}", term=17, level=level, electoral_region=region, public_code=f"D{n:05d}", **extra
    )


def assign(station, *deputies, head=None):
    for deputy in deputies:
        Assignment.objects.create(station=station, deputy=deputy, is_head=deputy == head)


def staff_user(region, username=None) -> User:
    user = User.objects.create_user(username=username or f"staff{next(_counter)}", password=PASSWORD)
    Grant.objects.create(user=user, role=Role.CONGRESS_STAFF, region=region)
    return user


def png(name="photo.png", size=(40, 30), color=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    return [["" if cell is None else cell for cell in row] for row in workbook.active.iter_rows(values_only=True)]
