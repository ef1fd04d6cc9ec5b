"""Web hardening: a Content-Security-Policy with a per-request nonce (等保2.0 application security).

Everything the site loads comes from its own host (no CDN), so the policy is strict: scripts only from 'self' or with
this request's nonce, no inline event handlers, no framing. The API docs page (swagger-ui, served from ninja's local
static files) sets inline styles from JavaScript, so that one path gets 'unsafe-inline' for styles only.
"""

import secrets

from django.conf import settings
from django.http import HttpResponseBadRequest

POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
# swagger-ui styles its elements inline; scripts stay as strict as everywhere else.
RELAXED_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def _relaxed_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "CSP_RELAXED_STYLE_PATHS", ("/api/v1/docs",)))


class ContentSecurityPolicyMiddleware:
    """Sets request.csp_nonce and the Content-Security-Policy header on every response.

    It also turns away paths and query strings with a NUL character (400): views look codes from the URL and search
    words from the query string up in the database, and PostgreSQL refuses NUL in a text parameter with an error (a
    500) instead of "no such row". Form bodies need no such rule: Django's form fields refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        if "\x00" in request.path_info or _nul_in_query(request):
            response = HttpResponseBadRequest("bad request", content_type="text/plain")
        else:
            response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            template = RELAXED_POLICY if request.path.startswith(_relaxed_paths()) else POLICY
            response["Content-Security-Policy"] = template.format(nonce=request.csp_nonce)
        return response


def _nul_in_query(request) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


def csp_nonce(request):
    """Template variable {{ csp_nonce }} for the rare inline <script nonce="{{ csp_nonce }}">."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
