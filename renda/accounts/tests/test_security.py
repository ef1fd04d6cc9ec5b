"""Staff account security: password rules, first-login change, lockout, sessions, 三员 separation."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from renda.accounts import lockout
from renda.accounts.access import may_grant
from renda.accounts.middleware import SEEN, STARTED
from renda.accounts.models import Grant, LoginAttempt, Role, User
from renda.audit.models import AuditEvent
from renda.testing import PASSWORD, assert_statuses

pytestmark = pytest.mark.django_db


def _errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_password_rules_each_rule(world):
    user = world.wuzhong_staff
    assert "password_too_short" in _errors("Ab1#", user)
    assert "password_too_simple" in _errors("alllowercase", user)
    assert "password_too_simple" in _errors("lowerUPPERonly", user)
    assert _errors("Lower-Upper9x", user) == set()
    assert "password_contains_username" in _errors(f"X9#{user.username.upper()}q", user)


def test_last_five_passwords_cannot_be_reused(world):
    user = User.objects.create_user("hist", password="Start#Pass1")
    for n in range(2, 7):
        user.set_password(f"Next#Pass{n}")
        user.save()
    assert "password_reused" in _errors("Next#Pass6", user)  # current
    assert "password_reused" in _errors("Next#Pass2", user)  # fifth back
    assert _errors("Start#Pass1", user) == set()  # sixth back: allowed again
    assert user.password_history.count() == 5


def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_first_login_forces_a_password_change(world):
    user = User.objects.create_user("fresh", password="Start#Pass1", must_change_password=True)
    Grant.objects.create(user=user, role=Role.CONGRESS_STAFF, region=world.wuzhong)
    client = Client()
    assert _login(client, "fresh", "Start#Pass1").status_code == 302
    response = client.get("/staff/opinions/")
    assert response.status_code == 302 and response.url == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {"old_password": "Start#Pass1", "new_password1": "Better#Pass2", "new_password2": "Better#Pass2"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/staff/opinions/").status_code == 200
    assert AuditEvent.objects.filter(action="account.password_change", actor=user).exists()


def test_expired_password_forces_a_change(world):
    user = world.wuzhong_staff
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = world.client(user)
    assert client.get("/staff/opinions/").url == "/accounts/password/"
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client.get("/staff/opinions/").status_code == 200


def test_login_is_audited_and_account_locks_after_five_failures(world):
    client = Client()
    for _ in range(5):
        assert _login(client, "wuzhong_staff", "wrong").status_code == 200
    response = _login(client, "wuzhong_staff", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert lockout.account_lock("wuzhong_staff")
    assert AuditEvent.objects.filter(action="login.failed", result="failed").count() == 5
    assert AuditEvent.objects.filter(action="login.locked", result="locked").count() == 1
    # Released 15 minutes after the last failure (explicit now).
    later = timezone.now() + timedelta(minutes=16)
    assert lockout.account_lock("wuzhong_staff", now=later) is None
    LoginAttempt.objects.filter(username="wuzhong_staff").update(at=timezone.now() - timedelta(minutes=16))
    assert _login(client, "wuzhong_staff", PASSWORD, ip="10.0.0.2").status_code == 302
    assert AuditEvent.objects.filter(action="login", result="ok", actor=world.wuzhong_staff).count() == 1


def test_ip_locks_after_five_failures_across_accounts(world):
    client = Client()
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _login(client, name, "wrong", ip="10.9.9.9")
    assert lockout.ip_lock("10.9.9.9")
    assert _login(client, "wuzhong_staff", PASSWORD, ip="10.9.9.9").status_code == 200
    assert _login(client, "wuzhong_staff", PASSWORD, ip="10.9.9.8").status_code == 302
    assert lockout.ip_lock("10.9.9.9", now=timezone.now() + timedelta(minutes=16)) is None


def _security_admin(world, region):
    user = User.objects.create_user(f"sec_{region.pk}", password=PASSWORD)
    Grant.objects.create(user=user, role=Role.SECURITY_ADMIN, region=region)
    return user


def test_lock_page_grid_and_unlock(world, django_assert_max_num_queries):
    sec_wz, sec_gusu = _security_admin(world, world.wuzhong), _security_admin(world, world.gusu)
    world.sec_wz, world.sec_gusu = sec_wz, sec_gusu
    assert_statuses(world, "/accounts/locks/", {"anonymous": 302, "outsider": 404, "wuzhong_staff": 404, "sec_wz": 200})
    now = timezone.now()
    for _ in range(5):
        LoginAttempt.objects.create(username="wuzhong_staff", ip="10.0.0.1", at=now, result="failed")
    client = world.client(sec_wz)
    with django_assert_max_num_queries(8):
        assert "wuzhong_staff" in client.get("/accounts/locks/").content.decode()
    assert "wuzhong_staff" not in world.client(sec_gusu).get("/accounts/locks/").content.decode()
    url = f"/accounts/locks/{world.wuzhong_staff.pk}/unlock/"
    assert world.client(sec_gusu).post(url).status_code == 404
    assert client.post(url).status_code == 302
    assert lockout.account_lock("wuzhong_staff") is None
    assert AuditEvent.objects.filter(action="account.unlock", actor=sec_wz).exists()


def test_idle_and_absolute_timeouts(world, settings):
    client = world.client(world.wuzhong_staff)
    assert client.get("/staff/opinions/").status_code == 200
    session = client.session
    session[SEEN] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    assert client.get("/staff/opinions/").status_code == 302
    assert "_auth_user_id" not in client.session

    client = world.client(world.wuzhong_staff)
    session = client.session
    session[STARTED] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    assert client.get("/staff/opinions/").status_code == 302


def test_logout_everywhere(world):
    other_device = world.client(world.wuzhong_staff)
    this_device = world.client(world.wuzhong_staff)
    assert other_device.get("/staff/opinions/").status_code == 200
    assert this_device.get("/accounts/security/").status_code == 200
    assert this_device.post("/accounts/security/").status_code == 302
    assert other_device.get("/staff/opinions/").status_code == 302
    assert this_device.get("/staff/opinions/").status_code == 302
    assert AuditEvent.objects.filter(action="account.logout_everywhere").count() == 1


def test_separation_of_duties(world):
    sec = _security_admin(world, world.suzhou)
    auditor = User.objects.create_user("auditor", password=PASSWORD)
    Grant.objects.create(user=auditor, role=Role.AUDIT_ADMIN, region=world.suzhou)
    admin_grant = Grant(user=world.wuzhong_staff, role=Role.AUDIT_ADMIN, region=world.wuzhong)
    staff_grant = Grant(user=world.gusu_staff, role=Role.CONGRESS_STAFF, region=world.wuzhong)
    # System admin: ordinary roles yes, administrator roles no.
    assert may_grant(world.sysadmin, staff_grant)
    assert not may_grant(world.sysadmin, admin_grant)
    # Security admin: administrator roles yes.
    assert may_grant(sec, admin_grant)
    # Audit admin: no grants at all, and reads the audit log only while holding no managing role.
    assert not may_grant(auditor, staff_grant) and not may_grant(auditor, admin_grant)
    from renda.accounts.scope import scope_for

    assert scope_for(auditor).may_read_audit
    assert not scope_for(sec).may_read_audit
    both = User.objects.create_user("both", password=PASSWORD)
    Grant.objects.create(user=both, role=Role.AUDIT_ADMIN, region=world.suzhou)
    Grant.objects.create(user=both, role=Role.SECURITY_ADMIN, region=world.suzhou)
    assert not scope_for(both).may_read_audit
    assert not may_grant(both, staff_grant)
    # Nobody grants themselves.
    assert not may_grant(sec, Grant(user=sec, role=Role.AUDIT_ADMIN, region=world.suzhou))


def _totp_now(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_otp_required_for_admins_and_verified_with_a_real_code(world, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a failure; not what this test is about

    client = Client()
    client.force_login(world.sysadmin)
    response = client.get("/accounts/users/")
    assert response.status_code == 302 and response.url.startswith("/accounts/otp/")
    # Enrolment: the page shows a locally drawn QR code, a wrong code is refused and audited.
    page = client.get("/accounts/otp/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.sysadmin)
    assert client.post("/accounts/otp/", {"token": "000000" if _totp_now(device) != "000000" else "111111"})
    assert AuditEvent.objects.filter(action="otp.failed", actor=world.sysadmin).exists()
    response = client.post("/accounts/otp/?next=/accounts/users/", {"token": _totp_now(device)})
    assert response.status_code == 302 and response.url == "/accounts/users/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/users/").status_code == 200
    # Ordinary staff need no second factor (OTP_REQUIRED_FOR_STAFF off by default) ...
    staff = Client()
    staff.force_login(world.wuzhong_staff)
    assert staff.get("/staff/opinions/").status_code == 200


def test_otp_for_all_staff_when_configured(world, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    staff = Client()
    staff.force_login(world.wuzhong_staff)
    assert staff.get("/staff/opinions/").url.startswith("/accounts/otp/")


def test_every_spelling_of_a_name_shares_one_lock(world):
    """Full-width letters are the same name to Django's sign-in (NFKC), and usernames are unique regardless of case:
    typing the name differently must neither get fresh tries nor pass a lock."""
    client = Client()
    # Django's sign-in itself accepts the full-width spelling: the lock must see the same account.
    assert _login(client, "ｗｕｚｈｏｎｇ＿ｓｔａｆｆ", PASSWORD).status_code == 302
    client = Client()
    for spelling in (
        "wuzhong_staff",
        "WUZHONG_STAFF",
        "ｗｕｚｈｏｎｇ＿ｓｔａｆｆ",
        "Wuzhong_Staff",
        "ＷＵＺＨＯＮＧ_staff",
    ):
        assert _login(client, spelling, "wrong", ip=f"10.1.0.{len(spelling) % 7}").status_code == 200
    assert lockout.account_lock("wuzhong_staff")
    assert lockout.account_lock("Ｗｕｚｈｏｎｇ_STAFF")
    for spelling in ("ｗｕｚｈｏｎｇ＿ｓｔａｆｆ", "wuzhong_staff", " wuzhong_staff"):
        response = _login(client, spelling, PASSWORD, ip="10.2.0.1")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert set(LoginAttempt.objects.values_list("username", flat=True)) == {"wuzhong_staff"}
    # The audit log keeps the name as typed.
    typed = {e.changes["username"] for e in AuditEvent.objects.filter(action="login.failed")}
    assert "ｗｕｚｈｏｎｇ＿ｓｔａｆｆ" in typed and "WUZHONG_STAFF" in typed
    # The locks page shows the account, and unlocking it clears every spelling.
    sec = _security_admin(world, world.suzhou)
    admin = world.client(sec)
    assert "wuzhong_staff" in admin.get("/accounts/locks/").content.decode()
    assert admin.post(f"/accounts/locks/{world.wuzhong_staff.pk}/unlock/").status_code == 302
    assert _login(Client(), "ｗｕｚｈｏｎｇ＿ｓｔａｆｆ", PASSWORD, ip="10.2.0.2").status_code == 302


def test_initial_password_is_in_the_history(world, monkeypatch):
    """The first password (by an admin, createsuperuser, create_user) counts: initial -> new -> initial is refused."""
    from django.core.management import call_command

    # By an administrator's account page.
    response = world.client(world.sysadmin).post(
        "/accounts/users/new/",
        {
            "username": "first.pw",
            "display_name": "新同事",
            "password": "Initial#Pass1",
            "role": "congress_staff",
            "region_code": world.wuzhong.code,
        },
    )
    assert response.status_code == 302
    client = Client()
    assert _login(client, "first.pw", "Initial#Pass1").status_code == 302
    change = {"old_password": "Initial#Pass1", "new_password1": "Second#Pass2", "new_password2": "Second#Pass2"}
    assert client.post("/accounts/password/", change).status_code == 302
    back = {"old_password": "Second#Pass2", "new_password1": "Initial#Pass1", "new_password2": "Initial#Pass1"}
    response = client.post("/accounts/password/", back)
    assert response.status_code == 200 and "不得与" in response.content.decode()
    user = User.objects.get(username="first.pw")
    assert user.check_password("Second#Pass2")
    # By createsuperuser.
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root#Initial1")
    call_command("createsuperuser", username="root", email="", interactive=False, verbosity=0)
    root = User.objects.get(username="root")
    root.set_password("Root#Second2")
    root.save()
    assert "password_reused" in _errors("Root#Initial1", root)
    # By create_user (the test world's accounts, imports): the first password is remembered.
    assert "password_reused" in _errors(PASSWORD, world.wuzhong_staff)
    assert world.wuzhong_staff.password_history.count() == 1
