"""The Popolo open data: schema conformance, privacy, only active objects, and a bounded query count."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.accounts.models import User
from renda.people.models import Deputy, DeputyLevel, Member, MemberLevel
from renda.stations.models import Assignment, Station, StationKind
from renda.testing import assert_statuses

pytestmark = pytest.mark.django_db

POPOLO = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance" / "popolo"
KINDS = {"persons": "person", "organizations": "organization", "memberships": "membership", "posts": "post"}
KINDS["areas"] = "area"


def _document(client, url="/opendata/popolo.json"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response, json.loads(response.content)


def _by_id(document, kind):
    return {obj["id"]: obj for obj in document[kind]}


@pytest.fixture
def validators():
    if not POPOLO.is_dir():
        pytest.skip(f"Popolo schemas not found at {POPOLO} (the shared conformance folder is absent)")
    from jsonschema import Draft3Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    resources = []
    for path in POPOLO.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)))
    registry = Registry().with_resources(resources)
    return {
        kind: Draft3Validator(json.loads((POPOLO / f"{name}.json").read_text()), registry=registry)
        for kind, name in KINDS.items()
    }


def test_every_object_validates_against_the_popolo_schemas(world, validators):
    _, document = _document(world.client(None))
    assert set(document) == set(KINDS)
    for kind, validator in validators.items():
        assert document[kind], f"no {kind} in the document"
        for obj in document[kind]:
            errors = [error.message for error in validator.iter_errors(obj)]
            assert not errors, f"{obj['id']}: {errors}"


def test_references_point_at_objects_in_the_document(world):
    _, document = _document(world.client(None))
    ids = {kind: set(_by_id(document, kind)) for kind in KINDS}
    for membership in document["memberships"]:
        assert membership["person_id"] in ids["persons"]
        assert membership["organization_id"] in ids["organizations"]
        assert membership.get("post_id", "") in ids["posts"] | {""}
        assert membership.get("area_id", "") in ids["areas"] | {""}
    for org in document["organizations"]:
        assert org.get("parent_id") in ids["organizations"] | {None}
        assert org.get("area_id") in ids["areas"] | {None}
    for area in document["areas"]:
        assert area["parent_id"] in ids["areas"] | {None}
    for post in document["posts"]:
        assert post["organization_id"] in ids["organizations"]
    assert len(ids["memberships"]) == len(document["memberships"]), "membership ids are unique"


def test_people_congresses_committees_and_stations(world):
    Deputy.objects.filter(pk=world.deputy_wz.pk).update(
        photo="people/wz.jpg", biography="木渎人", delegation="吴中代表团"
    )
    _, document = _document(world.client(None))
    persons = _by_id(document, "persons")
    orgs = _by_id(document, "organizations")
    memberships = _by_id(document, "memberships")

    wz = persons["person/deputy/" + world.deputy_wz.public_code]
    assert wz["name"] == world.deputy_wz.name
    assert wz["image"] == "http://testserver/media/people/wz.jpg"
    assert wz["biography"] == "木渎人"
    assert wz["identifiers"] == [{"scheme": "renda-public-code", "identifier": world.deputy_wz.public_code}]
    assert persons["person/deputy/DGS001"]["gender"] == "male"
    assert "image" not in persons["person/deputy/DGS001"]

    # 顾测试 is a county-level deputy elected in 沧浪街道: his congress sits at 姑苏区.
    congress = memberships["membership/deputy/DGS001/congress"]
    assert congress["role"] == "代表"
    assert congress["area_id"] == "area/320508002000"
    assert orgs[congress["organization_id"]]["name"] == "姑苏区第十七届人民代表大会"
    assert orgs[congress["organization_id"]]["area_id"] == "area/320508000000"
    city = memberships["membership/deputy/DCT001/congress"]
    assert orgs[city["organization_id"]]["name"] == "苏州市第十七届人民代表大会"

    group = memberships[f"membership/deputy/{world.deputy_wz.public_code}/delegation"]
    assert orgs[group["organization_id"]]["name"] == "吴中代表团"
    assert (
        orgs[group["organization_id"]]["parent_id"]
        == memberships[f"membership/deputy/{world.deputy_wz.public_code}/congress"]["organization_id"]
    )

    member = memberships["membership/member/MWZ001/cppcc"]
    assert member["role"] == "委员" and member["label"] == "经济界"
    assert orgs[member["organization_id"]]["name"] == "中国人民政治协商会议吴中区第十四届委员会"

    home = orgs["organization/station/" + world.mudu_home.public_code]
    assert home["classification"] == "代表之家"
    assert home["area_id"] == f"area/{world.mudu_home.region.code}"
    head = memberships[f"membership/deputy/{world.deputy_wz.public_code}/station/{world.mudu_home.public_code}"]
    assert head["role"] == "站长"
    other = memberships[f"membership/deputy/DCT001/station/{world.mudu_home.public_code}"]
    assert other["role"] == "代表"

    areas = _by_id(document, "areas")
    assert areas["area/320506000000"] == {
        "id": "area/320506000000",
        "name": "吴中区",
        "identifier": "320506000000",
        "classification": "district",
        "parent_id": "area/320500000000",
        "links": [{"url": "http://testserver/r/320506000000/", "note": "public page"}],
    }
    assert areas["area/320590000000"]["identifier"] is None, "a zone without a published code has no identifier"


def test_a_contact_point_hangs_under_the_nearest_higher_station(world):
    point = Station.objects.create(
        name="木渎示范村联系点", kind=StationKind.POINT, region=world.mudu_village, public_code="PT0001"
    )
    _, document = _document(world.client(None))
    orgs = _by_id(document, "organizations")
    assert orgs["organization/station/PT0001"]["classification"] == "代表联系点"
    assert orgs["organization/station/PT0001"]["parent_id"] == "organization/station/" + world.mudu_home.public_code
    assert point.pk


def test_a_members_studio_stands_alone(world):
    """A members' studio (委员工作室) is the CPPCC's: no deputies' station is its parent, and it is nobody's."""
    Station.objects.create(name="木渎委员工作室", kind=StationKind.STUDIO, region=world.mudu, public_code="ST0001")
    Station.objects.create(
        name="木渎示范村联系点", kind=StationKind.POINT, region=world.mudu_village, public_code="PT0001"
    )
    _, document = _document(world.client(None))
    orgs = _by_id(document, "organizations")
    assert orgs["organization/station/ST0001"]["classification"] == "政协委员工作室"
    assert not orgs["organization/station/ST0001"].get("parent_id")
    assert orgs["organization/station/PT0001"]["parent_id"] == "organization/station/" + world.mudu_home.public_code


def test_no_private_data_in_the_output(world):
    Deputy.objects.filter(pk=world.deputy_gs.pk).update(phone="13912345678")
    Member.objects.filter(pk=world.member_wz.pk).update(phone="13700001111")
    response, document = _document(world.client(None))
    body = response.content.decode()
    for digits in ("13800138000", "13912345678", "13700001111", "051266000000", "0138000", "****"):
        assert digits not in body
    assert "*" not in body
    assert "phone" not in body and "contact_details" not in body
    for username in User.objects.values_list("username", flat=True):
        assert f'"{username}"' not in body and f"/{username}" not in body
    assert world.deputy_user.username == "deputy_user" and "deputy_user" not in body
    assert all(
        set(person) <= {"id", "name", "gender", "image", "biography", "identifiers", "links"}
        for person in document["persons"]
    )


def test_inactive_objects_are_absent(world):
    Deputy.objects.filter(pk=world.deputy_gs.pk).update(is_active=False)
    Member.objects.filter(pk=world.member_gs.pk).update(is_active=False)
    Station.objects.filter(pk=world.mudu_home.pk).update(is_active=False)
    response, document = _document(world.client(None))
    body = response.content.decode()
    for absent in ("DGS001", "MGS001", world.mudu_home.public_code, world.deputy_gs.name, world.mudu_home.name):
        assert absent not in body
    persons = _by_id(document, "persons")
    assert "person/deputy/DCT001" in persons and "person/member/MWZ001" in persons
    assert not [m for m in document["memberships"] if "/station/" in m["id"]], "only mudu_home had active deputies"
    # 姑苏区's county congress had only 顾测试: with him gone, it is gone too.
    assert "organization/congress/320508000000/17" not in _by_id(document, "organizations")


def test_per_type_files_match_the_whole(world):
    client = world.client(None)
    _, whole = _document(client)
    for kind in KINDS:
        _, part = _document(client, f"/opendata/{kind}.json")
        assert part == whole[kind]
    assert client.get("/opendata/votes.json").status_code == 404
    assert client.post("/opendata/popolo.json").status_code == 405
    index = client.get("/opendata/").json()
    assert index["files"]["popolo"] == "http://testserver/opendata/popolo.json"
    assert index["files"]["areas"] == "http://testserver/opendata/areas.json"


def test_cache_headers_and_conditional_get(world):
    client = world.client(None)
    response = client.get("/opendata/popolo.json")
    assert "public" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get("/opendata/popolo.json", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    Deputy.objects.filter(pk=world.deputy_gs.pk).update(name="顾改名")
    changed = client.get("/opendata/popolo.json", headers={"if-none-match": response["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


def test_public_to_everyone(world):
    grid = {name: 200 for name in ("anonymous", "outsider", "wuzhong_staff", "gusu_staff", "deputy_user", "keeper")}
    assert_statuses(world, "/opendata/popolo.json", grid)
    assert_statuses(world, "/opendata/persons.json", grid)
    assert_statuses(world, "/opendata/", grid)


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get("/opendata/popolo.json").status_code == 200
    return len(context.captured_queries)


def test_query_count_is_bounded_and_does_not_grow_with_rows(world, django_assert_num_queries):
    client = world.client(None)
    with django_assert_num_queries(5):  # regions, deputies, members, stations, assignments
        client.get("/opendata/popolo.json")
    for i in range(30):
        deputy = Deputy.objects.create(
            name=f"新代表{i}",
            term=17,
            level=[DeputyLevel.TOWNSHIP, DeputyLevel.STREET, DeputyLevel.CITY][i % 3],
            electoral_region=[world.mudu, world.weiting, world.canglang][i % 3],
            public_code=f"NEW{i:03}",
            delegation=f"第{i % 4}组",
        )
        station = Station.objects.create(
            name=f"新站{i}", kind=StationKind.POINT, region=world.mudu_village, public_code=f"NS{i:03}"
        )
        Assignment.objects.create(station=station, deputy=deputy, is_head=True)
        Member.objects.create(
            name=f"新委员{i}",
            term=14,
            level=MemberLevel.CITY,
            region=world.gusu,
            sector="科技界",
            public_code=f"NM{i:03}",
        )
    with django_assert_num_queries(5):
        _, document = _document(client)
    assert len(document["persons"]) >= 60
    orgs = _by_id(document, "organizations")
    assert orgs["organization/congress/320506108000/17"]["name"] == "木渎镇第十七届人民代表大会"
    assert orgs["organization/congress/320506009000/17"]["classification"] == "议政代表会议"
    assert orgs["organization/cppcc/320500000000/14"]["name"] == "中国人民政治协商会议苏州市第十四届委员会"
    assert _count_queries(client) == 5


def test_the_validators_do_reject_a_broken_object(validators):
    """The cross-schema references resolve: an identifier without its value fails inside a person."""
    broken = {"id": "person/x", "name": "x", "identifiers": [{"scheme": "s"}], "links": [{"note": "no url"}]}
    messages = [error.message for error in validators["persons"].iter_errors(broken)]
    assert len(messages) == 2 and all("required" in message for message in messages)
    assert list(validators["areas"].iter_errors({"id": "area/x", "parent_id": 1}))


def test_a_stations_public_phone_is_a_contact_detail(world):
    from renda.stations.models import Station

    Station.objects.filter(pk=world.mudu_home.pk).update(phone="0512-66668888")
    _, document = _document(world.client(None))
    orgs = _by_id(document, "organizations")
    home = orgs[f"organization/station/{world.mudu_home.public_code}"]
    assert home["contact_details"] == [{"type": "voice", "label": "联系电话", "value": "0512-66668888"}]
    assert "contact_details" not in orgs[f"organization/station/{world.canglang_home.public_code}"]
