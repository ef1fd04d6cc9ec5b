"""Station detail, create, edit (staff: everything; keeper: the profile of their own station), deactivate."""

from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.stations.models import Station, StationKind
from renda.testing import assert_statuses

GRID_OUTSIDE = {"anonymous": 302, "outsider": 404, "unit_user": 404, "sysadmin": 404}


def detail(station):
    return reverse("stations:detail", args=[station.pk])


def edit(station):
    return reverse("stations:edit", args=[station.pk])


def test_detail_grid(world):
    assert_statuses(
        world,
        detail(world.mudu_home),
        {
            **GRID_OUTSIDE,
            "wuzhong_staff": 200,
            "city_staff": 200,
            "keeper": 200,
            "deputy_user": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "resort_staff": 404,
        },
    )
    assert_statuses(
        world,
        detail(world.weiting_station),
        {**GRID_OUTSIDE, "wuzhong_staff": 200, "park_staff": 200, "gusu_staff": 404, "keeper": 404},
    )
    assert_statuses(world, detail(world.xietang_station), {"park_staff": 200, "wuzhong_staff": 404})
    assert_statuses(
        world, detail(world.canglang_home), {"gusu_staff": 200, "keeper": 404, "deputy_user": 404, "park_staff": 404}
    )
    assert_statuses(world, reverse("stations:detail", args=[999999]), {"city_staff": 404})


def test_detail_shows_profile_deputies_head_first_and_public_url(world):
    world.mudu_home.theme = "枫桥夜泊"
    world.mudu_home.save(update_fields=["theme"])
    response = world.client(world.wuzhong_staff).get(detail(world.mudu_home))
    content = response.content.decode()
    assert [a.deputy.name for a in response.context["assignments"]] == ["吴测试", "苏测试"]
    assert "枫桥夜泊" in content
    assert "http://127.0.0.1:8000/s/MUDU01/" in content or "/s/MUDU01/" in content
    assert 'class="badge level-county"' in content and 'class="badge level-city"' in content
    # The deputy's phone never appears on a station page.
    assert "13800138000" not in content
    assert response.context["may_assign"] and response.context["may_manage"]


def test_keeper_sees_profile_editing_but_no_assignment_controls(world):
    response = world.client(world.keeper).get(detail(world.mudu_home))
    assert response.context["may_edit"] is True
    assert response.context["may_assign"] is False
    assert reverse("stations:assign", args=[world.mudu_home.pk]) not in response.content.decode()


def test_create_grid(world):
    assert_statuses(
        world,
        reverse("stations:create"),
        {**GRID_OUTSIDE, "keeper": 404, "deputy_user": 404, "wuzhong_staff": 200, "gusu_staff": 200},
    )


def station_data(region, **extra):
    data = {
        "name": "木渎镇示范村代表联系点",
        "kind": StationKind.POINT,
        "region": region.code,
        "address": "示范村村委会",
        "opening_hours": "周一至周五 9:00-17:00",
        "reception_hours": "每周三下午",
        "theme": "乡村振兴",
        "description": "",
        "latitude": "31.255",
        "longitude": "120.512",
    }
    data.update(extra)
    return data


def test_create_station_through_http(world):
    response = world.client(world.wuzhong_staff).post(reverse("stations:create"), station_data(world.mudu_village))
    station = Station.objects.get(name="木渎镇示范村代表联系点")
    assert response.status_code == 302 and response["Location"] == detail(station)
    assert station.region == world.mudu_village and station.kind == StationKind.POINT
    assert str(station.latitude) == "31.255000" and station.is_active
    assert len(station.public_code) == 6
    event = AuditEvent.objects.get(action="station.create")
    assert event.actor == world.wuzhong_staff and event.object_id == str(station.pk)
    assert event.region_path == world.mudu_village.path
    assert event.changes["region"] == world.mudu_village.pk


def test_create_rejects_a_region_outside_scope_and_bad_input(world):
    client = world.client(world.wuzhong_staff)
    response = client.post(reverse("stations:create"), station_data(world.canglang))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    response = client.post(reverse("stations:create"), station_data(world.mudu, name="木渎镇代表之家", latitude="95"))
    errors = response.context["form"].errors
    assert "name" in errors and "latitude" in errors
    assert not Station.objects.filter(name="木渎镇示范村代表联系点").exists()
    assert Station.objects.filter(name="木渎镇代表之家").count() == 1
    assert not AuditEvent.objects.exists()


def test_form_errors_read_in_chinese(world):
    response = world.client(world.wuzhong_staff).post(reverse("stations:create"), station_data(world.canglang))
    assert "您的管辖范围内没有该代码对应的区域" in response.content.decode()


def test_edit_grid(world):
    assert_statuses(
        world,
        edit(world.mudu_home),
        {
            **GRID_OUTSIDE,
            "wuzhong_staff": 200,
            "keeper": 200,
            "deputy_user": 404,
            "gusu_staff": 404,
            "park_staff": 404,
        },
    )
    assert_statuses(world, edit(world.weiting_station), {"keeper": 404, "park_staff": 200, "wuzhong_staff": 200})
    assert_statuses(world, edit(world.canglang_home), {"keeper": 404, "wuzhong_staff": 404, "gusu_staff": 200})


def test_staff_edit_saves_changes_and_audits_them(world):
    data = station_data(world.mudu, name="木渎代表之家（新）", kind=StationKind.HOME)
    response = world.client(world.wuzhong_staff).post(edit(world.mudu_home), data)
    assert response.status_code == 302
    station = Station.objects.get(pk=world.mudu_home.pk)
    assert (station.name, station.theme, station.reception_hours) == ("木渎代表之家（新）", "乡村振兴", "每周三下午")
    event = AuditEvent.objects.get(action="station.update")
    assert event.changes["name"] == ["木渎镇代表之家", "木渎代表之家（新）"]
    assert "kind" not in event.changes and "region" not in event.changes


def test_staff_cannot_move_a_station_out_of_their_scope(world):
    data = station_data(world.canglang, name="木渎镇代表之家", kind=StationKind.HOME)
    response = world.client(world.wuzhong_staff).post(edit(world.mudu_home), data)
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert Station.objects.get(pk=world.mudu_home.pk).region == world.mudu


def test_keeper_edits_profile_only(world):
    client = world.client(world.keeper)
    form = client.get(edit(world.mudu_home)).context["form"]
    assert set(form.fields) == {
        "address",
        "phone",
        "opening_hours",
        "reception_hours",
        "theme",
        "description",
        "latitude",
        "longitude",
    }
    data = station_data(world.canglang, name="改名", kind=StationKind.POINT, address="木渎镇中山路1号")
    response = client.post(edit(world.mudu_home), data)
    assert response.status_code == 302
    station = Station.objects.get(pk=world.mudu_home.pk)
    assert station.address == "木渎镇中山路1号" and station.theme == "乡村振兴"
    # Name, kind and region are not the keeper's to change, whatever the request carries.
    assert (station.name, station.kind, station.region) == ("木渎镇代表之家", StationKind.HOME, world.mudu)
    event = AuditEvent.objects.get(action="station.update")
    assert event.actor == world.keeper and set(event.changes) >= {"address", "theme"}
    assert not {"name", "kind", "region"} & set(event.changes)


def test_deactivate_and_reactivate(world):
    url = reverse("stations:deactivate", args=[world.mudu_home.pk])
    assert_statuses(
        world,
        url,
        {"anonymous": 302, "outsider": 404, "keeper": 404, "deputy_user": 404, "gusu_staff": 404, "park_staff": 404},
        method="post",
    )
    assert Station.objects.get(pk=world.mudu_home.pk).is_active
    assert world.client(world.wuzhong_staff).get(url).status_code == 405
    response = world.client(world.wuzhong_staff).post(url)
    assert response.status_code == 302
    assert not Station.objects.get(pk=world.mudu_home.pk).is_active
    assert AuditEvent.objects.get(action="station.deactivate").changes == {"is_active": [True, False]}
    # The keeper still finds their station, and staff can bring it back.
    assert world.client(world.keeper).get(detail(world.mudu_home)).status_code == 200
    world.client(world.wuzhong_staff).post(reverse("stations:reactivate", args=[world.mudu_home.pk]))
    assert Station.objects.get(pk=world.mudu_home.pk).is_active
    assert AuditEvent.objects.filter(action="station.reactivate").count() == 1


def test_keeper_sets_the_public_phone_and_bad_numbers_are_refused(world):
    client = world.client(world.keeper)
    data = station_data(world.canglang, name="改名", kind=StationKind.POINT, phone="手机号")
    response = client.post(edit(world.mudu_home), data)
    assert response.status_code == 200 and "phone" in response.context["form"].errors
    assert Station.objects.get(pk=world.mudu_home.pk).phone == ""
    response = client.post(edit(world.mudu_home), {**data, "phone": "0512-6666 8888"})
    assert response.status_code == 302
    assert Station.objects.get(pk=world.mudu_home.pk).phone == "0512-6666 8888"
    assert AuditEvent.objects.get(action="station.update").changes["phone"] == ["", "0512-6666 8888"]
