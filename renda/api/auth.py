"""Bearer token authentication for the staff endpoints, with a per-token request limit (LIMIT_API_TOKEN_MINUTE)."""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from renda.core.ratelimit import Limit

from .actions import authenticate, hash_secret
from .errors import ApiError

# A script gone wrong (or a leaked token) cannot flood the staff API: requests per token per minute.
PER_TOKEN = Limit("api-token", "LIMIT_API_TOKEN_MINUTE", 60)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = authenticate(token)
        if user is not None:
            if not PER_TOKEN.hit(hash_secret(token)):
                raise ApiError(429, "rate_limited", _("Too many requests with this token; please wait a minute."))
            request.user = user  # the access functions scope by request.user, exactly as on the web
        return user
