"""CPPCC member pages: congress staff of the committee's region only."""

from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from renda.people.models import Member, MemberLevel
from renda.people.rosters import MEMBER_COLUMNS
from renda.testing import assert_statuses

from .utils import audit_events, audit_text, png_upload, xlsx_rows

NEW_MEMBER = {
    "name": "新委员",
    "gender": "M",
    "level": "county",
    "term": "14",
    "region_code": "320506000000",
    "sector": "科技界",
    "occupation": "工程师",
    "work_unit": "某研究所",
    "phone": "13600136000",
    "biography": "",
}

# Members are a congress-staff roster: keepers, unit staff and deputies find no such pages.
NOT_FOR_THEM = {"anonymous": 302, "outsider": 404, "keeper": 404, "unit_user": 404, "deputy_user": 404, "sysadmin": 404}


def _form_data(member, **changes):
    data = {
        "name": member.name,
        "gender": member.gender,
        "level": member.level,
        "term": str(member.term),
        "region_code": member.region.code,
        "sector": member.sector,
        "occupation": member.occupation,
        "work_unit": member.work_unit,
        "phone": "",
        "biography": member.biography,
    }
    data.update(changes)
    return data


def test_list_and_create_grid(world):
    for name in ("people:member_list", "people:member_create", "people:member_export"):
        assert_statuses(world, reverse(name), {**NOT_FOR_THEM, "wuzhong_staff": 200, "gusu_staff": 200})


def test_list_shows_only_members_in_scope(world):
    page = world.client(world.wuzhong_staff).get(reverse("people:member_list")).content.decode()
    assert "吴委员" in page and "顾委员" not in page
    page = world.client(world.gusu_staff).get(reverse("people:member_list")).content.decode()
    assert "顾委员" in page and "吴委员" not in page


def test_detail_edit_deactivate_grid(world):
    for name in ("people:member_detail", "people:member_edit", "people:member_deactivate"):
        assert_statuses(
            world,
            reverse(name, args=[world.member_wz.pk]),
            {**NOT_FOR_THEM, "wuzhong_staff": 200, "city_staff": 200, "gusu_staff": 404, "park_staff": 404},
        )


def test_sector_filter(world):
    Member.objects.create(
        name="吴教育", term=14, level=MemberLevel.COUNTY, region=world.wuzhong, sector="教育界", public_code="MWZ002"
    )
    client = world.client(world.wuzhong_staff)
    page = client.get(reverse("people:member_list"), {"sector": "教育界"}).content.decode()
    assert "吴教育" in page and "吴委员" not in page
    # The sector list offers only the user's own members' sectors.
    page = client.get(reverse("people:member_list")).content.decode()
    assert '<option value="经济界">' in page and '<option value="教育界">' in page
    gusu_only = world.client(world.gusu_staff).get(reverse("people:member_list")).content.decode()
    assert '<option value="经济界">' not in gusu_only


def test_create_member(world):
    response = world.client(world.wuzhong_staff).post(reverse("people:member_create"), NEW_MEMBER)
    member = Member.objects.get(name="新委员")
    assert response.status_code == 302
    assert member.region == world.wuzhong and member.sector == "科技界" and member.phone == "13600136000"
    [event] = audit_events(member, "people.member.create")
    assert event.changes["sector"] == [None, "科技界"] and event.changes["phone"] == "set"
    assert "13600136000" not in audit_text()


def test_create_member_outside_scope_is_refused(world):
    response = world.client(world.wuzhong_staff).post(
        reverse("people:member_create"), dict(NEW_MEMBER, region_code=world.gusu.code)
    )
    assert response.status_code == 200
    assert f"您的管辖范围内没有代码为 {world.gusu.code} 的区域" in response.content.decode()
    assert not Member.objects.filter(name="新委员").exists()


def test_edit_member(world):
    member = world.member_wz
    url = reverse("people:member_edit", args=[member.pk])
    response = world.client(world.wuzhong_staff).post(
        url, _form_data(member, sector="农业界", phone="13500135000", photo=png_upload())
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.sector == "农业界" and member.phone == "13500135000"
    with default_storage.open(member.photo.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
    [event] = audit_events(member, "people.member.update")
    assert event.changes == {"sector": ["经济界", "农业界"], "phone": "changed", "photo": "changed"}
    assert "13500135000" not in audit_text()


def test_deactivate_member(world):
    member = world.member_wz
    assert world.client(world.gusu_staff).post(reverse("people:member_deactivate", args=[member.pk])).status_code == 404
    member.refresh_from_db()
    assert member.is_active
    response = world.client(world.wuzhong_staff).post(reverse("people:member_deactivate", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert len(audit_events(member, "people.member.deactivate")) == 1


def test_export(world):
    member = world.member_wz
    member.phone = "13700137000"
    member.save(update_fields=["phone"])
    response = world.client(world.wuzhong_staff).get(reverse("people:member_export"))
    rows = xlsx_rows(response)
    assert rows[0] == MEMBER_COLUMNS
    assert [row[0] for row in rows[1:]] == ["MWZ001"]
    assert rows[1][MEMBER_COLUMNS.index("手机号码")] == "137****7000"
    assert rows[1][MEMBER_COLUMNS.index("界别")] == "经济界"
    assert b"13700137000" not in response.content


def test_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries, django_assert_num_queries):
    client = world.client(world.wuzhong_staff)
    url = reverse("people:member_list")
    client.get(url)
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    for i in range(60):
        Member.objects.create(
            name=f"批量委员{i:02d}",
            term=14,
            level=MemberLevel.COUNTY,
            region=world.mudu,
            sector=f"界别{i % 7}",
            public_code=f"BM{i:04d}",
            phone=f"1360000{i:04d}",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "13600000001" not in page and "136****0001" in page
