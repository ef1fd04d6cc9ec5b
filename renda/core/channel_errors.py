"""Machine channels answer every failure in their own documented shape, whichever layer failed.

A client of the JSON API or of Open311 must never receive one of Django's HTML or plain-text error pages: the URL
resolver's 404, a 405, the CSRF check's 403, the 400 for a NUL byte (core.security), the 500 of an unexpected error
in any middleware or view. And a database that is briefly unreachable (a restart, a failover) is not a server bug:
it answers 503 with Retry-After, so that clients retry instead of giving up. The same holds for Redis (the cache, the
rate limits and the sessions of a cluster), and for the HTML pages, which answer a plain 503 page (templates/503.html).

This module knows no channel: each channel registers, in settings.CHANNEL_ERROR_SHAPES, the path prefix it serves and
the dotted path of a function `shape(request, status, code, message) -> HttpResponse` that writes its error format.
Responses a channel wrote itself (JSON, or XML for Open311) pass through untouched.
"""

import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# Headers of the original response the shaped one keeps (security headers, Allow of a 405, ...).
KEEP_HEADERS_EXCEPT = {"content-type", "content-length"}


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    """A database or a Redis that cannot be reached (restarting, failing over): a brief outage, not a bug."""
    errors: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # django-redis not installed: no Redis to lose
        return errors
    return (*errors, RedisConnectionError, RedisTimeoutError)


UNAVAILABLE = _unavailable_errors()


def _message(status: int) -> tuple[str, str]:
    messages = {
        400: ("bad_request", _("The request could not be read (malformed or with forbidden characters).")),
        403: ("forbidden", _("This request is not allowed here.")),
        404: ("not_found", _("There is nothing at this address.")),
        405: ("method_not_allowed", _("This method is not allowed at this address.")),
        413: ("too_large", _("The request is too large.")),
        500: ("server_error", _("An unexpected error occurred on the server; it has been logged.")),
        503: ("unavailable", _("The service is briefly unavailable; please retry shortly.")),
    }
    if status in messages:
        return messages[status]
    return ("error", _("The request failed.")) if status < 500 else messages[500]


def _remember_exception(sender, request=None, **kwargs):
    """Django signals an uncaught exception before it renders its 500 page: keep it to tell an outage from a bug."""
    if request is not None:
        request.channel_exception = sys.exc_info()[1]


got_request_exception.connect(_remember_exception, dispatch_uid="renda.core.channel_errors")


def _is_channel_format(response) -> bool:
    kind = response.get("Content-Type", "").split(";")[0].strip().lower()
    return kind not in ("text/html", "text/plain", "")


class ChannelErrorMiddleware:
    """Outermost middleware: rewrites error pages on the channels' paths into the channel's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.shapes = [(prefix, import_string(path)) for prefix, path in settings.CHANNEL_ERROR_SHAPES.items()]

    def __call__(self, request):
        response = self.get_response(request)
        shape = next((shape for prefix, shape in self.shapes if request.path.startswith(prefix)), None)
        exception = getattr(request, "channel_exception", None)
        outage = isinstance(exception, UNAVAILABLE)
        if shape is None:
            return unavailable_page() if outage else response
        if not outage and (response.status_code < 400 or _is_channel_format(response)):
            return response
        status = 503 if outage else response.status_code
        code, message = _message(status)
        shaped = shape(request, status, code, message)
        for header, value in response.items():
            if header.lower() not in KEEP_HEADERS_EXCEPT and header not in shaped:
                shaped[header] = value
        if outage:
            shaped["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
        return shaped


def unavailable_page() -> HttpResponse:
    """The HTML pages' answer to an outage: a plain 503 page with Retry-After, rendered without the request (its
    context processors would ask the database or the cache that is down)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
    return response
