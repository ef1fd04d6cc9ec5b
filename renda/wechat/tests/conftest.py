"""WeChat for the tests: a peer that signs and encrypts as WeChat would (wechatpy, an independent implementation),
and a local HTTP server that answers like api.weixin.qq.com (FakeWeChat, fixture `api_server`)."""

import json
import time
import xml.etree.ElementTree as ET  # parses only our own replies in tests
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.core.cache import cache
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

from renda.testing import serving

TOKEN = "renda2026token"
APPID = "wx1234567890abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OPENID = "oUser-1234567890"


class Peer:
    """Plays WeChat's servers: builds signed (optionally encrypted) requests and reads the replies."""

    def __init__(self, client):
        self.client = client
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)

    def query(self, *, timestamp=None, nonce="n0nce", token=TOKEN, **extra):
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = "".join(sorted([token, timestamp, nonce]))
        import hashlib

        params = {"signature": hashlib.sha1(signature.encode()).hexdigest(), "timestamp": timestamp, "nonce": nonce}
        check_signature(token, params["signature"], timestamp, nonce)  # wechatpy agrees
        return params | extra

    def post_raw(self, body: bytes | str, **query):
        params = self.query(**query)
        return self.client.post("/wechat/?" + urlencode(params), data=body, content_type="text/xml")

    def send(self, fields: dict, mode: str = "plain"):
        """mode: plain, safe (only <Encrypt>), compatible (plaintext fields and <Encrypt>)."""
        fields = {"ToUserName": "gh_account", "FromUserName": OPENID, "CreateTime": str(int(time.time()))} | fields
        xml = "<xml>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items()) + "</xml>"
        if mode == "plain":
            return self.post_raw(xml)
        timestamp, nonce = str(int(time.time())), "enc0nce"
        envelope = self.crypto.encrypt_message(xml, nonce, timestamp)
        encrypt = ET.fromstring(envelope).findtext("Encrypt")
        msg_signature = ET.fromstring(envelope).findtext("MsgSignature")
        if mode == "compatible":
            envelope = xml.replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
        return self.post_raw(
            envelope, timestamp=timestamp, nonce=nonce, encrypt_type="aes", msg_signature=msg_signature
        )

    def reply(self, response, encrypted: bool = False) -> ET.Element:
        assert response.status_code == 200, response.content
        body = response.content.decode()
        if encrypted:
            root = ET.fromstring(body)
            body = self.crypto.decrypt_message(
                body, root.findtext("MsgSignature"), root.findtext("TimeStamp"), root.findtext("Nonce")
            )
        root = ET.fromstring(body)
        assert root.findtext("ToUserName") == OPENID and root.findtext("FromUserName") == "gh_account"
        return root


def text_of(root: ET.Element) -> str:
    assert root.findtext("MsgType") == "text"
    return root.findtext("Content")


def articles_of(root: ET.Element) -> list[tuple[str, str]]:
    assert root.findtext("MsgType") == "news"
    return [(item.findtext("Title"), item.findtext("Url")) for item in root.iter("item")]


@pytest.fixture
def wechat(settings, world):
    settings.WECHAT_TOKEN = TOKEN
    settings.WECHAT_APPID = APPID
    settings.WECHAT_SECRET = "s3cret"
    settings.WECHAT_ENCODING_AES_KEY = AES_KEY
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn"
    cache.clear()
    yield Peer(world.client(None))
    cache.clear()


class FakeWeChat(BaseHTTPRequestHandler):
    calls: list = []
    expire_next_send = False

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.calls.append((url.path, query))
        if url.path == "/cgi-bin/token":
            if query.get("secret") != "s3cret":
                return self._answer({"errcode": 40125, "errmsg": "invalid appsecret"})
            return self._answer({"access_token": f"TOKEN{len(self.calls)}", "expires_in": 7200})
        if url.path == "/sns/oauth2/access_token":
            if query.get("code") != "good":
                return self._answer({"errcode": 40029, "errmsg": "invalid code"})
            return self._answer({"access_token": "x", "openid": "oFromServer", "scope": "snsapi_base"})
        self._answer({"errcode": 404, "errmsg": "unknown"})

    def do_POST(self):
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append((url.path, query, payload))
        if not query.get("access_token", "").startswith("TOKEN"):
            return self._answer({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"})
        if FakeWeChat.expire_next_send:
            FakeWeChat.expire_next_send = False
            return self._answer({"errcode": 42001, "errmsg": "access_token expired"})
        if url.path == "/cgi-bin/menu/create":
            return self._answer(self._menu_error(payload) or {"errcode": 0, "errmsg": "ok"})
        if url.path == "/cgi-bin/message/template/send":
            if not payload.get("touser") or not payload.get("template_id"):
                return self._answer({"errcode": 40003, "errmsg": "invalid openid"})
            return self._answer({"errcode": 0, "errmsg": "ok", "msgid": 200228332})
        self._answer({"errcode": 404, "errmsg": "unknown"})

    @staticmethod
    def _menu_error(payload) -> dict | None:
        """WeChat's menu rules: 1–3 top-level buttons (16 bytes a name), each a link or 1–5 sub-buttons (60 bytes)."""
        buttons = payload.get("button") or []
        if not 1 <= len(buttons) <= 3:
            return {"errcode": 40016, "errmsg": "invalid button size"}
        for button in buttons:
            subs = button.get("sub_button")
            if not button.get("name") or len(button["name"].encode()) > 16:
                return {"errcode": 40018, "errmsg": "invalid button name size"}
            if subs is not None and not 1 <= len(subs) <= 5:
                return {"errcode": 40023, "errmsg": "invalid sub button size"}
            for link in subs if subs is not None else [button]:
                if not link.get("name") or len(link["name"].encode()) > 60:
                    return {"errcode": 40018, "errmsg": "invalid button name size"}
                if link.get("type") != "view" or not link.get("url", "").startswith("https://"):
                    return {"errcode": 40055, "errmsg": "invalid button url domain"}
        return None


@pytest.fixture
def api_server():
    FakeWeChat.calls, FakeWeChat.expire_next_send = [], False
    with serving(FakeWeChat) as url:
        cache.clear()
        yield url
    cache.clear()
