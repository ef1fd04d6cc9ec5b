"""Shared test helpers for the public pages, built on the `world` fixture (renda/testing.py)."""

from decimal import Decimal

from renda.people.models import Deputy, DeputyLevel
from renda.stations.models import Assignment, Station, StationKind, StationPhoto

PHONE = "13800138000"  # world.deputy_wz's phone: must never appear on a public page, not even masked


def place(station, lat, lng):
    station.latitude, station.longitude = Decimal(str(lat)), Decimal(str(lng))
    station.save(update_fields=["latitude", "longitude"])
    return station


def add_stations(region, count, prefix="测试站", **extra):
    return Station.objects.bulk_create(
        Station(
            name=f"{prefix}{i:03d}",
            kind=StationKind.POINT,
            region=region,
            public_code=f"{prefix[:1]}T{region.pk}{i:03d}"[:12],
            address=f"{region.name}{i}号",
            **extra,
        )
        for i in range(count)
    )


def add_deputies(station, count, start=0):
    """Deputies with photos and phones, all serving `station`."""
    deputies = Deputy.objects.bulk_create(
        Deputy(
            name=f"代表{i:03d}",
            gender="M",
            term=17,
            level=DeputyLevel.TOWNSHIP,
            electoral_region=station.region,
            public_code=f"DX{station.pk}{i:04d}",
            phone=f"139{i:08d}",
            photo=f"people/d{i}.jpg",
            biography="简介",
        )
        for i in range(start, start + count)
    )
    Assignment.objects.bulk_create(Assignment(station=station, deputy=d) for d in deputies)
    return deputies


def add_photos(station, count):
    StationPhoto.objects.bulk_create(
        StationPhoto(station=station, image=f"stations/p{i}.jpg", caption=f"照片{i}", position=i) for i in range(count)
    )


def html(response) -> str:
    return response.content.decode()
