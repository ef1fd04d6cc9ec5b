"""Silent WeChat sign-in before the opinion form, so the constituent can later be told through WeChat.

When the opinion form is opened inside WeChat (its browser says "MicroMessenger") and the session holds no openid
yet, the request goes once through the snsapi_base OAuth (views.oauth_start → WeChat → views.oauth_callback), which
puts the openid in the session and comes back to the form. No consent page is shown (snsapi_base); the openid is
stored with the opinion only if the constituent ticks consent (opinions.actions.submit). One attempt per session:
a failed or refused exchange returns to the form without an openid, never in a loop.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from renda.opinions.wechat_session import SESSION_OPENID

from .views import SESSION_TRIED

# The pages whose submissions may later be answered through WeChat.
OAUTH_VIEWS = frozenset({"opinions_public:station_submit", "opinions_public:deputy_submit"})


def in_wechat(request) -> bool:
    return "MicroMessenger" in request.headers.get("User-Agent", "")


class WeChatOAuthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "GET" or not (settings.WECHAT_TOKEN and settings.WECHAT_APPID):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in OAUTH_VIEWS or not in_wechat(request):
            return None
        if request.session.get(SESSION_OPENID) or request.session.get(SESSION_TRIED):
            return None
        target = reverse("wechat:oauth_start") + "?" + urlencode({"next": request.get_full_path()})
        response = HttpResponseRedirect(target)
        add_never_cache_headers(response)
        return response
