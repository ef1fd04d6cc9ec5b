"""The Tencent Cloud SMS sender against a local fake of sms.tencentcloudapi.com that checks the TC3 signature."""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

import pytest

from renda.notifications import actions as outbox
from renda.notifications.models import Channel, Message, MessageStatus
from renda.notifications.senders import SendError
from renda.notifications.tencent_sms import TencentSmsSender, signature, template_params
from renda.testing import serving

from .sender_outcomes import assert_failed_at_once, assert_retried

SECRET_ID, SECRET_KEY = "AKIDTestSecretId0123456789", "TestSecretKey0123456789"
APP_ID, SIGN_NAME = "1400012345", "苏州人大"
THROTTLED_PHONE = "13900000000"
INVALID_PHONE = "10000000000"
CONTEXT = {
    "code": "AB12CD34EF",
    "url": "https://rd.example.gov.cn/t/AB12CD34EF/",
    "unit": "吴中区住建局",
    "opinion_id": 7,
}


def test_signature_matches_the_documented_example():
    # The worked example of Tencent Cloud's "signature v3" documentation: CVM DescribeInstances, GET, 2018-10-09.
    assert (
        signature(
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            service="cvm",
            host="cvm.tencentcloudapi.com",
            timestamp=1539084154,
            payload="",
            content_type="application/x-www-form-urlencoded",
            method="GET",
            query="Limit=10&Offset=0",
        )
        == "5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
    )


def _expected(headers, body: bytes) -> str:
    """The fake's own reading of the documentation, from what arrived: the canonical request, then the key chain."""
    timestamp = headers["X-TC-Timestamp"]
    day = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
    canonical = (
        f"POST\n/\n\ncontent-type:{headers['Content-Type']}\nhost:{headers['Host']}\n\ncontent-type;host\n"
        + hashlib.sha256(body).hexdigest()
    )
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n" + hashlib.sha256(canonical.encode()).hexdigest()
    key = ("TC3" + SECRET_KEY).encode()
    for part in (day, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class FakeTencentSms(BaseHTTPRequestHandler):
    """Answers like sms.tencentcloudapi.com: Ok, throttled, invalid number, unknown template, bad signature."""

    requests: list = []

    def log_message(self, *args):
        pass

    def _answer(self, response: dict):
        data = json.dumps({"Response": response | {"RequestId": f"REQ-{len(self.requests)}"}}).encode()
        self.send_response(200)  # Tencent Cloud answers errors with HTTP 200 and an Error object
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, code: str, message: str = ""):
        return self._answer({"Error": {"Code": code, "Message": message}})

    def _status(self, code: str, message: str, phone: str):
        return self._answer({"SendStatusSet": [{"Code": code, "Message": message, "PhoneNumber": phone}]})

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        payload = json.loads(body)
        self.requests.append({"headers": dict(self.headers), "payload": payload})
        auth = self.headers.get("Authorization", "")
        credential, _, given = auth.partition(", SignedHeaders=content-type;host, Signature=")
        day = datetime.fromtimestamp(int(self.headers["X-TC-Timestamp"]), UTC).strftime("%Y-%m-%d")
        if credential != f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{day}/sms/tc3_request":
            return self._error("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        if not hmac.compare_digest(given, _expected(self.headers, body)):
            return self._error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        if abs(time.time() - int(self.headers["X-TC-Timestamp"])) > 300:
            return self._error("AuthFailure.SignatureExpire")
        expected = {"X-TC-Action": "SendSms", "X-TC-Version": "2021-01-11", "X-TC-Region": "ap-guangzhou"}
        if any(self.headers.get(k) != v for k, v in expected.items()):
            return self._error("InvalidAction")
        if payload["SmsSdkAppId"] != APP_ID or payload["SignName"] != SIGN_NAME:
            return self._error("FailedOperation.SignatureIncorrectOrUnapproved")
        if payload["TemplateId"] != "100001":
            return self._error("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配")
        [phone] = payload["PhoneNumberSet"]
        if phone == f"+86{INVALID_PHONE}":
            return self._status("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误", phone)
        if phone == f"+86{THROTTLED_PHONE}":
            return self._status("LimitExceeded.PhoneNumberOneHourLimit", "单个手机号1小时内下发短信条数超过上限", phone)
        return self._status("Ok", "send success", phone)


@pytest.fixture
def tencent(settings):
    FakeTencentSms.requests = []
    with serving(FakeTencentSms) as url:
        settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY = SECRET_ID, SECRET_KEY
        settings.TENCENT_SMS_SDK_APP_ID, settings.TENCENT_SMS_SIGN_NAME = APP_ID, SIGN_NAME
        settings.TENCENT_SMS_ENDPOINT = f"{url}/"
        settings.TENCENT_SMS_TEMPLATES = {"opinion_forwarded": "100001", "opinion_refused": "999999"}
        settings.NOTIFICATION_SENDERS = settings.NOTIFICATION_SENDERS | {
            "sms": "renda.notifications.tencent_sms.TencentSmsSender"
        }
        yield FakeTencentSms


def _queue(key="k1", phone="13812345678", template="opinion_forwarded"):
    return outbox.enqueue(channel=Channel.SMS, template=template, context=CONTEXT, dedupe_key=key, phone=phone)


@pytest.mark.django_db
def test_outbox_sends_through_tencent_cloud(tencent):
    message = _queue()
    summary = outbox.send_pending()
    message.refresh_from_db()
    assert (summary.sent, message.status, message.last_error) == (1, MessageStatus.SENT, "")
    [request] = tencent.requests
    payload = request["payload"]
    assert payload["PhoneNumberSet"] == ["+8613812345678"] and payload["TemplateId"] == "100001"
    assert payload["SessionContext"] == str(message.pk)
    # {1} = the code, {2} = the unit, in the order the text uses them; the link is never a variable.
    assert payload["TemplateParamSet"] == ["AB12CD34EF", "吴中区住建局"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"phone": THROTTLED_PHONE}, "LimitExceeded.PhoneNumberOneHourLimit"),
        ({"template": "opinion_refused"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"template": "reminder"}, "no Tencent Cloud template id for 'reminder'"),
    ],
)
def test_refusals_are_retried_by_the_outbox(tencent, fields, error):
    assert_retried(_queue(**fields), error)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [({"phone": INVALID_PHONE}, "InvalidParameterValue.IncorrectPhoneNumber"), ({"phone": ""}, "no phone number")],
)
def test_a_message_that_can_never_be_delivered_fails_at_once(tencent, fields, error):
    assert_failed_at_once(_queue(**fields), _queue(key="k2"), error)


@pytest.mark.django_db
def test_a_wrong_key_is_refused_by_the_signature_check_and_retried(tencent, settings):
    settings.TENCENT_SMS_SECRET_KEY = "not-the-key"
    message = _queue()
    outbox.send_pending()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and "AuthFailure.SignatureFailure" in message.last_error


def test_unreachable_gateway_and_unknown_id_raise(tencent, settings):
    sender = TencentSmsSender()
    message = Message(channel=Channel.SMS, template="opinion_forwarded", context=CONTEXT, phone="13812345678")
    settings.TENCENT_SMS_SECRET_ID = "AKIDunknown"
    with pytest.raises(SendError, match="AuthFailure.SecretIdNotFound"):
        sender.send(message)
    settings.TENCENT_SMS_ENDPOINT = "http://127.0.0.1:9/"  # nothing listens there
    with pytest.raises(SendError, match="unreachable"):
        sender.send(message)


def test_variables_in_text_order_empty_ones_filled_and_cut(settings):
    settings.TENCENT_SMS_VARIABLE_MAX_CHARS = 12
    # activity_invited in Chinese: "邀请您参加{{ when }}在{{ place }}举行的活动“{{ title }}”… {{ url }}" (the English
    # text has the title first): three numbered variables in the Chinese order, no link.
    title = "苏州市吴中区木渎镇代表接待日活动"
    values = template_params("activity_invited", {"title": title, "when": "", "place": "镇政府"})
    assert values == ["-", "镇政府", title[:12]]
    settings.TENCENT_SMS_VARIABLE_MAX_CHARS = 40
    assert template_params("activity_invited", {"title": title})[2] == title
