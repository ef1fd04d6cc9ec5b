"""The account pages (三员): system admins manage the accounts of their regions, security admins grant roles there,
the superuser only sets up the three administrators; nobody changes their own roles."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from renda.accounts.models import Grant, Role, User
from renda.audit.models import AuditEvent
from renda.testing import PASSWORD, assert_statuses


@pytest.fixture
def admins(world):
    """secadmin: security admin at 苏州市; sec_wz: security admin at 吴中区; auditor: audit admin at 苏州市;
    root: the Django superuser, holding no role."""

    def user(name, role=None, region=None):
        account = User.objects.create_user(name, password=PASSWORD, display_name=name)
        if role:
            Grant.objects.create(user=account, role=role, region=region)
        return account

    world.secadmin = user("secadmin", Role.SECURITY_ADMIN, world.suzhou)
    world.sec_wz = user("sec_wz", Role.SECURITY_ADMIN, world.wuzhong)
    world.auditor = user("auditor", Role.AUDIT_ADMIN, world.suzhou)
    world.root = User.objects.create_superuser("root", password=PASSWORD)
    return world


def test_user_pages_grid(admins):
    w = admins
    everyone = {"anonymous": 302, "outsider": 404, "wuzhong_staff": 404, "keeper": 404, "auditor": 404}
    assert_statuses(w, "/accounts/users/", {**everyone, "sysadmin": 200, "secadmin": 200, "sec_wz": 200, "root": 200})
    # Creating accounts is the system admin's (and the superuser's, for the administrators); not the security admin's.
    assert_statuses(w, "/accounts/users/new/", {**everyone, "sysadmin": 200, "secadmin": 404, "root": 200})
    gusu = f"/accounts/users/{w.gusu_staff.pk}/"
    assert_statuses(w, gusu, {**everyone, "city_staff": 404, "sysadmin": 200, "secadmin": 200, "sec_wz": 404})
    assert_statuses(w, gusu + "active/", {"secadmin": 404, "sec_wz": 404, "auditor": 404}, method="post")
    assert_statuses(w, gusu + "password/", {"secadmin": 404, "auditor": 404}, method="post")
    # The superuser finds the account, but manages only administrators' accounts: not a congress staff member's.
    assert_statuses(w, gusu + "active/", {"root": 404}, method="post", data={"active": "0"})
    assert User.objects.get(pk=w.gusu_staff.pk).is_active
    # The superuser has no business role: no staff list, no audit log, no locks page has anything for it.
    assert_statuses(w, "/staff/audit/", {"root": 404, "secadmin": 404, "auditor": 200})
    assert_statuses(w, "/accounts/locks/", {"root": 404, "sysadmin": 404, "auditor": 404, "secadmin": 200})
    assert w.client(w.root).get("/staff/stations/").status_code == 404
    assert w.client(w.root).get(f"/staff/stations/{w.mudu_home.pk}/").status_code == 404
    home = w.client(w.root).get("/staff/")
    counts = [count.count for section in home.context["sections"] for count in section.counts]
    assert home.status_code == 200 and all(count == 0 for count in counts)


def test_grant_form_offers_each_admin_its_own_roles(admins):
    w = admins

    def offered(user, account):
        return {
            value
            for value, _label in w.client(user)
            .get(f"/accounts/users/{account.pk}/")
            .context["form"]
            .fields["role"]
            .choices
        }

    ordinary = {"congress_staff", "cppcc_staff", "station_keeper", "unit_staff", "deputy"}
    admin_roles = {"system_admin", "security_admin", "audit_admin"}
    assert offered(w.sysadmin, w.keeper) == ordinary
    assert offered(w.secadmin, w.keeper) == ordinary | admin_roles
    assert offered(w.root, w.keeper) == admin_roles
    assert w.client(w.auditor).get(f"/accounts/users/{w.keeper.pk}/").status_code == 404


def test_security_admin_grants_roles_inside_its_regions(admins):
    w = admins
    client = w.client(w.sec_wz)
    # An ordinary role and an administrator role, inside 吴中区.
    url = f"/accounts/users/{w.keeper.pk}/"
    assert client.post(url, {"role": "congress_staff", "region_code": w.mudu.code}).status_code == 302
    assert client.post(url, {"role": "audit_admin", "region_code": w.wuzhong.code}).status_code == 302
    assert set(w.keeper.grants.values_list("role", flat=True)) == {"station_keeper", "congress_staff", "audit_admin"}
    assert AuditEvent.objects.filter(action="grant.add", actor=w.sec_wz).count() == 2
    # Outside its regions: refused as if missing.
    response = client.post(url, {"role": "congress_staff", "region_code": w.gusu.code})
    assert response.status_code == 200 and "在您管理的区域内未找到" in response.content.decode()
    assert client.get(f"/accounts/users/{w.gusu_staff.pk}/").status_code == 404
    # It removes grants in its regions, and never touches its own.
    grant = w.keeper.grants.get(role="congress_staff")
    assert client.post(f"{url}grants/{grant.pk}/remove/").status_code == 302
    own = w.sec_wz.grants.get()
    assert client.post(f"/accounts/users/{w.sec_wz.pk}/grants/{own.pk}/remove/").status_code == 404
    assert (
        client.post(
            f"/accounts/users/{w.sec_wz.pk}/", {"role": "system_admin", "region_code": w.wuzhong.code}
        ).status_code
        == 404
    )
    assert w.sec_wz.grants.count() == 1


def test_system_admin_does_not_grant_administrator_roles(admins):
    w = admins
    client = w.client(w.sysadmin)
    response = client.post(f"/accounts/users/{w.keeper.pk}/", {"role": "security_admin", "region_code": w.suzhou.code})
    assert response.status_code == 200 and not w.keeper.grants.filter(role="security_admin").exists()
    new = {
        "username": "x.admin",
        "display_name": "X",
        "password": "Qz8#long-pass",
        "role": "audit_admin",
        "region_code": w.suzhou.code,
    }
    assert client.post("/accounts/users/new/", new).status_code == 200
    assert not User.objects.filter(username="x.admin").exists()
    # Nor removes one.
    grant = w.secadmin.grants.get()
    assert client.post(f"/accounts/users/{w.secadmin.pk}/grants/{grant.pk}/remove/").status_code == 404
    # The actions check it themselves, whoever calls them.
    from django.core.exceptions import PermissionDenied

    from renda.accounts import actions

    with pytest.raises(PermissionDenied):
        actions.add_grant(w.sysadmin, Grant(user=w.keeper, role=Role.SECURITY_ADMIN, region=w.suzhou))
    with pytest.raises(PermissionDenied):
        actions.remove_grant(w.sysadmin, grant)
    with pytest.raises(PermissionDenied):
        actions.reset_password(w.secadmin, w.keeper, "Reset#Pass80")
    assert Grant.objects.filter(pk=grant.pk).exists() and not w.keeper.grants.filter(role="security_admin").exists()


def test_superuser_sets_up_the_three_admins_and_nothing_else(admins):
    w = admins
    client = w.client(w.root)
    for name, role in (("sys2", "system_admin"), ("sec2", "security_admin"), ("aud2", "audit_admin")):
        data = {
            "username": name,
            "display_name": name,
            "password": "Qz8#long-pass",
            "role": role,
            "region_code": w.suzhou.code,
        }
        assert client.post("/accounts/users/new/", data).status_code == 302
        assert list(User.objects.get(username=name).grants.values_list("role", flat=True)) == [role]
    # No business role, even on an administrator's account.
    data = {
        "username": "staff2",
        "display_name": "s",
        "password": "Qz8#long-pass",
        "role": "congress_staff",
        "region_code": w.suzhou.code,
    }
    assert client.post("/accounts/users/new/", data).status_code == 200
    response = client.post(f"/accounts/users/{w.keeper.pk}/", {"role": "congress_staff", "region_code": w.mudu.code})
    assert response.status_code == 200 and not w.keeper.grants.filter(role="congress_staff").exists()
    grant = w.keeper.grants.get()
    assert client.post(f"/accounts/users/{w.keeper.pk}/grants/{grant.pk}/remove/").status_code == 404


def test_system_admin_resets_a_password(admins):
    w = admins
    other = w.client(w.wuzhong_staff)
    assert other.get("/staff/opinions/").status_code == 200
    client = w.client(w.sysadmin)
    url = f"/accounts/users/{w.wuzhong_staff.pk}/password/"
    # The history rule applies to a reset too: the current password is refused.
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 200 and "不得与" in response.content.decode()
    assert client.post(url, {"password": "Reset#Pass77"}).status_code == 302
    user = User.objects.get(pk=w.wuzhong_staff.pk)
    assert user.check_password("Reset#Pass77") and user.must_change_password
    assert other.get("/staff/opinions/").status_code == 302  # its sessions ended
    assert AuditEvent.objects.filter(action="account.password_reset", actor=w.sysadmin, object_id=str(user.pk)).exists()
    # Not on oneself, not by a security admin.
    assert client.post(f"/accounts/users/{w.sysadmin.pk}/password/", {"password": "Reset#Pass78"}).status_code == 404
    assert w.client(w.secadmin).post(url, {"password": "Reset#Pass79"}).status_code == 404


def test_disable_superusers_command(admins):
    w = admins
    # Refused while an administrator role has no active holder: here the world's only system admin loses its grant.
    Grant.objects.filter(user=w.sysadmin).delete()
    with pytest.raises(CommandError, match="system_admin"):
        call_command("disable_superusers")
    assert User.objects.get(pk=w.root.pk).is_active
    Grant.objects.create(user=w.sysadmin, role=Role.SYSTEM_ADMIN, region=w.suzhou)
    session = w.client(w.root)
    assert session.get("/accounts/users/").status_code == 200
    call_command("disable_superusers", stdout=open("/dev/null", "w"))
    root = User.objects.get(pk=w.root.pk)
    assert not root.is_active and root.is_superuser
    assert session.get("/accounts/users/").status_code == 302  # its session is over
    anonymous = Client()
    response = anonymous.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in anonymous.session
    assert AuditEvent.objects.filter(action="account.superuser_disable", object_id=str(root.pk)).exists()


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
    assert response.status_code == 404  # no grant form on one's own account at all
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


def test_django_admin_reads_no_audit_and_grants_nothing(admins):
    """The Django admin (a repair tool for the superuser) does not bypass 三员: no audit records, grants shown only."""
    w = admins
    client = w.client(w.root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/audit/auditevent/").status_code == 403
    assert client.get("/admin/accounts/grant/").status_code == 200
    grant = w.keeper.grants.get()
    assert client.get("/admin/accounts/grant/add/").status_code == 403
    assert client.post(f"/admin/accounts/grant/{grant.pk}/delete/", {"post": "yes"}).status_code == 403
    assert w.keeper.grants.filter(pk=grant.pk).exists()
