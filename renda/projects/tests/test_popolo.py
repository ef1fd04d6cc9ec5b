"""Published votes as Popolo open data: motions and vote events with counts, valid against the shared schemas."""

import json
from pathlib import Path

import pytest

from ..actions import sessions, voting
from ..phases import Phase
from .helpers import DEPUTY, STAFF, add_candidates, choices_for, make_deputies, make_round, voting_session

SCHEMAS = [
    Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance" / "popolo",
    Path("/work/shared/conformance/popolo"),
]


@pytest.fixture
def validators():
    folder = next((p for p in SCHEMAS if p.is_dir()), None)
    if folder is None:
        pytest.fail("the shared Popolo schemas are missing (conformance/popolo)")
    from jsonschema import Draft3Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    resources = []
    for path in folder.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)))
    registry = Registry().with_resources(resources)
    names = {"organizations": "organization", "events": "event", "motions": "motion", "vote_events": "vote_event"}
    return {
        kind: Draft3Validator(json.loads((folder / f"{name}.json").read_text()), registry=registry)
        for kind, name in names.items()
    }


def test_vote_events_validate_and_add_up(world, validators, django_assert_max_num_queries):
    round_ = make_round(world, phase=Phase.VOTING, places=1)
    a, b = add_candidates(world, round_, 2)
    deputies = [world.deputy_wz, *make_deputies(world, 2)]
    session = voting_session(world, round_)
    for deputy, pattern in zip(deputies, [{"for_": [a]}, {"for_": [a]}, {"for_": [b], "against": [a]}], strict=True):
        voting.cast(deputy.user, session, deputy, DEPUTY, choices_for([a, b], **pattern), "e5" * 16)
    client = world.client(None)
    assert client.get("/opendata/projects.json").json()["vote_events"] == []  # not before publication
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    sessions.sign_off(world.deputy_user, session, DEPUTY, world.deputy_wz)
    sessions.publish_results(world.wuzhong_staff, session, STAFF)
    with django_assert_max_num_queries(8):
        document = client.get("/opendata/projects.json").json()
    for kind, validator in validators.items():
        assert document[kind], kind
        for obj in document[kind]:
            errors = [error.message for error in validator.iter_errors(obj)]
            assert not errors, f"{obj['id']}: {errors}"
    by_motion = {v["motion_id"]: v for v in document["vote_events"]}
    first = by_motion[f"motion/projects/{session.pk}/{a.pk}"]
    assert first["result"] == "pass"
    assert first["counts"] == [
        {"option": "yes", "value": 2},
        {"option": "no", "value": 1},
        {"option": "abstain", "value": 0},
    ]
    assert document["events"][0]["count_record"]["present"] == 3
    assert "吴测试" not in json.dumps(document, ensure_ascii=False)
