"""Signatures, URL verification, the three message modes, duplicates and hostile input."""

import time
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from wechatpy.crypto import PrpCrypto

from renda.testing import assert_statuses
from renda.wechat import crypto, wxml

from .conftest import AES_KEY, APPID, text_of


def test_crypto_agrees_with_wechatpy():
    import base64

    key = base64.b64decode(AES_KEY + "=")
    theirs = PrpCrypto(key)
    for text in ["<xml>x</xml>", "中文" * 100, "a" * 31, "a" * 32]:
        assert theirs.decrypt(crypto.encrypt(text, AES_KEY, APPID), APPID) == text
        assert crypto.decrypt(theirs.encrypt(text, APPID).decode(), AES_KEY, APPID) == text
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(theirs.encrypt("x", "wxOTHERAPPID").decode(), AES_KEY, APPID)
    for garbage in ["", "not base64!", base64.b64encode(b"x" * 17).decode(), base64.b64encode(b"x" * 32).decode()]:
        with pytest.raises(crypto.CryptoError):
            crypto.decrypt(garbage, AES_KEY, APPID)


def test_url_verification_echoes(wechat):
    response = wechat.client.get("/wechat/?" + urlencode(wechat.query(echostr="echo-123")))
    assert response.status_code == 200 and response.content == b"echo-123"


def test_not_configured_is_404(wechat, settings):
    settings.WECHAT_TOKEN = ""
    assert wechat.client.get("/wechat/?" + urlencode(wechat.query(echostr="x"))).status_code == 404
    assert wechat.client.get("/wechat/oauth/start").status_code == 404


def test_unsigned_requests_are_403_for_everyone(wechat, world):
    assert_statuses(
        world,
        "/wechat/?echostr=x",
        {"anonymous": 403, "outsider": 403, "wuzhong_staff": 403, "gusu_staff": 403, "sysadmin": 403},
    )


@pytest.mark.parametrize(
    "query",
    [
        {"token": "wrongtoken"},
        {"timestamp": int(time.time()) - 3600},  # replayed an hour later
        {"timestamp": int(time.time()) + 3600},
        {"timestamp": "abc"},
        {"signature": "签名"},
        {"signature": ""},
    ],
)
def test_bad_signature_or_stale_is_403_and_nothing_processed(wechat, query):
    forged = query.pop("signature", None)
    params = wechat.query(echostr="e", **query) | ({"signature": forged} if forged is not None else {})
    response = wechat.client.get("/wechat/?" + urlencode(params))
    assert response.status_code == 403 and response.content != b"e"
    body = "<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>location</MsgType>"
    body += "<Location_X>31.3</Location_X><Location_Y>120.6</Location_Y><MsgId>99</MsgId></xml>"
    params = wechat.query(**query) | ({"signature": forged} if forged is not None else {})
    assert wechat.client.post("/wechat/?" + urlencode(params), data=body, content_type="text/xml").status_code == 403
    assert cache.get("wechat:seen:msg:99") is None and cache.get("wechat:location:u") is None


def test_safe_mode_round_trip(wechat):
    response = wechat.send({"MsgType": "text", "Content": "你好", "MsgId": "1001"}, mode="safe")
    assert "查询" in text_of(wechat.reply(response, encrypted=True))


def test_compatible_mode_replies_encrypted(wechat):
    response = wechat.send({"MsgType": "text", "Content": "你好", "MsgId": "1002"}, mode="compatible")
    assert "查询" in text_of(wechat.reply(response, encrypted=True))


def test_encrypted_with_bad_msg_signature_is_403(wechat):
    params = wechat.query(encrypt_type="aes", msg_signature="0" * 40)
    body = f"<xml><Encrypt>{crypto.encrypt('<xml><MsgId>5</MsgId></xml>', AES_KEY, APPID)}</Encrypt></xml>"
    response = wechat.client.post("/wechat/?" + urlencode(params), data=body, content_type="text/xml")
    assert response.status_code == 403 and cache.get("wechat:seen:msg:5") is None


def test_encrypted_garbage_is_400(wechat):
    timestamp, nonce, encrypt = str(int(time.time())), "n", "AAAAAAAAAAAAAAAAAAAAAA=="
    params = wechat.query(timestamp=timestamp, nonce=nonce, encrypt_type="aes")
    params["msg_signature"] = crypto.signature("renda2026token", timestamp, nonce, encrypt)
    body = f"<xml><Encrypt>{encrypt}</Encrypt></xml>"
    response = wechat.client.post("/wechat/?" + urlencode(params), data=body, content_type="text/xml")
    assert response.status_code == 400


def test_plaintext_reply(wechat):
    response = wechat.send({"MsgType": "text", "Content": "hello", "MsgId": "1003"})
    assert response["Content-Type"].startswith("application/xml")
    assert "找代表" in text_of(wechat.reply(response))


def test_duplicate_message_answered_once(wechat):
    message = {"MsgType": "text", "Content": "你好", "MsgId": "2001", "CreateTime": "1700000000"}
    assert "查询" in text_of(wechat.reply(wechat.send(message)))
    again = wechat.send(message)
    assert again.status_code == 200 and again.content == b"success"
    other = wechat.send(message | {"MsgId": "2002"})
    assert "查询" in text_of(wechat.reply(other))


def test_duplicate_event_answered_once(wechat):
    event = {"MsgType": "event", "Event": "CLICK", "EventKey": "HELP", "CreateTime": "1700000001"}
    assert "查询" in text_of(wechat.reply(wechat.send(event)))
    assert wechat.send(event).content == b"success"
    assert "查询" in text_of(wechat.reply(wechat.send(event | {"CreateTime": "1700000002"})))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><Content>&lol3;</Content><MsgType>text</MsgType></xml>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><Content>&xxe;</Content><MsgType>text</MsgType></xml>"""
DTD_ONLY = (
    """<?xml version="1.0"?><!DOCTYPE xml SYSTEM "http://evil.example/x.dtd"><xml><MsgType>text</MsgType></xml>"""
)


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        DTD_ONLY,
        "<xml><MsgType>text</MsgType>",  # truncated
        "not xml at all",
        "",
        "<html><MsgType>text</MsgType></html>",
        "<xml>" + "<A>x</A>" * 10000 + "</xml>",  # 80 KB
        b"<xml><Content>\xff\xfe</Content></xml>",
    ],
)
def test_hostile_or_malformed_xml_is_400(wechat, body):
    assert wechat.post_raw(body).status_code == 400


def test_hostile_xml_inside_encryption_is_400(wechat):
    timestamp, nonce = str(int(time.time())), "n"
    encrypt = crypto.encrypt(BILLION_LAUGHS, AES_KEY, APPID)
    params = wechat.query(timestamp=timestamp, nonce=nonce, encrypt_type="aes")
    params["msg_signature"] = crypto.signature("renda2026token", timestamp, nonce, encrypt)
    body = f"<xml><Encrypt>{encrypt}</Encrypt></xml>"
    response = wechat.client.post("/wechat/?" + urlencode(params), data=body, content_type="text/xml")
    assert response.status_code == 400


def test_reply_escapes_markup():
    reply = wxml.text_reply({"FromUserName": "u", "ToUserName": "g"}, "a]]><b>&")
    assert wxml.parse(reply.encode())["Content"] == "a]]><b>&"


def test_missing_query_is_403(wechat):
    assert wechat.client.get("/wechat/").status_code == 403
    assert wechat.client.post("/wechat/", data="<xml/>", content_type="text/xml").status_code == 403


def test_failed_handler_lets_the_retry_through(wechat, monkeypatch):
    from renda.wechat import handlers

    def broken(message):
        raise RuntimeError("database away")

    monkeypatch.setattr(handlers, "reply", broken)
    message = {"MsgType": "text", "Content": "你好", "MsgId": "3001"}
    with pytest.raises(RuntimeError):
        wechat.send(message)
    monkeypatch.undo()
    assert "查询" in text_of(wechat.reply(wechat.send(message)))
