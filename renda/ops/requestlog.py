"""Structured logs: one JSON object a line, and one line per request with its request id.

The request line carries the request id (the client's `X-Request-ID` when it is a sane token, else a new one, echoed
in the response), the user's id (never a name, phone or any text the user typed), the region of the user's first
staff grant when the request already computed the user's scope (no extra query: public requests and requests that
never looked at the scope have none), the method, the path without its query string (query strings carry tracking
codes and search words), the status and the duration in milliseconds. Other log lines written while the request runs
carry its request id too. The audit log (renda/audit) is a separate, hash-chained table and is not written here.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

log = logging.getLogger("renda.requests")
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# Letters, digits and . _ : - only, at most 64 characters: anything else (or nothing) gets a fresh id, so a client
# cannot write arbitrary text into the logs.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
REQUEST_FIELDS = ("request_id", "user_id", "region", "method", "path", "status", "duration_ms")


def current_request_id() -> str | None:
    return _request_id.get()


def _user_fields(request) -> dict:
    """The user's id and first staff region, only from what the request already loaded (no query of our own)."""
    user = getattr(request, "_cached_user", None)  # set by AuthenticationMiddleware once something asked for the user
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    fields = {"user_id": user.pk}
    scope = getattr(user, "_renda_scope", None)  # renda.accounts.scope.scope_for caches it on the user
    if scope is not None:
        for paths in (scope.staff_paths, scope.admin_paths, scope.security_paths, scope.audit_paths):
            if paths:
                fields["region"] = paths[0][-12:]  # a path ends with the region's own 12-digit code
                break
    return fields


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if SANE_REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            fields = {
                "request_id": request_id,
                **_user_fields(request),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            }
            log.info("%s %s %s", request.method, request.path, response.status_code, extra={"http": fields})
            return response
        finally:
            _request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the request's fields, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_fields = getattr(record, "http", None)
        if isinstance(request_fields, dict):
            data.update(request_fields)
        else:
            # Django's own request lines ("Not Found: …", errors) carry the request object, written after the
            # middleware has returned; other lines written while a request runs get its id from the context.
            request_id = getattr(getattr(record, "request", None), "request_id", None) or current_request_id()
            if request_id:
                data["request_id"] = request_id
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
