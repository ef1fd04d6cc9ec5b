"""The office's lists, the Excel export, the API and the open data: scoped, pinned query counts, schema-valid."""

import json
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.api.actions import create_token
from renda.people.models import Deputy, Member
from renda.records.compute import refresh

from .helpers import make_events, make_table

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
POPOLO = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance" / "popolo"


@pytest.fixture
def scored(world):
    make_events(world, YEAR)
    make_table(world.wuzhong, YEAR, {"duty_attended": ("90", None)})
    make_table(world.gusu, YEAR, {"duty_attended": ("1", None)})
    refresh(YEAR, Deputy.objects.all(), Member.objects.all())
    Deputy.objects.filter(pk=world.deputy_wz.pk).update(delegation="木渎代表小组")
    return world


def test_office_list_by_score_and_grade(scored, django_assert_max_num_queries):
    client = scored.client(scored.wuzhong_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("records:office"), {"year": YEAR}).content.decode()
    assert scored.deputy_wz.name in page and "顾测试" not in page
    assert (
        scored.deputy_wz.name in client.get(reverse("records:office"), {"year": YEAR, "grade": "good"}).content.decode()
    )
    assert scored.deputy_wz.name not in client.get(reverse("records:office"), {"grade": "poor"}).content.decode()
    assert client.get(reverse("records:office"), {"region": scored.gusu.code}).status_code == 404
    # 姑苏区's office sees its own
    assert "顾测试" in scored.client(scored.gusu_staff).get(reverse("records:office")).content.decode()
    response = client.get(reverse("records:export"), {"year": YEAR})
    rows = list(load_workbook(BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[1][0] == scored.deputy_wz.name and rows[1][3] == 90 and len(rows) == 2


def test_attention_and_delegations(scored):
    client = scored.client(scored.city_staff)
    page = client.get(reverse("records:attention"), {"year": YEAR}).content.decode()
    assert "苏测试" in page  # no reception this year
    assert scored.deputy_wz.name not in page
    page = client.get(reverse("records:attention"), {"year": YEAR, "threshold": "100"}).content.decode()
    assert scored.deputy_wz.name in page  # 90 points, below 100
    page = client.get(reverse("records:delegations"), {"year": YEAR}).content.decode()
    assert "木渎代表小组" in page
    for name in ("records:office", "records:attention", "records:delegations", "records:disputes", "records:reports"):
        assert scored.client(scored.deputy_user).get(reverse(name)).status_code == 404


def test_api_own_record_and_office_list(scored):
    token = create_token(scored.deputy_user, "app")[1]
    response = scored.client(None).get(f"/api/v1/staff/records/mine?year={YEAR}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    (record,) = response.json()
    assert record["person"] == f"deputy/{scored.deputy_wz.public_code}" and record["grade"] == "good"
    assert any(line["key"].startswith("duty:") for kind in record["kinds"] for line in kind["lines"])
    staff = create_token(scored.wuzhong_staff, "app")[1]
    rows = scored.client(None).get("/api/v1/staff/records/office", HTTP_AUTHORIZATION=f"Bearer {staff}").json()
    assert [row["name"] for row in rows] == [scored.deputy_wz.name]
    assert scored.client(None).get("/api/v1/staff/records/office").status_code == 401


def test_open_data_validates_against_popolo(scored):
    from jsonschema import Draft3Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    resources = []
    for path in POPOLO.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)))
    validator = Draft3Validator(
        json.loads((POPOLO / "person.json").read_text()), registry=Registry().with_resources(resources)
    )
    document = scored.client(None).get(reverse("opendata:records"), {"year": YEAR}).json()
    persons = {person["id"]: person for person in document["persons"]}
    wz = persons[f"person/deputy/{scored.deputy_wz.public_code}"]
    assert wz["performance"]["figures"]["duty_attended"] == 1
    assert "duty_absent" not in wz["performance"]["figures"]  # not a public figure
    assert "points" not in json.dumps(document)
    for person in document["persons"]:
        assert not list(validator.iter_errors(person)), person["id"]
