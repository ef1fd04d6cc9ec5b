"""The outbox's wechat channel: template messages through the client (a fake here)."""

import pytest

from renda.notifications import actions as outbox
from renda.notifications.models import Channel, Message, MessageStatus
from renda.notifications.senders import SendError
from renda.wechat import client as wechat_client
from renda.wechat.client import WeChatError
from renda.wechat.senders import TemplateSender

CONTEXT = {
    "code": "AB12CD34EF",
    "url": "https://rd.example.gov.cn/t/AB12CD34EF/",
    "station": "木渎镇代表之家",
    "state": "已答复",
    "due": "2026-12-01",
    "category": "交通出行",
    "unit": "",
    "region": "木渎镇",
    "opinion_id": 1,
    "actor": "吴测试",
    "note": "",
    "days": "",
}


class FakeClient:
    sent: list = []
    fail = False

    def send_template(self, openid, template_id, data, url=""):
        if FakeClient.fail:
            raise WeChatError("system busy", -1)
        if openid == "oUnfollowed":
            raise WeChatError("WeChat API error 43004: require subscribe", 43004)
        FakeClient.sent.append((openid, template_id, data, url))
        return {"errcode": 0, "msgid": 1}


@pytest.fixture
def fake(monkeypatch, settings):
    FakeClient.sent, FakeClient.fail = [], False
    monkeypatch.setattr(wechat_client, "get_client", FakeClient)
    settings.WECHAT_TEMPLATE_IDS = {"opinion_replied": "TPL-REPLIED"}
    settings.NOTIFICATION_SENDERS = settings.NOTIFICATION_SENDERS | {"wechat": "renda.wechat.senders.TemplateSender"}
    return FakeClient


def _message(template="opinion_replied", address="oUser-1", key="k1"):
    return outbox.enqueue(channel=Channel.WECHAT, template=template, context=CONTEXT, dedupe_key=key, address=address)


def test_outbox_sends_template_message(db, fake):
    message = _message()
    outbox.send_pending()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [(openid, template_id, data, url)] = fake.sent
    assert (openid, template_id, url) == ("oUser-1", "TPL-REPLIED", CONTEXT["url"])
    assert data["keyword1"] == {"value": "AB12CD34EF"} and data["keyword2"] == {"value": "已答复"}
    assert data["keyword3"] == {"value": "2026-12-01"} and data["remark"] == {"value": "木渎镇代表之家"}
    assert "AB12CD34EF" in data["first"]["value"]


@pytest.mark.parametrize(
    ("template", "address", "error"), [("opinion_replied", "", "openid"), ("reminder", "oUser", "template id")]
)
def test_sender_refuses_without_openid_or_template_id(db, fake, template, address, error):
    with pytest.raises(SendError, match=error):
        TemplateSender().send(Message(channel=Channel.WECHAT, template=template, context=CONTEXT, address=address))
    assert fake.sent == []


def test_wechat_failure_is_retried_later(db, fake):
    fake.fail = True
    message = _message(key="k2")
    outbox.send_pending()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.attempts == 1 and "system busy" in message.last_error
    assert fake.sent == []


def test_a_recipient_who_does_not_follow_fails_at_once(db, fake):
    """43004 (the user does not follow the account) is the same at every try: failed after one attempt."""
    message = _message(address="oUnfollowed", key="k3")
    summary = outbox.send_pending()
    message.refresh_from_db()
    assert summary.failed == 1 and message.status == MessageStatus.FAILED and message.attempts == 1
    assert "43004" in message.last_error and message.next_attempt_at is None
