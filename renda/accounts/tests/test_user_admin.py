"""System administrators manage the accounts of their own regions, and never their own roles."""

from renda.accounts.models import Grant, Role, User
from renda.audit.models import AuditEvent
from renda.testing import assert_statuses


def test_user_pages_grid(world):
    assert_statuses(
        world,
        "/accounts/users/",
        {"anonymous": 302, "outsider": 404, "wuzhong_staff": 404, "keeper": 404, "sysadmin": 200},
    )
    assert_statuses(
        world,
        f"/accounts/users/{world.gusu_staff.pk}/",
        {"anonymous": 302, "outsider": 404, "city_staff": 404, "sysadmin": 200},
    )


def test_admin_of_a_district_sees_only_its_accounts(world):
    wz_admin = User.objects.create_user("wz_admin", password="x")
    Grant.objects.create(user=wz_admin, role=Role.SYSTEM_ADMIN, region=world.wuzhong)
    body = world.client(wz_admin).get("/accounts/users/").content.decode()
    assert "wuzhong_staff" in body and "keeper" in body and "unit_user" in body
    assert "gusu_staff" not in body and "city_staff" not in body
    assert world.client(wz_admin).get(f"/accounts/users/{world.gusu_staff.pk}/").status_code == 404


def test_create_account_with_role(world):
    response = world.client(world.sysadmin).post(
        "/accounts/users/new/",
        {
            "username": "new.staff",
            "display_name": "新同事",
            "password": "Qz8#long-pass",
            "role": "congress_staff",
            "region_code": world.wuzhong.code,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.staff")
    assert user.must_change_password
    assert list(user.grants.values_list("role", "region__code")) == [("congress_staff", world.wuzhong.code)]
    assert AuditEvent.objects.filter(action="account.create", object_id=str(user.pk), actor=world.sysadmin).exists()


def test_grant_outside_admin_regions_is_refused(world):
    wz_admin = User.objects.create_user("wz_admin", password="x")
    Grant.objects.create(user=wz_admin, role=Role.SYSTEM_ADMIN, region=world.wuzhong)
    response = world.client(wz_admin).post(
        f"/accounts/users/{world.keeper.pk}/",
        {"role": "congress_staff", "region_code": world.gusu.code},
    )
    assert response.status_code == 200
    assert "在您管理的区域内未找到" in response.content.decode()
    assert not world.keeper.grants.filter(role="congress_staff").exists()


def test_nobody_grants_themselves(world):
    response = world.client(world.sysadmin).post(
        f"/accounts/users/{world.sysadmin.pk}/", {"role": "congress_staff", "region_code": world.suzhou.code}
    )
    assert response.status_code == 200
    assert not world.sysadmin.grants.filter(role="congress_staff").exists()


def test_remove_grant_and_disable(world):
    grant = world.gusu_staff.grants.get()
    client = world.client(world.sysadmin)
    assert client.post(f"/accounts/users/{world.gusu_staff.pk}/grants/{grant.pk}/remove/").status_code == 302
    assert not Grant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="grant.remove").count() == 1
    assert client.post(f"/accounts/users/{world.keeper.pk}/active/", {"active": "0"}).status_code == 302
    world.keeper.refresh_from_db()
    assert not world.keeper.is_active
    # and the disabled keeper's session no longer opens the back office
    assert world.client(world.keeper).get("/staff/").status_code in (302, 404)
