"""Public activities as Popolo events: valid against the shared schemas, public and published ones only, people by
public name and id only."""

import json
from pathlib import Path

import pytest

from ..models import Status
from .helpers import make_activity

pytestmark = pytest.mark.django_db

# Beside the checkout (../shared), or beside the folder of worktrees (a helper's checkout under /work/wt/).
HERE = Path(__file__).resolve()
POPOLO = (
    next(
        (p for p in (HERE.parents[3].parent / "shared", HERE.parents[5] / "shared") if (p / "conformance").is_dir()),
        HERE.parents[3].parent / "shared",
    )
    / "conformance"
    / "popolo"
)


def test_events_validate_and_only_public_ones_appear(world):
    from jsonschema import Draft3Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    public = make_activity(world, is_public=True, invite=[world.deputy_wz], title="公开的视察")
    public.invitations.update(answer="attend")
    make_activity(world, is_public=True, status=Status.DRAFT, title="草稿")
    make_activity(world, is_public=False, title="内部活动")
    document = json.loads(world.client(None).get("/opendata/activities.json").content)
    assert [e["name"] for e in document["events"]] == ["公开的视察"]
    event = document["events"][0]
    assert event["attendees"] == [{"id": "person/deputy/DWZ001", "name": "吴测试"}]
    assert "13800138000" not in json.dumps(document, ensure_ascii=False)
    resources = []
    for path in POPOLO.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)))
    registry = Registry().with_resources(resources)
    for kind, name in (("events", "event"), ("organizations", "organization")):
        validator = Draft3Validator(json.loads((POPOLO / f"{name}.json").read_text()), registry=registry)
        for obj in document[kind]:
            errors = [error.message for error in validator.iter_errors(obj)]
            assert not errors, f"{obj['id']}: {errors}"
