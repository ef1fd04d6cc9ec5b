"""Settings, read from the environment. A bad value stops start-up with a clear message."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envfraction(name: str, default: str, *, maximum: float = 1) -> str:
    """A decimal between 0 and `maximum` (kept as text so models turn it into an exact Decimal)."""
    value = os.environ.get(name, default).strip()
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a decimal number, got {value!r}") from None
    if not 0 <= number <= maximum:
        raise ImproperlyConfigured(f"{name} must be between 0 and {maximum}, got {value!r}")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
if not PUBLIC_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PUBLIC_BASE_URL must start with http:// or https://, got {PUBLIC_BASE_URL!r}")

# The project's apps come first: their templates and translations take precedence over Django's own
# (Django's admin catalogue would otherwise translate our "Log out" its own way).
INSTALLED_APPS = [
    "renda.core",
    "renda.audit",
    "renda.regions",
    "renda.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "renda.people",
    "renda.stations",
    "renda.imports",
    "renda.workdays",
    "renda.opinions",
    "renda.notifications",
    "renda.qrcodes",
    "renda.api",
    "renda.open311",
    "renda.wechat",
    "renda.opendata",
    "renda.receptions",
    "renda.projects",
    "renda.demo",
    "renda.public",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' swagger-ui/redoc assets from local static files
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "renda.core.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "renda.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "renda.accounts.middleware.SessionSecurityMiddleware",
    "renda.accounts.middleware.PasswordChangeRequiredMiddleware",
    "renda.accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "renda.urls"
WSGI_APPLICATION = "renda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "renda.core.context_processors.site",
                "renda.core.security.csp_nonce",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=envint("DB_CONN_MAX_AGE", 0))}
except Exception as exc:  # dj_database_url raises several types; all mean the URL is unusable
    raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Chinese text needs a UTF-8 database; template0 lets the test database choose its own encoding.
    DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL or SQLite")

# The cache holds rate-limit counts (renda/core/ratelimit.py). CACHE_URL: "locmem://" (default: per process, so with
# N workers a limit is up to N times looser) or "db://<table>" (shared by all processes; `manage.py createcachetable`
# creates the table, and the test runner does so by itself).
_cache_url = os.environ.get("CACHE_URL", "locmem://").strip()
if _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url.startswith("db://") and len(_cache_url) > len("db://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": _cache_url[len("db://") :]}
    }
else:
    raise ImproperlyConfigured(f'CACHE_URL must be "locmem://" or "db://<table>", got {_cache_url!r}')

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保2.0 level 3 (renda/accounts/passwords.py): three character classes, no username, no reuse of the last 5.
    {"NAME": "renda.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "renda.accounts.passwords.NoUsernameValidator"},
    {
        "NAME": "renda.accounts.passwords.PasswordHistoryValidator",
        "OPTIONS": {"count": envint("PASSWORD_HISTORY", 5)},
    },
]
# Account security (docs/security.md, "Staff account security").
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", 90)
LOCKOUT_ACCOUNT_FAILURES = envint("LOCKOUT_ACCOUNT_FAILURES", 5)
LOCKOUT_IP_FAILURES = envint("LOCKOUT_IP_FAILURES", 5)
LOCKOUT_MINUTES = envint("LOCKOUT_MINUTES", 15)
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
# TOTP is always required for system/security/audit admins and superusers; this extends it to all staff.
OTP_REQUIRED_FOR_STAFF = envbool("OTP_REQUIRED_FOR_STAFF", "false")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "renda")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry at install time (make install) and are served from here.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Keys for personal data encrypted at rest (Fernet, comma-separated, newest first; see renda/core/crypto.py).
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", "")
if not FIELD_ENCRYPTION_KEYS and not DEBUG:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false" if DEBUG else "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS in production (docs/security.md): HSTS on by default when DEBUG is off. The HTTP->HTTPS redirect is usually
# the front proxy's job; set SECURE_SSL_REDIRECT=true when Django faces clients directly.
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false" if DEBUG else "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false" if DEBUG else "true")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
if envbool("SECURE_PROXY_SSL_HEADER", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Personal data of constituents is de-identified this many days after an opinion is closed (deidentify_opinions).
PII_RETENTION_DAYS = envint("PII_RETENTION_DAYS", 730)

# Excel imports larger than this are refused before they are read.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
PAGE_SIZE = envint("PAGE_SIZE", 50)
# How long a process keeps deadline rules and the holiday calendar (both change a few times a year).
REFERENCE_CACHE_SECONDS = envint("REFERENCE_CACHE_SECONDS", 60)

# Outbox senders per channel (renda/notifications/senders.py): a dotted class path with a send(message) method.
# LogSender writes messages to the log (development, or an intranet without an SMS gateway).
NOTIFICATION_SENDERS = {
    "sms": os.environ.get("NOTIFICATION_SMS_SENDER", "renda.notifications.senders.LogSender"),
    "wechat": os.environ.get("NOTIFICATION_WECHAT_SENDER", "renda.notifications.senders.LogSender"),
    "email": os.environ.get("NOTIFICATION_EMAIL_SENDER", "renda.notifications.senders.LogSender"),
    "site": "renda.notifications.senders.SiteSender",
}
for _channel, _path in NOTIFICATION_SENDERS.items():
    if not _path.replace("_", "").replace(".", "").isalnum() or "." not in _path:
        raise ImproperlyConfigured(f"the {_channel} sender must be a dotted class path, got {_path!r}")

# WeChat official account (renda/wechat/, docs/api/wechat.md). All optional: without WECHAT_TOKEN /wechat/ answers 404.
WECHAT_APPID = os.environ.get("WECHAT_APPID", "").strip()
WECHAT_SECRET = os.environ.get("WECHAT_SECRET", "").strip()
WECHAT_TOKEN = os.environ.get("WECHAT_TOKEN", "").strip()
WECHAT_ENCODING_AES_KEY = os.environ.get("WECHAT_ENCODING_AES_KEY", "").strip()
if WECHAT_TOKEN and not WECHAT_TOKEN.isalnum():
    raise ImproperlyConfigured("WECHAT_TOKEN must be letters and digits only")
if WECHAT_ENCODING_AES_KEY and (len(WECHAT_ENCODING_AES_KEY) != 43 or not WECHAT_ENCODING_AES_KEY.isalnum()):
    raise ImproperlyConfigured("WECHAT_ENCODING_AES_KEY must be the 43 letters and digits shown in the WeChat admin")
if WECHAT_ENCODING_AES_KEY and not WECHAT_APPID:
    raise ImproperlyConfigured("WECHAT_ENCODING_AES_KEY needs WECHAT_APPID (encrypted messages carry the AppID)")
# Template messages: outbox template name = WeChat template id, comma-separated, e.g. "opinion_replied=AbC…,…".
WECHAT_TEMPLATE_IDS = {}
for _item in envlist("WECHAT_TEMPLATE_IDS", ""):
    _name, _sep, _id = _item.partition("=")
    if not _sep or not _name.strip() or not _id.strip():
        raise ImproperlyConfigured(f"WECHAT_TEMPLATE_IDS items must be name=template_id, got {_item!r}")
    WECHAT_TEMPLATE_IDS[_name.strip()] = _id.strip()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Open311 GeoReport v2 (renda/open311): the jurisdiction id clients may send (default: the public host), and whether
# anyone may list requests without an API key (off: a request id is the constituent's tracking code).
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID", "")
OPEN311_PUBLIC_LIST = envbool("OPEN311_PUBLIC_LIST", "false")

# Receptions (renda/receptions, docs/architecture.md): a reception is public at least this many days ahead; roster
# receptions are generated this many weeks ahead; a check-in with a position must be within this many metres of the
# station; staff reports list stations without a reception in this many weeks.
RECEPTION_PUBLISH_DAYS = envint("RECEPTION_PUBLISH_DAYS", 2)
RECEPTION_SCHEDULE_WEEKS = envint("RECEPTION_SCHEDULE_WEEKS", 4)
RECEPTION_CHECKIN_TOLERANCE_M = envint("RECEPTION_CHECKIN_TOLERANCE_M", 500)
RECEPTION_IDLE_WEEKS = envint("RECEPTION_IDLE_WEEKS", 8)
for _name in ("RECEPTION_PUBLISH_DAYS", "RECEPTION_SCHEDULE_WEEKS", "RECEPTION_CHECKIN_TOLERANCE_M"):
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must not be negative")
if RECEPTION_IDLE_WEEKS < 1 or RECEPTION_SCHEDULE_WEEKS < 1:
    raise ImproperlyConfigured("RECEPTION_IDLE_WEEKS and RECEPTION_SCHEDULE_WEEKS must be at least 1")

# Livelihood projects (renda/projects, docs/projects.md): solicitation lasts at least this many days; a candidate
# list has at least max(places + extra, places × ratio) candidates and always more than places (差额); a session
# needs present > quorum × entitled; elected needs "for" > threshold × present; satisfaction: 满意 if 满意 >
# satisfied × valid, 基本满意 if 满意 + 基本满意 > basic × valid. Defaults for new rounds; each round keeps its own.
PROJECTS_SOLICITATION_MIN_DAYS = envint("PROJECTS_SOLICITATION_MIN_DAYS", 30)
PROJECTS_SURPLUS_MIN_EXTRA = envint("PROJECTS_SURPLUS_MIN_EXTRA", 1)
PROJECTS_SURPLUS_RATIO = envfraction("PROJECTS_SURPLUS_RATIO", "1.0", maximum=10)
PROJECTS_QUORUM_FRACTION = envfraction("PROJECTS_QUORUM_FRACTION", "0.5")
PROJECTS_ELECTION_THRESHOLD = envfraction("PROJECTS_ELECTION_THRESHOLD", "0.5")
PROJECTS_SATISFIED_FRACTION = envfraction("PROJECTS_SATISFIED_FRACTION", "0.5")
PROJECTS_BASIC_FRACTION = envfraction("PROJECTS_BASIC_FRACTION", "0.5")
# An overdue milestone reminds the lead unit at once and is escalated to congress staff this many days later.
PROJECTS_MILESTONE_ESCALATE_DAYS = envint("PROJECTS_MILESTONE_ESCALATE_DAYS", 7)
if PROJECTS_SOLICITATION_MIN_DAYS < 1 or PROJECTS_SURPLUS_MIN_EXTRA < 0 or PROJECTS_MILESTONE_ESCALATE_DAYS < 0:
    raise ImproperlyConfigured(
        "PROJECTS_SOLICITATION_MIN_DAYS must be at least 1; PROJECTS_SURPLUS_MIN_EXTRA and "
        "PROJECTS_MILESTONE_ESCALATE_DAYS must not be negative"
    )

# The coordinate system station coordinates are entered in. Phones report WGS-84 (GPS); Chinese web maps give GCJ-02
# (Amap, Tencent, WeChat) or BD-09 (Baidu) — about 500 m apart in Suzhou. Positions are converted into this system
# before any distance is measured (nearest stations, check-in), see renda/core/geo.py.
STATION_COORDINATES = os.environ.get("STATION_COORDINATES", "wgs84").strip().lower()
if STATION_COORDINATES not in ("wgs84", "gcj02", "bd09"):
    raise ImproperlyConfigured(f"STATION_COORDINATES must be wgs84, gcj02 or bd09, got {STATION_COORDINATES!r}")
