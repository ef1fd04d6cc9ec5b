"""Handling units: congress staff manage them in their regions; a unit's own staff keep its contacts current."""

from django.urls import reverse

from renda.people.models import Unit
from renda.people.rosters import UNIT_COLUMNS
from renda.testing import assert_statuses

from .utils import audit_events, audit_text, xlsx_rows


def test_list_grid_and_rows(world):
    url = reverse("people:unit_list")
    assert_statuses(
        world,
        url,
        {
            "anonymous": 302,
            "outsider": 404,
            "keeper": 404,
            "deputy_user": 404,
            "sysadmin": 404,
            "unit_user": 200,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
        },
    )
    own = world.client(world.unit_user).get(url).content.decode()
    assert "吴中区住房和城乡建设局" in own and "姑苏区住房和城乡建设局" not in own
    assert reverse("people:unit_create") not in own and reverse("people:unit_export") not in own
    gusu = world.client(world.gusu_staff).get(url).content.decode()
    assert "姑苏区住房和城乡建设局" in gusu and "吴中区住房和城乡建设局" not in gusu


def test_detail_and_edit_grid(world):
    for name in ("people:unit_detail", "people:unit_edit"):
        assert_statuses(
            world,
            reverse(name, args=[world.wuzhong_unit.pk]),
            {
                "anonymous": 302,
                "outsider": 404,
                "keeper": 404,
                "deputy_user": 404,
                "unit_user": 200,
                "wuzhong_staff": 200,
                "gusu_staff": 404,
                "park_staff": 404,
            },
        )
    assert_statuses(world, reverse("people:unit_detail", args=[world.gusu_unit.pk]), {"unit_user": 404})


def test_create_deactivate_export_grid(world):
    expected = {
        "anonymous": 302,
        "outsider": 404,
        "keeper": 404,
        "deputy_user": 404,
        "unit_user": 404,  # edits its own contacts, nothing more
        "wuzhong_staff": 200,
    }
    assert_statuses(world, reverse("people:unit_create"), expected)
    assert_statuses(world, reverse("people:unit_export"), expected)
    assert_statuses(
        world, reverse("people:unit_deactivate", args=[world.wuzhong_unit.pk]), {**expected, "gusu_staff": 404}
    )


def test_unit_staff_edit_contacts_only(world):
    unit = world.wuzhong_unit
    client = world.client(world.unit_user)
    form_page = client.get(reverse("people:unit_edit", args=[unit.pk])).content.decode()
    assert 'name="contact_name"' in form_page and 'name="name"' not in form_page and "region_code" not in form_page
    assert "051266000000" not in form_page
    response = client.post(
        reverse("people:unit_edit", args=[unit.pk]),
        {"name": "改名", "region_code": world.gusu.code, "contact_name": "王联络", "contact_phone": "0512-66001234"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "吴中区住房和城乡建设局" and unit.region == world.wuzhong
    assert unit.contact_name == "王联络" and unit.contact_phone == "0512-66001234"
    [event] = audit_events(unit, "people.unit.update")
    assert event.actor == world.unit_user
    assert event.changes == {"contact_name": ["", "王联络"], "contact_phone": "changed"}
    assert "66001234" not in audit_text()


def test_unit_staff_cannot_deactivate(world):
    unit = world.wuzhong_unit
    assert world.client(world.unit_user).post(reverse("people:unit_deactivate", args=[unit.pk])).status_code == 404
    unit.refresh_from_db()
    assert unit.is_active


def test_congress_staff_create_edit_and_deactivate(world):
    client = world.client(world.wuzhong_staff)
    response = client.post(
        reverse("people:unit_create"),
        {"name": "吴中区交通运输局", "region_code": "320506", "contact_name": "李", "contact_phone": "13300133000"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="吴中区交通运输局")
    assert unit.region == world.wuzhong and unit.contact_phone == "13300133000"
    assert audit_events(unit, "people.unit.create")[0].changes["contact_phone"] == "set"
    response = client.post(
        reverse("people:unit_edit", args=[unit.pk]),
        {"name": "吴中区交通局", "region_code": world.mudu.code, "contact_name": "李", "contact_phone": ""},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "吴中区交通局" and unit.region == world.mudu and unit.contact_phone == "13300133000"
    assert client.post(reverse("people:unit_deactivate", args=[unit.pk])).status_code == 302
    unit.refresh_from_db()
    assert not unit.is_active
    assert [e.action for e in audit_events(unit)] == [
        "people.unit.deactivate",
        "people.unit.update",
        "people.unit.create",
    ]
    assert "13300133000" not in audit_text()


def test_create_outside_scope_and_duplicate_names_are_refused(world):
    client = world.client(world.wuzhong_staff)
    before = Unit.objects.count()
    response = client.post(reverse("people:unit_create"), {"name": "新单位", "region_code": world.gusu.code})
    assert f"您的管辖范围内没有代码为 {world.gusu.code} 的区域" in response.content.decode()
    response = client.post(
        reverse("people:unit_create"), {"name": "吴中区住房和城乡建设局", "region_code": world.wuzhong.code}
    )
    assert response.status_code == 200
    assert "该区域已有同名承办单位" in response.content.decode()
    assert Unit.objects.count() == before


def test_export(world):
    response = world.client(world.wuzhong_staff).get(reverse("people:unit_export"))
    rows = xlsx_rows(response)
    assert rows[0] == UNIT_COLUMNS
    assert rows[1:] == [["吴中区住房和城乡建设局", world.wuzhong.code, "吴中区", "", "051*****0000", "正常"]]
    assert b"051266000000" not in response.content


def test_list_never_shows_full_phone_and_query_count_is_flat(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    client = world.client(world.wuzhong_staff)
    url = reverse("people:unit_list")
    client.get(url)
    with django_assert_max_num_queries(6) as few:
        page = client.get(url).content.decode()
    assert "051*****0000" in page and "051266000000" not in page
    for i in range(60):
        Unit.objects.create(name=f"批量单位{i:02d}", region=world.mudu, contact_phone=f"0512-6600{i:04d}")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "0512-66000001" not in page
