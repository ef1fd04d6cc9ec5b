"""The one door to WeChat's HTTP API: access token (cached), OAuth code exchange, template messages, the menu.

Everything that talks to api.weixin.qq.com goes through `WeChatClient`, so tests replace one class (or point
`api_base` at a local fake server). Standard library HTTP only; short timeouts, because callers are a web request
(OAuth) or the outbox worker (which retries on WeChatError).
"""

import json
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache

API_BASE = "https://api.weixin.qq.com"
AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
TIMEOUT = 5
# Codes WeChat returns when the access token expired early or was replaced by another process.
TOKEN_INVALID = {40001, 40014, 42001}


class WeChatError(Exception):
    """WeChat refused the call or could not be reached."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class WeChatClient:
    def __init__(self, appid: str | None = None, secret: str | None = None, api_base: str = API_BASE):
        self.appid = settings.WECHAT_APPID if appid is None else appid
        self.secret = settings.WECHAT_SECRET if secret is None else secret
        self.api_base = api_base.rstrip("/")

    # HTTP ----------------------------------------------------------------------------------------------------

    def _call(self, path: str, params: dict, payload: dict | None = None) -> dict:
        url = f"{self.api_base}{path}?{urllib.parse.urlencode(params)}"
        data = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else None
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - fixed https base
                body = json.loads(response.read(1024 * 1024) or b"{}")
        except (OSError, ValueError) as exc:
            raise WeChatError(f"WeChat API unreachable or not JSON: {exc}") from None
        code = body.get("errcode") or 0
        if code:
            raise WeChatError(f"WeChat API error {code}: {body.get('errmsg', '')}", code)
        return body

    # Access token --------------------------------------------------------------------------------------------

    def _token_key(self) -> str:
        return f"wechat:access_token:{self.appid}"

    def access_token(self) -> str:
        token = cache.get(self._token_key())
        if token:
            return token
        body = self._call(
            "/cgi-bin/token", {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        )
        token = body.get("access_token")
        if not token:
            raise WeChatError("WeChat returned no access token")
        # Renew five minutes early so a token never expires between reading and using it.
        cache.set(self._token_key(), token, max(60, int(body.get("expires_in", 7200)) - 300))
        return token

    # OAuth ---------------------------------------------------------------------------------------------------

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        query = urllib.parse.urlencode(
            {
                "appid": self.appid,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": "snsapi_base",
                "state": state,
            }
        )
        return f"{AUTHORIZE_URL}?{query}#wechat_redirect"

    def openid_for_code(self, code: str) -> str:
        body = self._call(
            "/sns/oauth2/access_token",
            {"appid": self.appid, "secret": self.secret, "code": code, "grant_type": "authorization_code"},
        )
        openid = body.get("openid")
        if not openid:
            raise WeChatError("WeChat returned no openid")
        return openid

    # Template messages ---------------------------------------------------------------------------------------

    def send_template(self, openid: str, template_id: str, data: dict, url: str = "") -> dict:
        payload = {"touser": openid, "template_id": template_id, "data": data}
        if url:
            payload["url"] = url
        try:
            return self._call("/cgi-bin/message/template/send", {"access_token": self.access_token()}, payload)
        except WeChatError as exc:
            if exc.code in TOKEN_INVALID:
                cache.delete(self._token_key())  # the outbox retries with a fresh token
            raise

    # Custom menu -------------------------------------------------------------------------------------------------

    def create_menu(self, menu: dict) -> dict:
        """Replace the account's custom menu (自定义菜单); one retry with a fresh token if WeChat dropped ours."""
        for attempt in (1, 2):
            try:
                return self._call("/cgi-bin/menu/create", {"access_token": self.access_token()}, menu)
            except WeChatError as exc:
                if exc.code not in TOKEN_INVALID or attempt == 2:
                    raise
                cache.delete(self._token_key())
        raise AssertionError("unreachable")  # pragma: no cover


def get_client() -> WeChatClient:
    """Views and the sender call this, so tests can replace the client in one place."""
    return WeChatClient()
