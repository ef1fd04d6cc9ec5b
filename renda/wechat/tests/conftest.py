"""A WeChat peer for the tests: wechatpy (an independent implementation) signs and encrypts as WeChat would."""

import time
import xml.etree.ElementTree as ET  # parses only our own replies in tests
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

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
