"""Parsing WeChat's XML safely and writing passive replies.

defusedxml refuses DTDs, entities and external references (billion laughs, XXE); the size is capped before parsing.
"""

import time
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

MAX_BYTES = 64 * 1024


class BadXml(ValueError):
    """Malformed, oversized or hostile XML: answered 400."""


def parse(body: bytes) -> dict[str, str]:
    """The flat <xml><Name>value</Name>…</xml> of a WeChat message as a dict of stripped strings."""
    if len(body) > MAX_BYTES:
        raise BadXml("too large")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BadXml(str(exc)) from None
    if root.tag != "xml":
        raise BadXml("root element is not <xml>")
    return {child.tag: (child.text or "").strip() for child in root if isinstance(child.tag, str)}


def _cdata(value: str) -> str:
    # Escaping instead of CDATA: a "]]>" in a station name cannot break out of the element.
    return escape(str(value))


def _envelope(to_user: str, from_user: str, msg_type: str, inner: str) -> str:
    return (
        f"<xml><ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType>{msg_type}</MsgType>{inner}</xml>"
    )


def text_reply(message: dict, content: str) -> str:
    return _envelope(
        message.get("FromUserName", ""), message.get("ToUserName", ""), "text", f"<Content>{_cdata(content)}</Content>"
    )


def news_reply(message: dict, articles: list[dict]) -> str:
    """Articles: dicts with title, description, url (and optional picurl); WeChat shows up to 8."""
    items = "".join(
        f"<item><Title>{_cdata(a['title'])}</Title><Description>{_cdata(a.get('description', ''))}</Description>"
        f"<PicUrl>{_cdata(a.get('picurl', ''))}</PicUrl><Url>{_cdata(a['url'])}</Url></item>"
        for a in articles[:8]
    )
    inner = f"<ArticleCount>{len(articles[:8])}</ArticleCount><Articles>{items}</Articles>"
    return _envelope(message.get("FromUserName", ""), message.get("ToUserName", ""), "news", inner)


def encrypted_envelope(encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    return (
        f"<xml><Encrypt>{_cdata(encrypt)}</Encrypt><MsgSignature>{_cdata(msg_signature)}</MsgSignature>"
        f"<TimeStamp>{_cdata(timestamp)}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>"
    )
