"""Shared pieces of the Open311 tests: the published schemas, a world with station locations, and a key."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache

from renda.open311.actions import issue_key

REPO = Path(__file__).resolve().parents[3]
# The schemas sit beside the checkout (../shared); a git worktree one level deeper finds them one level further up.
SCHEMAS = next(
    (
        path
        for path in (
            REPO / ".." / "shared" / "conformance" / "open311-georeport-v2",
            REPO / ".." / ".." / "shared" / "conformance" / "open311-georeport-v2",
        )
        if path.is_dir()
    ),
    REPO / ".." / "shared" / "conformance" / "open311-georeport-v2",
)


def validator(name: str):
    """A jsonschema validator for one published schema file; `$ref`s resolve to the files next to it."""
    if not SCHEMAS.is_dir():
        pytest.skip(f"conformance schemas not found at {SCHEMAS.resolve()} (CI has them)")
    from jsonschema import Draft7Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    registry = Registry()
    for path in SCHEMAS.glob("*.json"):
        if path.name == "swagger.json":
            continue
        resource = Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT7)
        registry = registry.with_resource(path.name, resource)
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft7Validator(schema, registry=registry, format_checker=FormatChecker())


def assert_valid(name: str, document) -> None:
    errors = list(validator(name).iter_errors(document))
    assert not errors, [e.message for e in errors]


def locate(world):
    """The world's stations have no coordinates; give two of them some (木渎 and 沧浪, about 15 km apart)."""
    world.mudu_home.latitude, world.mudu_home.longitude = 31.2640, 120.5150
    world.mudu_home.save(update_fields=["latitude", "longitude"])
    world.canglang_home.latitude, world.canglang_home.longitude = 31.2890, 120.6200
    world.canglang_home.save(update_fields=["latitude", "longitude"])
    cache.clear()
    return world


def new_key(world, name="Test app"):
    return issue_key(world.city_staff, name)[1]
