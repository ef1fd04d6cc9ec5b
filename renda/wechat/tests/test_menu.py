"""`manage.py wechat_menu`: the account's menu set through the real client against the local fake WeChat server."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.audit.models import AuditEvent
from renda.wechat import client as wechat_client
from renda.wechat.client import WeChatClient

from .conftest import FakeWeChat

BASE = "https://rd.example.gov.cn"
EXPECTED = {
    "button": [
        {
            "name": "找代表",
            "sub_button": [
                {"type": "view", "name": "代表联络站", "url": f"{BASE}/"},
                {"type": "view", "name": "接待日", "url": f"{BASE}/receptions/"},
            ],
        },
        {"type": "view", "name": "提意见", "url": f"{BASE}/near/"},
        {"type": "view", "name": "查进度", "url": f"{BASE}/t/"},
    ]
}


@pytest.fixture
def account(wechat, monkeypatch, api_server):
    monkeypatch.setattr(wechat_client, "get_client", lambda: WeChatClient(api_base=api_server))
    return api_server


def _run(*args) -> str:
    out = StringIO()
    call_command("wechat_menu", *args, stdout=out)
    return out.getvalue()


def _menu_calls():
    return [call for call in FakeWeChat.calls if call[0] == "/cgi-bin/menu/create"]


def test_menu_is_set_with_the_phone_pages(account, world):
    out = _run()
    [(_path, query, payload)] = _menu_calls()
    assert payload == EXPECTED and query["access_token"].startswith("TOKEN")
    assert f"提意见 {BASE}/near/" in out and f"接待日 {BASE}/receptions/" in out
    audit = AuditEvent.objects.get(action="wechat.menu")
    assert audit.changes["links"]["查进度"] == f"{BASE}/t/"
    for button in EXPECTED["button"]:  # every link opens a page that exists
        for link in button.get("sub_button", [button]):
            assert world.client(None).get(link["url"].removeprefix(BASE)).status_code == 200


def test_an_expired_token_is_renewed_once(account):
    _run()  # a token is cached now
    FakeWeChat.expire_next_send = True
    _run()
    calls = _menu_calls()
    assert len(calls) == 3 and calls[1][1]["access_token"] != calls[2][1]["access_token"]


def test_print_sends_nothing(account):
    assert json.loads(_run("--print")) == EXPECTED
    assert FakeWeChat.calls == []


def test_refusals_are_clear(account, settings, monkeypatch):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    with pytest.raises(CommandError, match="PUBLIC_BASE_URL must be the public https address"):
        _run()
    settings.PUBLIC_BASE_URL = BASE
    settings.WECHAT_SECRET = ""
    with pytest.raises(CommandError, match="WECHAT_APPID and WECHAT_SECRET must be set"):
        _run()
    settings.WECHAT_SECRET = "wrong"
    with pytest.raises(CommandError, match="WeChat refused the menu: WeChat API error 40125"):
        _run()
    assert not AuditEvent.objects.filter(action="wechat.menu").exists()
