"""Region staff pages: who may open what (the grid), what they see, and writes checked in the database."""

import pytest
from django.urls import reverse

from renda.audit.models import AuditEvent
from renda.regions.models import Region, RegionKind, ZoneMembership
from renda.testing import assert_statuses

NOBODY_ELSE = {"anonymous": 302, "outsider": 404, "keeper": 404, "unit_user": 404, "deputy_user": 404, "sysadmin": 404}


def url(name, *args):
    return reverse(f"regions:{name}", args=args)


# ---------------------------------------------------------------------------------------------------------------
# The grid


def test_list_grid_and_contents(world):
    assert_statuses(
        world,
        url("list"),
        {**NOBODY_ELSE, "city_staff": 200, "wuzhong_staff": 200, "gusu_staff": 200, "park_staff": 200},
    )
    names = {
        user: world.client(getattr(world, user)).get(url("list")).context["page"].object_list
        for user in ("wuzhong_staff", "gusu_staff", "park_staff", "resort_staff")
    }
    as_names = {user: {region.name for region in page} for user, page in names.items()}
    assert as_names["wuzhong_staff"] == {"吴中区", "唯亭街道", "木渎镇", "金庭镇", "木渎镇示范村"}
    assert as_names["gusu_staff"] == {"姑苏区", "沧浪街道"}
    assert as_names["park_staff"] == {"苏州工业园区", "斜塘街道", "唯亭街道"}
    assert as_names["resort_staff"] == {"苏州太湖国家旅游度假区", "金庭镇"}


def test_detail_grid_for_a_district(world):
    assert_statuses(
        world,
        url("detail", world.wuzhong.code),
        {
            **NOBODY_ELSE,
            "city_staff": 200,
            "wuzhong_staff": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "resort_staff": 404,
        },
    )
    assert_statuses(world, url("detail", "999999999999"), {"city_staff": 404, "wuzhong_staff": 404})


def test_detail_grid_for_a_town_managed_by_a_zone(world):
    expected = {**NOBODY_ELSE, "wuzhong_staff": 200, "park_staff": 200, "gusu_staff": 404, "resort_staff": 404}
    assert_statuses(world, url("detail", world.weiting.code), expected)
    expected = {**NOBODY_ELSE, "wuzhong_staff": 200, "resort_staff": 200, "park_staff": 404, "gusu_staff": 404}
    assert_statuses(world, url("detail", world.jinting.code), expected)


def test_detail_grid_for_a_zone_and_its_legal_parent(world):
    expected = {**NOBODY_ELSE, "city_staff": 200, "park_staff": 200, "wuzhong_staff": 404, "resort_staff": 404}
    assert_statuses(world, url("detail", world.park.code), expected)
    # A zone's staff see the zone's streets but not the districts they legally belong to.
    assert_statuses(world, url("detail", world.huqiu.code), {"park_staff": 404, "city_staff": 200})


def test_create_and_edit_grids(world):
    expected = {**NOBODY_ELSE, "city_staff": 200, "wuzhong_staff": 200, "gusu_staff": 404, "park_staff": 404}
    assert_statuses(world, url("create", world.mudu.code), expected)
    assert_statuses(world, url("edit", world.mudu.code), expected)
    # park_staff may edit the park's streets, though not their legal district.
    assert_statuses(world, url("edit", world.weiting.code), {"park_staff": 200, "gusu_staff": 404})
    # Nothing below a village, and cities and counties come from the official list only.
    assert_statuses(world, url("create", world.mudu_village.code), {"wuzhong_staff": 404})
    assert_statuses(world, url("create", world.suzhou.code), {"city_staff": 404})
    assert_statuses(world, url("create", world.wuzhong.code), {"wuzhong_staff": 200, "gusu_staff": 404})


def test_zone_member_grids(world):
    # Who belongs to a zone is decided above it: the city, not the zone's own staff.
    expected = {**NOBODY_ELSE, "city_staff": 200, "park_staff": 404, "wuzhong_staff": 404, "gusu_staff": 404}
    assert_statuses(world, url("zone_members", world.park.code), expected)
    assert_statuses(world, url("zone_members", world.wuzhong.code), {"city_staff": 404})  # not a zone
    remove = url("zone_member_remove", world.park.code, world.weiting.code)
    assert_statuses(world, remove, {"city_staff": 405, "anonymous": 302, "outsider": 404})
    assert_statuses(world, remove, {**NOBODY_ELSE, "park_staff": 404, "gusu_staff": 404}, method="post")
    assert ZoneMembership.objects.filter(zone=world.park, member=world.weiting).exists()


# ---------------------------------------------------------------------------------------------------------------
# What the pages show


def test_detail_shows_breadcrumbs_children_zones_and_counts(world):
    response = world.client(world.wuzhong_staff).get(url("detail", world.mudu.code))
    context = response.context
    assert [region.name for region in context["ancestors"]] == ["吴中区"]  # 苏州市 is outside wuzhong_staff's scope
    assert [region.name for region in context["children"].object_list] == ["木渎镇示范村"]
    assert (context["station_count"], context["deputy_count"]) == (1, 1)
    assert context["can_add_child"] and context["can_edit"]

    response = world.client(world.wuzhong_staff).get(url("detail", world.weiting.code))
    assert [(zone.name, visible) for zone, visible in response.context["zones"]] == [("苏州工业园区", False)]
    assert "苏州工业园区" in response.text and url("detail", world.park.code) not in response.text

    response = world.client(world.park_staff).get(url("detail", world.weiting.code))
    assert response.context["ancestors"] == []
    assert "吴中区" not in response.text
    assert [(zone.name, visible) for zone, visible in response.context["zones"]] == [("苏州工业园区", True)]

    response = world.client(world.park_staff).get(url("detail", world.park.code))
    assert {region.name for region in response.context["members"]} == {"斜塘街道", "唯亭街道"}
    assert (response.context["station_count"], response.context["deputy_count"]) == (2, 0)
    assert not response.context["can_manage_members"]

    response = world.client(world.city_staff).get(url("detail", world.wuzhong.code))
    assert (response.context["station_count"], response.context["deputy_count"]) == (2, 1)
    assert [region.name for region in response.context["ancestors"]] == ["苏州市"]


def test_search_by_name_or_code_and_filter_by_kind(world):
    client = world.client(world.city_staff)

    def names(**params):
        return [region.name for region in client.get(url("list"), params).context["page"].object_list]

    assert names(q="木渎") == ["木渎镇", "木渎镇示范村"]
    assert names(q="320506") == ["吴中区", "唯亭街道", "木渎镇", "木渎镇示范村", "金庭镇"]  # tree order
    assert names(kind="zone") == ["苏州工业园区", "苏州太湖国家旅游度假区"]
    assert names(q="街道", kind="street") == ["狮山街道", "斜塘街道", "唯亭街道", "沧浪街道"]
    assert names(kind="nonsense") == names()


def test_htmx_search_returns_only_the_table(world):
    client = world.client(world.city_staff)
    response = client.get(url("list"), {"q": "金庭"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "金庭镇" in response.text and "木渎镇" not in response.text
    full = client.get(url("list"), {"q": "金庭"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.text
    page = client.get(url("list"))
    assert 'hx-get="/staff/regions/"' in page.text and 'id="region-results"' in page.text


def test_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    client = world.client(world.city_staff)
    client.get(url("list"))  # warm the session
    # session, user, the user's grants (scope), the count, one page of rows with their legal parents
    with django_assert_num_queries(5):
        first = client.get(url("list"))
    Region.objects.bulk_create(
        Region(
            code=f"320506108{index:03d}",
            name=f"村{index}",
            kind=RegionKind.VILLAGE,
            parent=world.mudu,
            path=world.mudu.path + f"320506108{index:03d}",
            depth=4,
        )
        for index in range(300, 420)
    )
    with django_assert_num_queries(5):
        second = client.get(url("list"))
    assert first.context["page"].paginator.count + 120 == second.context["page"].paginator.count
    assert len(second.context["page"].object_list) == 50


def test_detail_query_count_is_fixed(world, django_assert_max_num_queries):
    client = world.client(world.city_staff)
    client.get(url("detail", world.park.code))
    with django_assert_max_num_queries(12):
        client.get(url("detail", world.park.code))


# ---------------------------------------------------------------------------------------------------------------
# Writes


def test_create_a_village_under_a_town(world):
    response = world.client(world.wuzhong_staff).post(
        url("create", world.mudu.code), {"code": "320506108202", "name": "木渎镇新村", "kind": "village"}
    )
    assert response.status_code == 302
    region = Region.objects.get(code="320506108202")
    assert response.url == url("detail", region.code)
    assert (region.parent, region.kind, region.path, region.depth) == (
        world.mudu,
        "village",
        world.mudu.path + "320506108202",
        4,
    )
    event = AuditEvent.objects.get(action="regions.create_region")
    assert (event.actor, event.object_id, event.region_path) == (world.wuzhong_staff, str(region.pk), region.path)
    assert event.changes == {"code": "320506108202", "name": "木渎镇新村", "kind": "village"}


def test_create_a_town_under_a_district(world):
    response = world.client(world.wuzhong_staff).post(
        url("create", world.wuzhong.code), {"code": "320506130000", "name": "新设镇", "kind": "town"}
    )
    assert response.status_code == 302
    assert Region.objects.get(code="320506130000").parent == world.wuzhong


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "320507108202", "name": "错码村", "kind": "village"}, "code", "必须以 320506108 开头"),
        ({"code": "32050610820", "name": "短码村", "kind": "village"}, "code", "12 位数字"),
        ({"code": "320506108201", "name": "重复村", "kind": "village"}, "code", "已存在"),
        ({"code": "320506108000", "name": "形状", "kind": "village"}, "code", "已存在"),
        ({"code": "320506108203", "name": "", "kind": "village"}, "name", "必填"),
        ({"code": "320506108203", "name": "镇下镇", "kind": "town"}, "kind", "选择一个有效的选项"),
    ],
)
def test_create_rejects_and_explains_in_chinese(world, data, field, message):
    count = Region.objects.count()
    response = world.client(world.wuzhong_staff).post(url("create", world.mudu.code), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert Region.objects.count() == count
    assert not AuditEvent.objects.filter(action="regions.create_region").exists()


def test_create_rejects_a_bad_code_shape(world):
    response = world.client(world.wuzhong_staff).post(
        url("create", world.mudu.code), {"code": "320506108000", "name": "x", "kind": "community"}
    )
    assert response.context["form"].errors["code"]
    response = world.client(world.wuzhong_staff).post(
        url("create", world.wuzhong.code), {"code": "320506130001", "name": "x", "kind": "town"}
    )
    assert "不符合镇代码的格式" in response.context["form"].errors["code"][0]
    assert not Region.objects.filter(code__in=["320506130001"]).exists()


def test_create_under_a_parent_outside_scope_is_missing(world):
    response = world.client(world.gusu_staff).post(
        url("create", world.mudu.code), {"code": "320506108202", "name": "越界村", "kind": "village"}
    )
    assert response.status_code == 404
    assert not Region.objects.filter(code="320506108202").exists()
    assert not AuditEvent.objects.exists()


def test_edit_renames_and_audits(world):
    response = world.client(world.wuzhong_staff).post(url("edit", world.mudu.code), {"name": "木渎镇（新）"})
    assert response.status_code == 302
    world.mudu.refresh_from_db()
    assert world.mudu.name == "木渎镇（新）"
    assert world.mudu.code == "320506108000" and world.mudu.parent == world.wuzhong
    event = AuditEvent.objects.get(action="regions.update_region")
    assert event.changes == {"name": ["木渎镇", "木渎镇（新）"]}
    # Saving the same name again changes nothing and records nothing.
    world.client(world.wuzhong_staff).post(url("edit", world.mudu.code), {"name": "木渎镇（新）"})
    assert AuditEvent.objects.filter(action="regions.update_region").count() == 1


def test_edit_ignores_code_and_parent(world):
    world.client(world.wuzhong_staff).post(
        url("edit", world.mudu.code), {"name": "木渎镇", "code": "320506999000", "parent": world.gusu.pk}
    )
    world.mudu.refresh_from_db()
    assert (world.mudu.code, world.mudu.parent) == ("320506108000", world.wuzhong)


def test_edit_outside_scope_is_missing(world):
    response = world.client(world.gusu_staff).post(url("edit", world.mudu.code), {"name": "改名"})
    assert response.status_code == 404
    world.mudu.refresh_from_db()
    assert world.mudu.name == "木渎镇"


def test_city_staff_add_and_remove_zone_members(world):
    client = world.client(world.city_staff)
    response = client.post(url("zone_members", world.park.code), {"member": world.shishan.code})
    assert response.status_code == 302
    assert ZoneMembership.objects.filter(zone=world.park, member=world.shishan).exists()
    event = AuditEvent.objects.get(action="regions.add_zone_member")
    assert event.object_id == str(world.park.pk) and event.changes == {"member": [world.shishan.code, "狮山街道"]}
    # The zone's staff now reach the street.
    assert world.client(world.park_staff).get(url("detail", world.shishan.code)).status_code == 200

    response = client.post(url("zone_member_remove", world.park.code, world.shishan.code))
    assert response.status_code == 302
    assert not ZoneMembership.objects.filter(zone=world.park, member=world.shishan).exists()
    assert AuditEvent.objects.filter(action="regions.remove_zone_member").count() == 1
    assert world.client(world.park_staff).get(url("detail", world.shishan.code)).status_code == 404


def test_zone_members_must_be_towns_in_the_users_scope(world):
    """A zone under 吴中区, managed by 吴中区 staff: they may add 吴中区 towns only."""
    zone = Region.objects.create(
        code="320591000000", name="吴中经济技术开发区", kind=RegionKind.ZONE, parent=world.wuzhong, is_official=False
    )
    client = world.client(world.wuzhong_staff)
    choices = client.get(url("zone_members", zone.code)).context["form"].fields["member"].queryset
    assert {region.name for region in choices} == {"唯亭街道", "木渎镇", "金庭镇"}
    for outside in (world.canglang, world.mudu_village, world.wuzhong):  # other district, a village, not a town
        response = client.post(url("zone_members", zone.code), {"member": outside.code})
        assert response.status_code == 200
        assert "选择一个有效的选项" in response.context["form"].errors["member"][0]
    assert not ZoneMembership.objects.filter(zone=zone).exists()
    assert client.post(url("zone_members", zone.code), {"member": world.mudu.code}).status_code == 302
    assert list(zone.zone_members.all()) == [world.mudu]
    # gusu_staff cannot remove it, wuzhong_staff can.
    remove = url("zone_member_remove", zone.code, world.mudu.code)
    assert world.client(world.gusu_staff).post(remove).status_code == 404
    assert client.post(remove).status_code == 302
    assert not zone.zone_members.exists()
