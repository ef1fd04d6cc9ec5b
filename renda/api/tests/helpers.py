"""Shared bits of the API tests: a bearer client per world user, and a quick opinion."""

from django.test import Client

from renda.api.actions import create_token
from renda.opinions import actions
from renda.opinions.models import Category


def bearer(user) -> tuple[Client, str]:
    """A client sending `user`'s new token on every request (no session: the token alone identifies them)."""
    _token, secret = create_token(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), secret


def opinion_at(station, text="小区停车难，晚上没有车位", token=None):
    category = Category.objects.get(name="交通出行")
    return actions.submit(station=station, category=category, text=text, client_token=token).opinion
