"""Alibaba Cloud SMS (阿里云短信服务, dysmsapi `SendSms`) as the outbox's SMS sender, standard library only.

Set NOTIFICATION_SMS_SENDER=renda.notifications.aliyun_sms.AliyunSmsSender and the ALIYUN_SMS_* variables (README;
why not the SDK: docs/decisions.md "SMS through Alibaba Cloud's HTTP API"). The request is the documented RPC style:
every parameter sorted by name and percent-encoded (RFC 3986), the string "POST&%2F&<encoded query>" signed with
HMAC-SHA1 under "<AccessKeySecret>&" (SignatureVersion 1.0), sent as a form POST to ALIYUN_SMS_ENDPOINT.

A message's outbox template (e.g. "opinion_accepted") picks the approved Aliyun template code from
ALIYUN_SMS_TEMPLATES; the template's variables are filled from the message context (texts.SMS_VARIABLES: codes, names
of stations and units, dates; never a constituent's name or text — routing.py keeps them out of contexts). Anything
but Code "OK" raises SendError, and the outbox retries with its back-off (actions.py) — except the refusals that
concern the message itself and would be the same at every try (PERMANENT_CODES: an invalid or foreign number, a
blacklisted word, a variable too long), which raise PermanentSendError: failed at once. A refusal an operator can
fix meanwhile (template or signature not approved, throttling, an account out of credit) is retried.
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime

from django.conf import settings

from .senders import PermanentSendError, Sender, SendError
from .texts import SMS_VARIABLES

API_VERSION = "2017-05-25"
# Refusals about the message itself (Alibaba Cloud's error codes): retrying the same message cannot succeed.
PERMANENT_CODES = frozenset(
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
        "isv.BLACK_KEY_CONTROL_LIMIT",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.INVALID_PARAMETERS",
    }
)
# Alibaba Cloud refuses a variable longer than this (its rule for notification templates), so values are cut.
VARIABLE_MAX_CHARS = 35
RESPONSE_MAX_BYTES = 64 * 1024


def percent_encode(value: str) -> str:
    """RFC 3986 as Alibaba Cloud's POP signature wants it: only A-Z a-z 0-9 - _ . ~ stay, space is %20."""
    return urllib.parse.quote(str(value), safe="~")


def signature(params: dict, secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def template_params(context: dict) -> dict:
    values = {}
    for name in SMS_VARIABLES:
        value = (context or {}).get(name)
        if value not in (None, "", False):
            values[name] = str(value)[:VARIABLE_MAX_CHARS]
    return values


def signed_request(phone: str, template_code: str, variables: dict, out_id: str = "") -> dict:
    params = {
        "AccessKeyId": settings.ALIYUN_SMS_ACCESS_KEY_ID,
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": phone,
        "RegionId": settings.ALIYUN_SMS_REGION,
        "SignName": settings.ALIYUN_SMS_SIGN_NAME,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "TemplateCode": template_code,
        "TemplateParam": json.dumps(variables, ensure_ascii=False, separators=(",", ":")),
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": API_VERSION,
    }
    if out_id:
        params["OutId"] = out_id
    params["Signature"] = signature(params, settings.ALIYUN_SMS_ACCESS_KEY_SECRET)
    return params


def post(params: dict) -> dict:
    """Send the signed parameters; the API's JSON answer (also for 4xx/5xx, which carry a Code too)."""
    data = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items()).encode()
    request = urllib.request.Request(
        settings.ALIYUN_SMS_ENDPOINT, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ALIYUN_SMS_TIMEOUT) as response:  # noqa: S310
            raw = response.read(RESPONSE_MAX_BYTES)
    except urllib.error.HTTPError as exc:  # signature, key or throttling errors come with 4xx and a JSON body
        raw = exc.read(RESPONSE_MAX_BYTES)
        if not raw:
            raise SendError(f"Alibaba Cloud SMS answered HTTP {exc.code}") from None
    except OSError as exc:
        raise SendError(f"Alibaba Cloud SMS unreachable: {exc}") from None
    try:
        body = json.loads(raw)
    except ValueError:
        raise SendError("Alibaba Cloud SMS answered something that is not JSON") from None
    if not isinstance(body, dict):
        raise SendError("Alibaba Cloud SMS answered an unexpected JSON value")
    return body


class AliyunSmsSender(Sender):
    def send(self, message) -> None:
        if not message.phone:
            raise PermanentSendError("no phone number")
        template_code = settings.ALIYUN_SMS_TEMPLATES.get(message.template)
        if not template_code:
            raise SendError(f"no Alibaba Cloud template code for {message.template!r} in ALIYUN_SMS_TEMPLATES")
        params = signed_request(
            message.phone, template_code, template_params(message.context), out_id=str(message.pk or "")
        )
        body = post(params)
        if body.get("Code") != "OK":
            # e.g. isv.BUSINESS_LIMIT_CONTROL (throttled), isv.SMS_TEMPLATE_ILLEGAL, SignatureDoesNotMatch
            code, text = body.get("Code", "?"), str(body.get("Message", ""))[:200]
            error = PermanentSendError if code in PERMANENT_CODES else SendError
            raise error(f"Alibaba Cloud SMS refused: {code} {text} (request {body.get('RequestId', '?')})")
