"""Bearer token authentication for the staff endpoints."""

from ninja.security import HttpBearer

from .actions import authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = authenticate(token)
        if user is not None:
            request.user = user  # the access functions scope by request.user, exactly as on the web
        return user
