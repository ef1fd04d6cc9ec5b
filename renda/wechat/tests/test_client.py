"""OAuth (snsapi_base) with a fake client, and the real client against a local fake WeChat API server."""

from urllib.parse import parse_qs, urlparse

import pytest

from renda.testing import assert_statuses
from renda.wechat import client as wechat_client
from renda.wechat.client import WeChatClient, WeChatError
from renda.wechat.views import SESSION_OPENID

from .conftest import APPID, FakeWeChat


class FakeClient(WeChatClient):
    """Answers the code exchange without the network; "bad" codes fail like WeChat's errcode 40029."""

    def openid_for_code(self, code):
        if code == "bad":
            raise WeChatError("invalid code", 40029)
        return f"openid-for-{code}"


@pytest.fixture
def fake_client(monkeypatch):
    monkeypatch.setattr(wechat_client, "get_client", FakeClient)


def _start(client, next_url="/s/MUDU01/"):
    response = client.get("/wechat/oauth/start", {"next": next_url})
    assert response.status_code == 302
    url = urlparse(response["Location"])
    assert (url.scheme, url.netloc, url.path) == ("https", "open.weixin.qq.com", "/connect/oauth2/authorize")
    assert url.fragment == "wechat_redirect"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["appid"] == APPID and query["scope"] == "snsapi_base" and query["response_type"] == "code"
    assert query["redirect_uri"] == "https://rd.example.gov.cn/wechat/oauth/callback"
    return query["state"]


def test_oauth_flow_stores_openid_and_returns(wechat, fake_client):
    state = _start(wechat.client)
    response = wechat.client.get("/wechat/oauth/callback", {"code": "c0de", "state": state})
    assert response.status_code == 302 and response["Location"] == "/s/MUDU01/"
    assert wechat.client.session[SESSION_OPENID] == "openid-for-c0de"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_oauth_next_must_stay_on_site(wechat, fake_client, next_url):
    state = _start(wechat.client, next_url)
    response = wechat.client.get("/wechat/oauth/callback", {"code": "c0de", "state": state})
    assert response.status_code == 302 and response["Location"] == "/"


def test_oauth_callback_refuses_a_bad_state(wechat, fake_client):
    assert wechat.client.get("/wechat/oauth/callback", {"code": "c", "state": "x"}).status_code == 400  # no start
    _start(wechat.client)
    assert wechat.client.get("/wechat/oauth/callback", {"code": "c", "state": "forged"}).status_code == 400
    _start(wechat.client)
    assert wechat.client.get("/wechat/oauth/callback", {"code": "c", "state": "伪造"}).status_code == 400
    state = _start(wechat.client)
    wechat.client.get("/wechat/oauth/callback", {"code": "c", "state": "forged"})
    # The state is single-use: the failed attempt consumed it.
    assert wechat.client.get("/wechat/oauth/callback", {"code": "c", "state": state}).status_code == 400
    assert SESSION_OPENID not in wechat.client.session


@pytest.mark.parametrize("query", [{"code": "bad"}, {}])
def test_oauth_without_a_confirmed_code_returns_to_the_page_without_openid(wechat, fake_client, query):
    """Our own state but no openid (WeChat refused the code, or sent none): the page still works, silently."""
    state = _start(wechat.client)
    response = wechat.client.get("/wechat/oauth/callback", query | {"state": state})
    assert response.status_code == 302 and response["Location"] == "/s/MUDU01/"
    assert SESSION_OPENID not in wechat.client.session


def test_oauth_start_for_every_role(wechat, world, fake_client):
    grid = {"anonymous": 302, "outsider": 302, "wuzhong_staff": 302, "gusu_staff": 302, "sysadmin": 302}
    assert_statuses(world, "/wechat/oauth/start?next=/", grid)


def test_oauth_without_appid_is_404(wechat, settings):
    settings.WECHAT_APPID = ""
    assert wechat.client.get("/wechat/oauth/start").status_code == 404


# The real client against a local server that speaks WeChat's API -------------------------------------------------


def test_real_client_token_cache_oauth_and_template(api_server):
    client = WeChatClient(APPID, "s3cret", api_base=api_server)
    assert client.openid_for_code("good") == "oFromServer"
    with pytest.raises(WeChatError) as failure:
        client.openid_for_code("stale")
    assert failure.value.code == 40029

    data = {"first": {"value": "您的意见已答复"}}
    assert client.send_template("oUser", "TPL1", data, url="https://rd.example.gov.cn/t/X/")["msgid"] == 200228332
    client.send_template("oUser", "TPL1", data)
    token_calls = [call for call in FakeWeChat.calls if call[0] == "/cgi-bin/token"]
    sends = [call for call in FakeWeChat.calls if call[0] == "/cgi-bin/message/template/send"]
    assert len(token_calls) == 1  # cached between sends
    assert sends[0][1]["access_token"] == sends[1][1]["access_token"]
    assert sends[0][2] == {
        "touser": "oUser",
        "template_id": "TPL1",
        "data": data,
        "url": "https://rd.example.gov.cn/t/X/",
    }
    assert "url" not in sends[1][2]

    FakeWeChat.expire_next_send = True
    with pytest.raises(WeChatError):
        client.send_template("oUser", "TPL1", data)
    client.send_template("oUser", "TPL1", data)  # a fresh token after WeChat said the old one expired
    assert len([call for call in FakeWeChat.calls if call[0] == "/cgi-bin/token"]) == 2


def test_real_client_errors(api_server):
    with pytest.raises(WeChatError) as failure:
        WeChatClient(APPID, "wrong", api_base=api_server).access_token()
    assert failure.value.code == 40125
    with pytest.raises(WeChatError):
        WeChatClient(APPID, "s3cret", api_base="http://127.0.0.1:9").access_token()  # nothing listens
