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
