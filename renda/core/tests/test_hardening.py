"""Web hardening: a strict Content-Security-Policy with a nonce, templates that obey it, deploy checks, a quiet 500."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.template import engines
from django.test import Client, override_settings
from django.urls import path

ROOT = Path(__file__).resolve().parents[3]


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";")}


def test_every_response_has_a_strict_policy_with_a_fresh_nonce(world, client):
    first, second = client.get("/"), client.get("/")
    assert first.status_code == 200
    policy = _policy(first)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["img-src"] == "img-src 'self' data:"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["form-action"] == "form-action 'self'"
    assert policy["base-uri"] == "base-uri 'none'"
    nonce = re.fullmatch(r"script-src 'self' 'nonce-([\w-]+)'", policy["script-src"]).group(1)
    assert nonce not in _policy(second)["script-src"]  # a new nonce per request
    assert "unsafe-inline" not in first["Content-Security-Policy"]
    # Staff pages and 404s carry it too.
    staff = world.client(world.wuzhong_staff).get("/staff/opinions/")
    assert "nonce-" in staff["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/no-such-page/")["Content-Security-Policy"]
    assert first["X-Frame-Options"] == "DENY" and first["Referrer-Policy"] == "same-origin"
    assert first["X-Content-Type-Options"] == "nosniff"


def test_nonce_reaches_templates(rf):
    from renda.core.security import ContentSecurityPolicyMiddleware

    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">1</script>')

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(template.render({}, request))

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    nonce = re.search(r'nonce="([\w-]+)"', response.content.decode()).group(1)
    assert len(nonce) >= 16 and f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_api_docs_get_inline_styles_only(world, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert policy["script-src"].startswith("script-src 'self' 'nonce-")  # scripts as strict as anywhere
    # swagger-ui is served from this host and its settings block is data, not script.
    assert "/static/ninja/swagger-ui-bundle.js" in response.content.decode()
    assert "//cdn" not in response.content.decode()


def test_htmx_does_not_inject_its_inline_indicator_style(db, client):
    html = client.get("/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in html


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=\"\{\{ csp_nonce \}\}\")(?![^>]*application/(ld\+)?json)"
)
HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
# style-src 'self' also refuses style attributes: styles belong in the stylesheet.
STYLE_ATTRIBUTE = re.compile(r"""<[^>]*\sstyle\s*=""", re.IGNORECASE)


def test_no_template_has_inline_script_without_nonce_or_event_handlers():
    templates = sorted((ROOT / "renda").glob("*/templates/**/*.html"))
    assert len(templates) > 30
    offenders = []
    for template in templates:
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL, STYLE_ATTRIBUTE):
            if pattern.search(text):
                offenders.append(f"{template.relative_to(ROOT)}: {pattern.search(text).group(0)}")
    assert offenders == []


def test_check_deploy_with_production_settings_is_clean():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="renda.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="renda.example.gov.cn",
        SECURE_SSL_REDIRECT="1",
        SECURE_COOKIES="1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout and "WARNING" not in result.stdout + result.stderr


def _boom(request):
    raise RuntimeError("secret detail: FIELD_ENCRYPTION_KEYS=abc /work/main/renda")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_leaks_nothing(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'id="server-error"' in html
    for leak in ("secret detail", "RuntimeError", "Traceback", "/work/main", "FIELD_ENCRYPTION_KEYS", "SECRET_KEY"):
        assert leak not in html
    assert "nonce-" in response["Content-Security-Policy"]


def test_hsts_defaults(db, settings):
    # The test settings run with DEBUG off, like production: HSTS for a year on secure requests.
    assert settings.SECURE_HSTS_SECONDS == 31536000 and settings.SECURE_HSTS_INCLUDE_SUBDOMAINS
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
