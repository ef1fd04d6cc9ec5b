"""Deputy pages: who sees which deputy, who may change one, and what every change leaves behind."""

from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from PIL import Image

from renda.people.models import Deputy, DeputyLevel
from renda.stations.models import Assignment
from renda.testing import assert_statuses

from .utils import audit_events, audit_text, png_upload, text_upload

NEW_DEPUTY = {
    "name": "新代表",
    "gender": "F",
    "level": "township",
    "term": "18",
    "region_code": "320506108000",
    "delegation": "木渎镇代表小组",
    "occupation": "教师",
    "work_unit": "木渎中学 教师",
    "phone": "139 0013 9000",
    "biography": "长期从事教育工作。",
}


def _form_data(deputy, **changes):
    data = {
        "name": deputy.name,
        "gender": deputy.gender,
        "level": deputy.level,
        "term": str(deputy.term),
        "region_code": deputy.electoral_region.code,
        "delegation": deputy.delegation,
        "occupation": deputy.occupation,
        "work_unit": deputy.work_unit,
        "phone": "",
        "biography": deputy.biography,
    }
    data.update(changes)
    return data


def _names(response) -> str:
    return response.content.decode()


# Who reaches which page


def test_list_grid(world):
    assert_statuses(
        world,
        reverse("people:deputy_list"),
        {
            "anonymous": 302,
            "outsider": 404,
            "sysadmin": 404,  # separated duties: accounts, not rosters
            "unit_user": 404,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
            "city_staff": 200,
            "keeper": 200,
            "deputy_user": 200,
        },
    )


def test_list_shows_only_deputies_in_scope(world):
    url = reverse("people:deputy_list")
    wuzhong = _names(world.client(world.wuzhong_staff).get(url))
    # deputy_city is elected in 姑苏区 but serves at 木渎镇代表之家, so 吴中区 staff see them too.
    assert "吴测试" in wuzhong and "苏测试" in wuzhong and "顾测试" not in wuzhong
    gusu = _names(world.client(world.gusu_staff).get(url))
    assert "顾测试" in gusu and "苏测试" in gusu and "吴测试" not in gusu
    keeper = _names(world.client(world.keeper).get(url))
    assert "吴测试" in keeper and "苏测试" in keeper and "顾测试" not in keeper
    own = _names(world.client(world.deputy_user).get(url))
    assert "吴测试" in own and "苏测试" not in own and "顾测试" not in own
    park = _names(world.client(world.park_staff).get(url))
    assert not any(name in park for name in ("吴测试", "苏测试", "顾测试"))


def test_detail_grid(world):
    assert_statuses(
        world,
        reverse("people:deputy_detail", args=[world.deputy_wz.pk]),
        {
            "anonymous": 302,
            "outsider": 404,
            "sysadmin": 404,
            "unit_user": 404,
            "wuzhong_staff": 200,
            "city_staff": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "keeper": 200,
            "deputy_user": 200,
        },
    )
    assert_statuses(
        world,
        reverse("people:deputy_detail", args=[world.deputy_gs.pk]),
        {"wuzhong_staff": 404, "gusu_staff": 200, "keeper": 404, "deputy_user": 404},
    )


def test_missing_deputy_is_404(world):
    assert world.client(world.city_staff).get(reverse("people:deputy_detail", args=[99999])).status_code == 404


def test_detail_lists_only_stations_the_user_may_see(world):
    Assignment.objects.create(station=world.canglang_home, deputy=world.deputy_city)
    url = reverse("people:deputy_detail", args=[world.deputy_city.pk])
    wuzhong = _names(world.client(world.wuzhong_staff).get(url))
    assert "木渎镇代表之家" in wuzhong and "沧浪街道代表之家" not in wuzhong
    gusu = _names(world.client(world.gusu_staff).get(url))
    assert "沧浪街道代表之家" in gusu and "木渎镇代表之家" not in gusu


def test_edit_and_deactivate_grid(world):
    expected = {
        "anonymous": 302,
        "outsider": 404,
        "sysadmin": 404,
        "unit_user": 404,
        "keeper": 404,  # sees the deputy, may not change the record
        "deputy_user": 404,
        "gusu_staff": 404,
        "park_staff": 404,
        "wuzhong_staff": 200,
        "city_staff": 200,
    }
    for name in ("people:deputy_edit", "people:deputy_deactivate"):
        assert_statuses(world, reverse(name, args=[world.deputy_wz.pk]), expected)
    # 吴中区 staff see the 姑苏区 city deputy at their station but only 姑苏区 (or city) staff edit the record.
    assert_statuses(
        world,
        reverse("people:deputy_edit", args=[world.deputy_city.pk]),
        {"wuzhong_staff": 404, "gusu_staff": 200, "city_staff": 200},
    )


def test_edit_buttons_only_for_editors(world):
    edit_url = reverse("people:deputy_edit", args=[world.deputy_wz.pk])
    detail = reverse("people:deputy_detail", args=[world.deputy_wz.pk])
    assert edit_url in _names(world.client(world.wuzhong_staff).get(detail))
    assert edit_url not in _names(world.client(world.keeper).get(detail))
    assert edit_url not in _names(world.client(world.deputy_user).get(detail))
    city_detail = reverse("people:deputy_detail", args=[world.deputy_city.pk])
    page = _names(world.client(world.wuzhong_staff).get(city_detail))
    assert reverse("people:deputy_edit", args=[world.deputy_city.pk]) not in page
    keeper_list = _names(world.client(world.keeper).get(reverse("people:deputy_list")))
    assert reverse("people:deputy_create") not in keeper_list
    assert reverse("people:deputy_export") not in keeper_list


def test_create_grid(world):
    assert_statuses(
        world,
        reverse("people:deputy_create"),
        {
            "anonymous": 302,
            "outsider": 404,
            "keeper": 404,
            "deputy_user": 404,
            "unit_user": 404,
            "sysadmin": 404,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
        },
    )


# Writes


def test_create_deputy(world):
    response = world.client(world.wuzhong_staff).post(reverse("people:deputy_create"), NEW_DEPUTY)
    deputy = Deputy.objects.get(name="新代表")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:deputy_detail", args=[deputy.pk])
    assert deputy.electoral_region == world.mudu
    assert deputy.level == DeputyLevel.TOWNSHIP and deputy.term == 18 and deputy.gender == "F"
    assert deputy.phone == "13900139000"
    assert len(deputy.public_code) == 6
    [event] = audit_events(deputy, "people.deputy.create")
    assert event.actor == world.wuzhong_staff
    assert event.region_path == world.mudu.path
    assert event.changes["name"] == [None, "新代表"]
    assert event.changes["phone"] == "set"
    assert "13900139000" not in audit_text()


def test_phone_is_encrypted_at_rest(world):
    world.client(world.wuzhong_staff).post(reverse("people:deputy_create"), NEW_DEPUTY)
    deputy = Deputy.objects.get(name="新代表")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM people_deputy WHERE id = %s", [deputy.pk])
        [stored] = cursor.fetchone()
    assert stored and "13900139000" not in stored


def test_create_accepts_a_six_digit_county_code(world):
    data = dict(NEW_DEPUTY, region_code="320506", level="county")
    response = world.client(world.wuzhong_staff).post(reverse("people:deputy_create"), data)
    assert response.status_code == 302
    assert Deputy.objects.get(name="新代表").electoral_region == world.wuzhong


def test_region_outside_scope_is_refused_and_nothing_saved(world):
    client = world.client(world.wuzhong_staff)
    before = Deputy.objects.count()
    for code in ("320508002000", "320599999000"):  # 沧浪街道 (姑苏区), and a code that does not exist
        response = client.post(reverse("people:deputy_create"), dict(NEW_DEPUTY, region_code=code))
        assert response.status_code == 200
        page = response.content.decode()
        # Outside the scope reads exactly like missing, in Chinese.
        assert f"您的管辖范围内没有代码为 {code} 的区域" in page
    assert Deputy.objects.count() == before
    assert not Deputy.objects.filter(name="新代表").exists()


def test_zone_staff_may_use_managed_towns_only(world):
    client = world.client(world.park_staff)
    ok = client.post(reverse("people:deputy_create"), dict(NEW_DEPUTY, region_code=world.weiting.code))
    assert ok.status_code == 302
    refused = client.post(reverse("people:deputy_create"), dict(NEW_DEPUTY, name="另一位", region_code=world.mudu.code))
    assert refused.status_code == 200
    assert not Deputy.objects.filter(name="另一位").exists()


def test_invalid_phone_is_explained(world):
    response = world.client(world.wuzhong_staff).post(reverse("people:deputy_create"), dict(NEW_DEPUTY, phone="12345"))
    assert response.status_code == 200
    assert "请输入11位手机号码" in response.content.decode()
    assert not Deputy.objects.filter(name="新代表").exists()


def test_edit_deputy_records_changed_fields_without_phone_number(world):
    deputy = world.deputy_wz
    client = world.client(world.wuzhong_staff)
    url = reverse("people:deputy_edit", args=[deputy.pk])
    response = client.post(url, _form_data(deputy, name="吴新名", delegation="木渎镇代表小组", phone="13700137000"))
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.name == "吴新名" and deputy.delegation == "木渎镇代表小组" and deputy.phone == "13700137000"
    [event] = audit_events(deputy, "people.deputy.update")
    assert event.changes == {
        "name": ["吴测试", "吴新名"],
        "delegation": ["", "木渎镇代表小组"],
        "phone": "changed",
    }
    text = audit_text()
    assert "13700137000" not in text and "13800138000" not in text


def test_empty_phone_keeps_the_number_and_clear_removes_it(world):
    deputy = world.deputy_wz
    client = world.client(world.wuzhong_staff)
    url = reverse("people:deputy_edit", args=[deputy.pk])
    client.post(url, _form_data(deputy, occupation="工程师"))
    deputy.refresh_from_db()
    assert deputy.phone == "13800138000" and deputy.occupation == "工程师"
    client.post(url, _form_data(deputy, clear_phone="on"))
    deputy.refresh_from_db()
    assert deputy.phone == ""
    assert audit_events(deputy, "people.deputy.update")[0].changes == {"phone": "removed"}


def test_unchanged_edit_writes_no_audit_row(world):
    deputy = world.deputy_wz
    response = world.client(world.wuzhong_staff).post(
        reverse("people:deputy_edit", args=[deputy.pk]), _form_data(deputy)
    )
    assert response.status_code == 302
    assert audit_events(deputy) == []


def test_edit_page_never_shows_the_full_phone(world):
    page = world.client(world.wuzhong_staff).get(reverse("people:deputy_edit", args=[world.deputy_wz.pk]))
    text = page.content.decode()
    assert "13800138000" not in text and "138****8000" in text


def test_edit_to_region_outside_scope_is_refused(world):
    deputy = world.deputy_wz
    response = world.client(world.wuzhong_staff).post(
        reverse("people:deputy_edit", args=[deputy.pk]),
        _form_data(deputy, name="改名", region_code=world.canglang.code),
    )
    assert response.status_code == 200
    deputy.refresh_from_db()
    assert deputy.electoral_region == world.mudu and deputy.name == "吴测试"
    assert audit_events(deputy) == []


def test_photo_upload_is_reencoded_as_jpeg(world):
    deputy = world.deputy_wz
    url = reverse("people:deputy_edit", args=[deputy.pk])
    response = world.client(world.wuzhong_staff).post(url, _form_data(deputy, photo=png_upload()))
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.photo.name.startswith("people/") and deputy.photo.name.endswith(".jpg")
    with default_storage.open(deputy.photo.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
    assert audit_events(deputy, "people.deputy.update")[0].changes == {"photo": "changed"}


def test_create_with_photo(world):
    response = world.client(world.wuzhong_staff).post(
        reverse("people:deputy_create"), dict(NEW_DEPUTY, photo=png_upload())
    )
    assert response.status_code == 302
    deputy = Deputy.objects.get(name="新代表")
    with default_storage.open(deputy.photo.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"


def test_text_file_as_photo_is_refused(world):
    deputy = world.deputy_wz
    url = reverse("people:deputy_edit", args=[deputy.pk])
    response = world.client(world.wuzhong_staff).post(url, _form_data(deputy, name="改名", photo=text_upload()))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    deputy.refresh_from_db()
    assert not deputy.photo and deputy.name == "吴测试"
    assert audit_events(deputy) == []


def test_deactivate(world):
    deputy = world.deputy_wz
    url = reverse("people:deputy_deactivate", args=[deputy.pk])
    client = world.client(world.wuzhong_staff)
    assert client.get(url).status_code == 200
    deputy.refresh_from_db()
    assert deputy.is_active  # a GET only asks
    assert client.post(url).status_code == 302
    deputy.refresh_from_db()
    assert not deputy.is_active
    [event] = audit_events(deputy, "people.deputy.deactivate")
    assert event.changes == {"is_active": [True, False]}
    # Inactive deputies leave the default list but stay findable.
    listing = reverse("people:deputy_list")
    assert "吴测试" not in _names(client.get(listing, HTTP_HX_REQUEST="true"))
    assert "吴测试" in _names(client.get(listing, {"active": "0"}, HTTP_HX_REQUEST="true"))
    assert "吴测试" in _names(client.get(listing, {"active": "all"}, HTTP_HX_REQUEST="true"))


def test_deactivate_by_others_changes_nothing(world):
    deputy = world.deputy_wz
    assert_statuses(
        world,
        reverse("people:deputy_deactivate", args=[deputy.pk]),
        {"anonymous": 302, "outsider": 404, "keeper": 404, "deputy_user": 404, "gusu_staff": 404},
        method="post",
    )
    deputy.refresh_from_db()
    assert deputy.is_active
    assert audit_events(deputy) == []


def test_writes_by_others_change_nothing(world):
    deputy = world.deputy_wz
    url = reverse("people:deputy_edit", args=[deputy.pk])
    assert_statuses(
        world,
        url,
        {"keeper": 404, "deputy_user": 404, "gusu_staff": 404, "outsider": 404},
        method="post",
        data=_form_data(deputy, name="篡改"),
    )
    assert_statuses(
        world,
        reverse("people:deputy_create"),
        {"keeper": 404, "unit_user": 404, "outsider": 404},
        method="post",
        data=NEW_DEPUTY,
    )
    deputy.refresh_from_db()
    assert deputy.name == "吴测试"
    assert not Deputy.objects.filter(name="新代表").exists()
