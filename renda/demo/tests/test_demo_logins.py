from io import StringIO

from django.core.management import call_command

from renda.demo.logins import DEFAULT_PASSWORD


def test_demo_logins_without_the_demo_says_what_to_do(db):
    out = StringIO()
    call_command("demo_logins", "--port", "9000", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:9000/" in text
    assert "load_demo" in text
    assert DEFAULT_PASSWORD not in text


def test_demo_logins_ignores_other_accounts(world):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    # The test world has a "sysadmin" too, with a grant: it is listed; its other users are not demo accounts.
    assert "  sysadmin " in out.getvalue()
    assert "wuzhong_staff" not in out.getvalue()


def test_demo_logins_list_the_cppcc_member(world):
    from renda.accounts.models import User
    from renda.suggestions.models import MemberAccount

    user = User.objects.create_user(username="member.demo", password="x", display_name=world.member_gs.name)
    MemberAccount.objects.create(user=user, member=world.member_gs)
    out = StringIO()
    call_command("demo_logins", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "member.demo" in line)
    assert "cppcc_member" in line and world.member_gs.name in line and world.gusu.name in line
