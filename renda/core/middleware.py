import ipaddress

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """zh-Hans unless the user chose another language with the switch (the language cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the platform's language is Chinese
    by default, and English is something a user selects, not something a browser's setting imposes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class TrustedProxyMiddleware:
    """Behind reverse proxies (settings.TRUSTED_PROXIES), REMOTE_ADDR becomes the client's address.

    Only a request whose peer is a trusted proxy is rewritten, with the rightmost address of X-Forwarded-For that is
    not itself a trusted proxy: the addresses left of it were written by the client and prove nothing. The proxy's
    own address is kept in request.META["PROXY_ADDR"].
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = settings.TRUSTED_PROXIES

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def __call__(self, request):
        peer = request.META.get("REMOTE_ADDR", "")
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if self.proxies and forwarded and self._trusted(peer):
            for address in reversed([part.strip() for part in forwarded.split(",")]):
                if self._trusted(address):
                    continue
                try:
                    ipaddress.ip_address(address)
                except ValueError:
                    break  # garbage from a client: keep the proxy's address
                request.META["PROXY_ADDR"] = peer
                request.META["REMOTE_ADDR"] = address
                break
        return self.get_response(request)
