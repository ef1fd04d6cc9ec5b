"""The account's endpoint (/wechat/) and the snsapi_base OAuth pair; protocol in crypto.py and wxml.py."""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from renda.opinions.wechat_session import SESSION_OPENID

from . import client as wechat_client
from . import crypto, handlers, wxml

log = logging.getLogger("renda.wechat")

MAX_AGE = 300  # seconds a signed request stays valid: a captured request cannot be replayed later
DUPLICATE_SECONDS = 300  # WeChat retries three times within 15 s; keys are kept well beyond that
__all__ = ["SESSION_OPENID", "endpoint", "oauth_callback", "oauth_start"]
SESSION_STATE = "wechat_oauth_state"
SESSION_NEXT = "wechat_oauth_next"
SESSION_TRIED = "wechat_oauth_tried"  # the silent sign-in was attempted in this session (middleware.py: once only)


def _require_configured():
    if not settings.WECHAT_TOKEN:
        raise Http404("WeChat is not configured")


def _fresh(timestamp: str) -> bool:
    return timestamp.isdigit() and abs(time.time() - int(timestamp)) <= MAX_AGE


def _dedupe_key(message: dict) -> str:
    if message.get("MsgId"):
        return f"wechat:seen:msg:{message['MsgId']}"
    return f"wechat:seen:event:{message.get('FromUserName', '')}:{message.get('CreateTime', '')}"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request):
    _require_configured()
    token = settings.WECHAT_TOKEN
    timestamp, nonce = request.GET.get("timestamp", ""), request.GET.get("nonce", "")
    if not _fresh(timestamp) or not crypto.signature_ok(request.GET.get("signature", ""), token, timestamp, nonce):
        return HttpResponseForbidden("bad signature")
    if request.method == "GET":  # URL verification in the WeChat admin
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponseBadRequest("bad length")
    if length > wxml.MAX_BYTES:
        return HttpResponseBadRequest("too large")
    encrypted = request.GET.get("encrypt_type", "raw").lower() == "aes"
    try:
        message = wxml.parse(request.body)
        if encrypted:
            message = _decrypt(request, message, token, timestamp, nonce)
            if message is None:
                return HttpResponseForbidden("bad message signature")
    except (wxml.BadXml, crypto.CryptoError) as exc:
        log.info("refused WeChat message: %s", exc)
        return HttpResponseBadRequest("bad message")

    # "success" (or an empty body) tells WeChat not to retry and to show nothing.
    if not cache.add(_dedupe_key(message), 1, DUPLICATE_SECONDS):
        return HttpResponse("success", content_type="text/plain")
    try:
        answer = handlers.reply(message)
    except Exception:
        cache.delete(_dedupe_key(message))  # let WeChat's retry try again
        raise
    if not answer:
        return HttpResponse("success", content_type="text/plain")
    if encrypted:
        answer = _encrypt(answer, token)
    return HttpResponse(answer, content_type="application/xml; charset=utf-8")


def _decrypt(request, envelope: dict, token: str, timestamp: str, nonce: str) -> dict | None:
    if not settings.WECHAT_ENCODING_AES_KEY:
        raise crypto.CryptoError("encrypted message but no WECHAT_ENCODING_AES_KEY")
    encrypted = envelope.get("Encrypt", "")
    if not encrypted or not crypto.signature_ok(
        request.GET.get("msg_signature", ""), token, timestamp, nonce, encrypted
    ):
        return None
    inner = crypto.decrypt(encrypted, settings.WECHAT_ENCODING_AES_KEY, settings.WECHAT_APPID)
    return wxml.parse(inner.encode())


def _encrypt(answer: str, token: str) -> str:
    timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
    encrypted = crypto.encrypt(answer, settings.WECHAT_ENCODING_AES_KEY, settings.WECHAT_APPID)
    return wxml.encrypted_envelope(encrypted, crypto.signature(token, timestamp, nonce, encrypted), timestamp, nonce)


# OAuth (snsapi_base: the openid only, no consent page) ----------------------------------------------------------


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_GET
def oauth_start(request):
    _require_configured()
    if not settings.WECHAT_APPID:
        raise Http404("WeChat OAuth is not configured")
    state = secrets.token_urlsafe(16)
    request.session[SESSION_STATE] = state
    request.session[SESSION_TRIED] = True
    request.session[SESSION_NEXT] = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = settings.PUBLIC_BASE_URL + reverse("wechat:oauth_callback")
    return HttpResponseRedirect(wechat_client.get_client().authorize_url(redirect_uri, state))


@require_GET
def oauth_callback(request):
    _require_configured()
    expected = request.session.pop(SESSION_STATE, None)
    target = request.session.pop(SESSION_NEXT, "/")
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if not expected or not secrets.compare_digest(state.encode(), expected.encode()):
        return HttpResponseBadRequest("bad OAuth state")
    if not code:  # WeChat came back without a code: carry on without an openid
        return HttpResponseRedirect(_safe_next(request, target))
    try:
        openid = wechat_client.get_client().openid_for_code(code)
    except wechat_client.WeChatError as exc:
        # The state was ours, so the way back is known: the page works without an openid (nothing will be sent
        # through WeChat), and the attempt is not repeated in this session.
        log.warning("WeChat OAuth failed: %s", exc)
        return HttpResponseRedirect(_safe_next(request, target))
    request.session[SESSION_OPENID] = openid
    return HttpResponseRedirect(_safe_next(request, target))
