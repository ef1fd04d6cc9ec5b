"""Tencent Cloud SMS (腾讯云短信, API 3.0 `SendSms`, 2021-01-11) as the outbox's SMS sender, standard library only.

Set NOTIFICATION_SMS_SENDER=renda.notifications.tencent_sms.TencentSmsSender and the TENCENT_SMS_* variables (README).
The request is a JSON POST signed with TC3-HMAC-SHA256 (the key derived from the SecretKey, the day and the service;
the signed headers content-type and host), as Tencent Cloud's "signature v3" documentation describes; the test checks
`signature()` against its worked example.

A message's outbox template (e.g. "opinion_accepted") picks the approved template id from TENCENT_SMS_TEMPLATES.
Tencent's templates number their variables ({1}, {2}…), so the values are sent in the order the kind's text uses them
(`texts.sms_variables`: of the variables an SMS may carry — codes, names of stations and units, dates; never a link,
a constituent's name or text — those the kind uses), as `manage.py sms_templates` numbers them for approval. An
empty value is sent as "-" (every number must be filled), each cut to TENCENT_SMS_VARIABLE_MAX_CHARS (12: Tencent's
limit for accounts of individuals; organisations have none and may raise it).

Anything but "Ok" raises SendError, and the outbox retries with its back-off — except refusals about the message
itself, the same at every try (PERMANENT_CODES: an invalid number, one on the opt-out list, a sensitive word, a
variable too long), which raise PermanentSendError: failed at once. A refusal an operator can fix meanwhile (template
or signature not approved, throttling, no credit, a bad key) is retried.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

from django.conf import settings

from .senders import PermanentSendError, Sender, SendError
from .texts import sms_variables

API_VERSION = "2021-01-11"
SERVICE = "sms"
CONTENT_TYPE = "application/json; charset=utf-8"
# Refusals about the message itself (Tencent Cloud's error codes): retrying the same message cannot succeed.
PERMANENT_CODES = frozenset(
    {
        "InvalidParameterValue.IncorrectPhoneNumber",
        "FailedOperation.PhoneNumberParseFail",
        "FailedOperation.PhoneNumberInBlacklist",
        "FailedOperation.ContainSensitiveWord",
        "InvalidParameter.DirtyWordFound",
        "InvalidParameterValue.TemplateParameterLengthLimit",
        "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
        "InvalidParameterValue.ContentLengthLimit",
    }
)
RESPONSE_MAX_BYTES = 64 * 1024


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def credential_scope(timestamp: int, service: str) -> str:
    """ "<UTC day>/<service>/tc3_request": signed in the string to sign, and named again in the Authorization header."""
    return f"{datetime.fromtimestamp(timestamp, UTC).strftime('%Y-%m-%d')}/{service}/tc3_request"


def signature(
    secret_key: str,
    *,
    service: str,
    host: str,
    timestamp: int,
    payload: str,
    content_type: str,
    method: str = "POST",
    query: str = "",
) -> str:
    """TC3-HMAC-SHA256 over the canonical request (method, /, query, the content-type and host headers, the payload's
    SHA-256), keyed by HMAC chain "TC3"+SecretKey → UTC day → service → "tc3_request"."""
    canonical = "\n".join(
        [
            method,
            "/",
            query,
            f"content-type:{content_type}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(payload.encode()).hexdigest(),
        ]
    )
    scope = credential_scope(timestamp, service)
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()])
    day = scope.split("/", 1)[0]
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def template_params(template: str, context: dict) -> list[str]:
    """The values of the kind's SMS variables, in the order its text uses them."""
    limit = settings.TENCENT_SMS_VARIABLE_MAX_CHARS
    values = []
    for name in sms_variables(template):
        value = (context or {}).get(name)
        values.append(str(value)[:limit] if value not in (None, "", False) else "-")
    return values


def signed_request(phone: str, template_id: str, params: list[str], session: str = "") -> tuple[bytes, dict]:
    """The request's body and headers."""
    payload = json.dumps(
        {
            "PhoneNumberSet": [phone if phone.startswith("+") else f"+86{phone}"],
            "SmsSdkAppId": settings.TENCENT_SMS_SDK_APP_ID,
            "SignName": settings.TENCENT_SMS_SIGN_NAME,
            "TemplateId": template_id,
            "TemplateParamSet": params,
            "SessionContext": session,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    host = urllib.parse.urlsplit(settings.TENCENT_SMS_ENDPOINT).netloc
    timestamp = int(time.time())
    signed = signature(
        settings.TENCENT_SMS_SECRET_KEY,
        service=SERVICE,
        host=host,
        timestamp=timestamp,
        payload=payload,
        content_type=CONTENT_TYPE,
    )
    headers = {
        "Authorization": f"TC3-HMAC-SHA256 Credential={settings.TENCENT_SMS_SECRET_ID}/"
        f"{credential_scope(timestamp, SERVICE)}, SignedHeaders=content-type;host, Signature={signed}",
        "Content-Type": CONTENT_TYPE,
        "Host": host,
        "X-TC-Action": "SendSms",
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Version": API_VERSION,
        "X-TC-Region": settings.TENCENT_SMS_REGION,
    }
    return payload.encode(), headers


def post(body: bytes, headers: dict) -> dict:
    """Send the signed request; the API's `Response` object (errors come in it with HTTP 200)."""
    request = urllib.request.Request(settings.TENCENT_SMS_ENDPOINT, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.TENCENT_SMS_TIMEOUT) as response:  # noqa: S310
            raw = response.read(RESPONSE_MAX_BYTES)
    except urllib.error.HTTPError as exc:
        raise SendError(f"Tencent Cloud SMS answered HTTP {exc.code}") from None
    except OSError as exc:
        raise SendError(f"Tencent Cloud SMS unreachable: {exc}") from None
    try:
        answer = json.loads(raw)["Response"]
    except (ValueError, KeyError, TypeError):
        raise SendError("Tencent Cloud SMS answered something that is not its JSON") from None
    if not isinstance(answer, dict):
        raise SendError("Tencent Cloud SMS answered an unexpected JSON value")
    return answer


def _refusal(code: str, text: str, request_id: str) -> SendError:
    error = PermanentSendError if code in PERMANENT_CODES else SendError
    return error(f"Tencent Cloud SMS refused: {code} {text[:200]} (request {request_id})")


class TencentSmsSender(Sender):
    def send(self, message) -> None:
        if not message.phone:
            raise PermanentSendError("no phone number")
        template_id = settings.TENCENT_SMS_TEMPLATES.get(message.template)
        if not template_id:
            raise SendError(f"no Tencent Cloud template id for {message.template!r} in TENCENT_SMS_TEMPLATES")
        body, headers = signed_request(
            message.phone,
            template_id,
            template_params(message.template, message.context),
            session=str(message.pk or ""),
        )
        answer = post(body, headers)
        request_id = str(answer.get("RequestId", "?"))
        error = answer.get("Error")
        if isinstance(error, dict):  # the whole request refused, e.g. AuthFailure.SignatureFailure
            raise _refusal(str(error.get("Code", "?")), str(error.get("Message", "")), request_id)
        statuses = answer.get("SendStatusSet") or [{}]
        status = statuses[0] if isinstance(statuses[0], dict) else {}
        if status.get("Code") != "Ok":  # this number refused, e.g. LimitExceeded.PhoneNumberOneHourLimit
            raise _refusal(str(status.get("Code", "?")), str(status.get("Message", "")), request_id)
