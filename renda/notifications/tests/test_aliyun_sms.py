"""The Alibaba Cloud SMS sender against a local fake of dysmsapi that checks the signature and answers like it."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, quote

import pytest

from renda.notifications import actions as outbox
from renda.notifications.aliyun_sms import AliyunSmsSender, signature, template_params
from renda.notifications.models import Channel, Message, MessageStatus
from renda.notifications.senders import SendError
from renda.testing import serving

from .sender_outcomes import assert_failed_at_once, assert_retried

KEY_ID, SECRET, SIGN_NAME = "LTAI5tTestKeyId", "TestSecret0123456789", "苏州人大"
THROTTLED_PHONE = "13900000000"
INVALID_PHONE = "10000000000"
CONTEXT = {"code": "AB12CD34EF", "url": "https://rd.example.gov.cn/t/AB12CD34EF/", "state": "已受理", "opinion_id": 7}


def test_signature_matches_the_documented_example():
    # The worked example of Alibaba Cloud's SMS signature documentation (GET, key "testSecret").
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert signature(params, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def _expected_signature(params: dict, secret: str) -> str:
    """The fake's own reading of the documentation: sort, encode each side, encode the whole, HMAC-SHA1."""

    def enc(text):
        return quote(text, safe="-_.~")

    canonical = "&".join(enc(k) + "=" + enc(v) for k, v in sorted(params.items()))
    to_sign = "POST&%2F&" + enc(canonical)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeDysmsapi(BaseHTTPRequestHandler):
    """Answers like dysmsapi.aliyuncs.com: OK, throttled (a number over its hourly limit), bad template, bad key."""

    requests: list = []
    nonces: set = set()

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
        params = dict(parse_qsl(raw, keep_blank_values=True, strict_parsing=True))
        self.requests.append(params)
        request_id = f"REQ-{len(self.requests)}"
        given = params.pop("Signature", "")
        if params.get("AccessKeyId") != KEY_ID:
            return self._answer(404, {"Code": "InvalidAccessKeyId.NotFound", "RequestId": request_id})
        if not hmac.compare_digest(given, _expected_signature(params, SECRET)):
            return self._answer(
                400,
                {
                    "Code": "SignatureDoesNotMatch",
                    "Message": "Specified signature is not matched with our calculation.",
                    "RequestId": request_id,
                },
            )
        sent = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - sent).total_seconds()) > 900 or params["SignatureNonce"] in self.nonces:
            return self._answer(400, {"Code": "SignatureNonceUsed", "RequestId": request_id})
        self.nonces.add(params["SignatureNonce"])
        expected = {"Action": "SendSms", "Version": "2017-05-25", "Format": "JSON", "SignatureMethod": "HMAC-SHA1"}
        if any(params.get(k) != v for k, v in expected.items()) or params.get("SignName") != SIGN_NAME:
            return self._answer(400, {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "RequestId": request_id})
        if params["TemplateCode"] != "SMS_100001":
            refusal = {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法(不存在或被拉黑)"}
            return self._answer(200, refusal | {"RequestId": request_id})
        json.loads(params["TemplateParam"])
        if params["PhoneNumbers"] == INVALID_PHONE:
            refusal = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
            return self._answer(200, refusal | {"RequestId": request_id})
        if params["PhoneNumbers"] == THROTTLED_PHONE:
            return self._answer(
                200,
                {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发小时级流控Permits:5", "RequestId": request_id},
            )
        self._answer(200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": request_id})


@pytest.fixture
def dysmsapi(settings):
    FakeDysmsapi.requests, FakeDysmsapi.nonces = [], set()
    with serving(FakeDysmsapi) as url:
        settings.ALIYUN_SMS_ACCESS_KEY_ID = KEY_ID
        settings.ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
        settings.ALIYUN_SMS_SIGN_NAME = SIGN_NAME
        settings.ALIYUN_SMS_ENDPOINT = f"{url}/"
        settings.ALIYUN_SMS_TEMPLATES = {"opinion_accepted": "SMS_100001", "opinion_refused": "SMS_999999"}
        settings.NOTIFICATION_SENDERS = settings.NOTIFICATION_SENDERS | {
            "sms": "renda.notifications.aliyun_sms.AliyunSmsSender"
        }
        yield FakeDysmsapi


def _queue(key="k1", phone="13812345678", template="opinion_accepted"):
    return outbox.enqueue(channel=Channel.SMS, template=template, context=CONTEXT, dedupe_key=key, phone=phone)


@pytest.mark.django_db
def test_outbox_sends_through_alibaba_cloud(dysmsapi):
    message = _queue()
    summary = outbox.send_pending()
    message.refresh_from_db()
    assert (summary.sent, message.status, message.last_error) == (1, MessageStatus.SENT, "")
    [request] = dysmsapi.requests
    assert request["PhoneNumbers"] == "13812345678" and request["TemplateCode"] == "SMS_100001"
    assert request["SignName"] == SIGN_NAME and request["OutId"] == str(message.pk)
    # The template's variables: the code and state, no link (Alibaba Cloud refuses links in variables).
    assert json.loads(request["TemplateParam"]) == {"code": "AB12CD34EF", "state": "已受理"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"phone": THROTTLED_PHONE}, "isv.BUSINESS_LIMIT_CONTROL"),
        ({"template": "opinion_refused"}, "isv.SMS_TEMPLATE_ILLEGAL"),
        ({"template": "reminder"}, "no Alibaba Cloud template code for 'reminder'"),
    ],
)
def test_refusals_are_retried_by_the_outbox(dysmsapi, fields, error):
    assert_retried(_queue(**fields), error)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [({"phone": INVALID_PHONE}, "isv.MOBILE_NUMBER_ILLEGAL"), ({"phone": ""}, "no phone number")],
)
def test_a_message_that_can_never_be_delivered_fails_at_once(dysmsapi, fields, error):
    """An invalid number (or none) would be refused at every try: failed after one attempt, not retried for hours;
    the next message still goes out."""
    assert_failed_at_once(_queue(**fields), _queue(key="k2"), error)


@pytest.mark.django_db
def test_a_wrong_secret_is_refused_by_the_signature_check(dysmsapi, settings):
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    message = _queue()
    outbox.send_pending()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and "SignatureDoesNotMatch" in message.last_error


@pytest.mark.django_db
def test_unreachable_gateway_and_unknown_key_raise(dysmsapi, settings):
    sender = AliyunSmsSender()
    message = Message(channel=Channel.SMS, template="opinion_accepted", context=CONTEXT, phone="13812345678")
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAIunknown"
    with pytest.raises(SendError, match="InvalidAccessKeyId.NotFound"):
        sender.send(message)
    settings.ALIYUN_SMS_ENDPOINT = "http://127.0.0.1:9/"  # nothing listens there
    with pytest.raises(SendError, match="unreachable"):
        sender.send(message)
    with pytest.raises(SendError, match="no phone"):
        sender.send(Message(channel=Channel.SMS, template="opinion_accepted", context=CONTEXT))


def test_template_variables_are_cut_and_never_carry_links():
    long = "苏州市吴中区木渎镇" * 6
    values = template_params({"station": long, "url": "https://x/", "days": 5, "unit": "", "opinion_id": 3})
    assert values == {"station": long[:35], "days": "5"}
