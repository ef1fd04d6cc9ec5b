"""Settings, read from the environment. A bad value stops start-up with a clear message."""

import ipaddress
import math
import os
from datetime import date
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
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


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name, str(default))
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ImproperlyConfigured(f"{name} must be a finite number, got {value!r}")
    return number


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envmap(name: str, form: str, valid=bool) -> dict[str, str]:
    """ "key=value,key=value" as a dict (a message kind → a gateway's template id); an item without "=", with an empty
    key or with a value `valid` refuses stops start-up, saying what an item looks like (`form`)."""
    result = {}
    for item in envlist(name, ""):
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not key or not valid(value):
            raise ImproperlyConfigured(f"{name} items must be {form}, got {item!r}")
        result[key] = value
    return result


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (the site's host names, comma-separated)")
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
    "renda.exports",
    "renda.workdays",
    "renda.opinions",
    "renda.notifications",
    "renda.qrcodes",
    "renda.api",
    "renda.open311",
    "renda.wechat",
    "renda.opendata",
    "renda.receptions",
    "renda.suggestions",
    "renda.projects",
    "renda.activities",
    "renda.calendars",
    "renda.jointmeetings",
    "renda.consultation",
    "renda.records",
    "renda.demo",
    "renda.public",
    "renda.backoffice",
    "renda.ops",
    "renda.backup",
    "renda.dashboards",
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
    "django_prometheus",  # request, latency and database metrics at /metrics (renda/ops, docs/decisions.md)
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: counts and times every request
    "renda.core.middleware.TrustedProxyMiddleware",  # the client's address from X-Forwarded-For (TRUSTED_PROXIES)
    "renda.ops.requestlog.RequestLogMiddleware",  # one JSON log line per request, with its request id
    "renda.core.channel_errors.ChannelErrorMiddleware",  # outermost: machine channels never answer an HTML error page
    "django.middleware.security.SecurityMiddleware",
    "renda.core.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "renda.core.middleware.LanguageMiddleware",
    "renda.core.searching.SearchLengthMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "renda.core.dbrouter.ReplicaMiddleware",  # read-heavy pages read from the replica (DATABASE_REPLICA_URL)
    "renda.accounts.middleware.SessionSecurityMiddleware",
    "renda.accounts.middleware.PasswordChangeRequiredMiddleware",
    "renda.accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "renda.wechat.middleware.WeChatOAuthMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Each machine channel's error format (renda/core/channel_errors.py): path prefix → shape(request, status, code, msg).
CHANNEL_ERROR_SHAPES = {
    "/api/": "renda.api.errors.channel_error",
    "/open311/": "renda.open311.errors.channel_error",
}
# Seconds a client is told to wait (Retry-After) when the database or Redis is briefly unreachable (503).
DB_UNAVAILABLE_RETRY_AFTER = envint("DB_UNAVAILABLE_RETRY_AFTER", 10)
if DB_UNAVAILABLE_RETRY_AFTER < 1:
    raise ImproperlyConfigured(f"DB_UNAVAILABLE_RETRY_AFTER must be at least 1, got {DB_UNAVAILABLE_RETRY_AFTER}")

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
                "renda.accounts.context_processors.menu",
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
    # Concurrent writers wait their turn instead of failing with "database is locked": every transaction takes the
    # write lock when it begins (IMMEDIATE; a deferred one that upgrades from a read fails at once, busy timeout or
    # not), a writer waits up to SQLITE_BUSY_TIMEOUT seconds for it, and WAL lets readers go on meanwhile.
    SQLITE_BUSY_TIMEOUT = envint("SQLITE_BUSY_TIMEOUT", 20)
    if SQLITE_BUSY_TIMEOUT < 1:
        raise ImproperlyConfigured(f"SQLITE_BUSY_TIMEOUT must be at least 1 second, got {SQLITE_BUSY_TIMEOUT}")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL or SQLite")
# Beyond one machine (docs/deploy.md, "A cluster"). A persistent connection (DB_CONN_MAX_AGE seconds) is checked
# before a request reuses it, so a restarted PostgreSQL or PgBouncer costs no request an error; a connection attempt
# gives up after DB_CONNECT_TIMEOUT seconds (the request then answers 503 with Retry-After, core/channel_errors.py).
DB_CONN_HEALTH_CHECKS = envbool("DB_CONN_HEALTH_CHECKS", "true")
DB_CONNECT_TIMEOUT = envint("DB_CONNECT_TIMEOUT", 5)
if DB_CONNECT_TIMEOUT < 1:
    raise ImproperlyConfigured(f"DB_CONNECT_TIMEOUT must be at least 1 second, got {DB_CONNECT_TIMEOUT}")
# DB_PGBOUNCER: DATABASE_URL (and DATABASE_REPLICA_URL) lead to PgBouncer in transaction mode, where consecutive
# transactions of one client may run on different server connections: no server-side cursors (iterator() of exports
# would lose its cursor at the transaction's end) and no prepared statements (psycopg's prepare_threshold stays off).
DB_PGBOUNCER = envbool("DB_PGBOUNCER", "false")
# DB_PREPARE_THRESHOLD: on a direct connection (not DB_PGBOUNCER), the statements the app binds on the server
# (core/dbcursor.py: a submission's rows, the rate limits' counter) are prepared by psycopg after this many executions
# on a connection, so PostgreSQL plans them once per connection (docs/performance.md, "Fourth pass"): it pays with
# persistent connections (DB_CONN_MAX_AGE). 0 prepares at the first execution. The ORM's own queries are bound on the
# client and never prepared.
DB_PREPARE_THRESHOLD = envint("DB_PREPARE_THRESHOLD", 5)
if DB_PREPARE_THRESHOLD < 0:
    raise ImproperlyConfigured(f"DB_PREPARE_THRESHOLD must be 0 or more, got {DB_PREPARE_THRESHOLD}")
# DB_JIT: PostgreSQL's JIT compilation of expensive plans. Off by default: the app's statements are short, and at
# 10 M opinions compiling a count over the open opinions took 600 ms of CPU for 100 ms of work (docs/performance.md).
# Passed as the connection's "-c jit=off"; through PgBouncer (which refuses that option) set it on the database:
# ALTER DATABASE <name> SET jit = off (deploy/cluster/cluster.sh does).
DB_JIT = envbool("DB_JIT", "false")
# DATABASE_REPLICA_URL: a streaming replica of the same database. Read-heavy pages (DB_REPLICA_VIEWS: URL names,
# "namespace:*" for all of a namespace) read from it, except for a client that wrote in the last
# DB_REPLICA_PIN_SECONDS (a cookie pins its reads to the primary), and every write goes to the primary
# (renda/core/dbrouter.py). Empty: one database.
# DB_REPLICA_MAX_LAG_SECONDS: a replica further behind than this, unreachable, or unable to tell its lag is not read
# from (those pages read from the primary and a warning is logged); 0: never asked. Each process asks the replica at
# most once per DB_REPLICA_LAG_CHECK_SECONDS and trusts the answer until then.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
DB_REPLICA_PIN_SECONDS = envint("DB_REPLICA_PIN_SECONDS", 10)
if DB_REPLICA_PIN_SECONDS < 0:
    raise ImproperlyConfigured(f"DB_REPLICA_PIN_SECONDS must be 0 or more, got {DB_REPLICA_PIN_SECONDS}")
DB_REPLICA_MAX_LAG_SECONDS = envfloat("DB_REPLICA_MAX_LAG_SECONDS", 5)
if DB_REPLICA_MAX_LAG_SECONDS < 0:
    raise ImproperlyConfigured(f"DB_REPLICA_MAX_LAG_SECONDS must be 0 or more, got {DB_REPLICA_MAX_LAG_SECONDS}")
DB_REPLICA_LAG_CHECK_SECONDS = envfloat("DB_REPLICA_LAG_CHECK_SECONDS", 2)
if DB_REPLICA_LAG_CHECK_SECONDS < 0.1:
    raise ImproperlyConfigured(
        f"DB_REPLICA_LAG_CHECK_SECONDS must be at least 0.1 second, got {DB_REPLICA_LAG_CHECK_SECONDS}"
    )
DB_REPLICA_VIEWS = frozenset(
    envlist(
        "DB_REPLICA_VIEWS",
        # Dashboards and statistics, reports, exports, open data and the public lists.
        "backoffice:home,opinions:stats,opinions:export,suggestions:stats,suggestions:reports,suggestions:key_board,"
        "receptions:campaign_reports,receptions:campaign_report,receptions:campaign_report_xlsx,"
        "receptions:campaign_report_pdf,stations:export,stations:coverage_export,people:deputy_export,"
        "people:member_export,people:unit_export,audit:export,opendata:*,public:*,dashboards:*,calendars_staff:*,"
        "records:office,records:export,records:attention,records:delegations,activities:campaigns",
    )
)
for _view in DB_REPLICA_VIEWS:
    if ":" not in _view:
        raise ImproperlyConfigured(f'DB_REPLICA_VIEWS items must be "namespace:name" or "namespace:*", got {_view!r}')
DB_REPLICA_ALIAS = None
if _replica_url:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to point to PostgreSQL")
    try:
        DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=envint("DB_CONN_MAX_AGE", 0))
    except Exception as exc:  # as for DATABASE_URL
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a usable database URL: {exc}") from None
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point to PostgreSQL")
    # Tests never create a database for it: it is the primary's copy.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DB_REPLICA_ALIAS = "replica"
    DATABASE_ROUTERS = ["renda.core.dbrouter.ReplicaRouter"]
for _alias, _db in DATABASES.items():
    _db["CONN_HEALTH_CHECKS"] = DB_CONN_HEALTH_CHECKS
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db.setdefault("OPTIONS", {})["connect_timeout"] = DB_CONNECT_TIMEOUT
        if DB_PGBOUNCER:
            _db["DISABLE_SERVER_SIDE_CURSORS"] = True
            _db["OPTIONS"]["prepare_threshold"] = None
        else:
            _db["OPTIONS"]["prepare_threshold"] = DB_PREPARE_THRESHOLD
            if not DB_JIT:
                _db["OPTIONS"]["options"] = "-c jit=off"
    elif DB_PGBOUNCER:
        raise ImproperlyConfigured("DB_PGBOUNCER needs DATABASE_URL to point to PostgreSQL (through PgBouncer)")
    # The same backends wrapped by django-prometheus: query counts, errors and connection metrics at /metrics.
    _db["ENGINE"] = _db["ENGINE"].replace("django.db.backends.", "django_prometheus.db.backends.")

# The cache (WeChat access tokens and message de-duplication; rate limits when RATELIMIT_STORE is "cache").
# CACHE_URL: "locmem://" (per process: for `make demo` and development; the default with DEBUG on), "db://<table>"
# (Django's database cache, shared by all processes; the default in production, `manage.py createcachetable` creates
# it) or "redis://host:port/db" (django-redis; shared, fast, and atomic enough to count rate limits in).
_cache_url = os.environ.get("CACHE_URL", "locmem://" if DEBUG else "db://renda_cache").strip()
if _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url.startswith("db://") and len(_cache_url) > len("db://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": _cache_url[len("db://") :]}
    }
elif _cache_url.startswith(("redis://", "rediss://")) and len(_cache_url.split("://", 1)[1]) > 0:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "renda"),
            # A Redis that is down or restarting fails a request within REDIS_TIMEOUT seconds instead of hanging it;
            # the request answers 503 with Retry-After (errors are not ignored: rate limits and sessions live here,
            # and ignoring would lift every limit and forget sessions; docs/decisions.md). redis-py reconnects by
            # itself on the next command.
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": envint("REDIS_TIMEOUT", 2),
                "SOCKET_TIMEOUT": envint("REDIS_TIMEOUT", 2),
            },
        }
    }
    if envint("REDIS_TIMEOUT", 2) < 1:
        raise ImproperlyConfigured(f"REDIS_TIMEOUT must be at least 1 second, got {envint('REDIS_TIMEOUT', 2)}")
else:
    raise ImproperlyConfigured(
        f'CACHE_URL must be "locmem://", "db://<table>" or "redis://host:port/db", got {_cache_url!r}'
    )

# Rate limits (renda/core/ratelimit.py) count atomically, shared by every worker: in the database's counter table
# ("database", the default) or in the cache ("cache", default when CACHE_URL is Redis). Django's database cache cannot
# count atomically and the per-process LocMem cache is not shared, so "cache" needs Redis (LocMem only with DEBUG).
RATELIMIT_STORE = os.environ.get("RATELIMIT_STORE", "cache" if _cache_url.startswith("redis") else "database")
RATELIMIT_STORE = RATELIMIT_STORE.strip().lower()
if RATELIMIT_STORE not in ("database", "cache"):
    raise ImproperlyConfigured(f'RATELIMIT_STORE must be "database" or "cache", got {RATELIMIT_STORE!r}')
if RATELIMIT_STORE == "cache" and not (_cache_url.startswith("redis") or (DEBUG and _cache_url == "locmem://")):
    raise ImproperlyConfigured(
        "RATELIMIT_STORE=cache needs CACHE_URL=redis://… (the database cache cannot count atomically, "
        "and LocMem counts per process: only with DEBUG)"
    )
# Every limit, per client and window (README's table). At least 1; raise them for load tests, never remove them.
LIMIT_SUBMIT_PER_IP_HOUR = envint("LIMIT_SUBMIT_PER_IP_HOUR", 10)  # opinions and "mine too" from one address
LIMIT_SUBMIT_PER_DEVICE_HOUR = envint("LIMIT_SUBMIT_PER_DEVICE_HOUR", 5)  # the same from one phone (device cookie)
LIMIT_TRACK_PER_IP_MINUTE = envint("LIMIT_TRACK_PER_IP_MINUTE", 30)  # tracking-code look-ups from one address
LIMIT_OPEN311_KEY_HOUR = envint("LIMIT_OPEN311_KEY_HOUR", 300)  # Open311 submissions per API key
LIMIT_API_TOKEN_MINUTE = envint("LIMIT_API_TOKEN_MINUTE", 600)  # staff API requests per personal token
LIMIT_PROPOSE_PER_IP_HOUR = envint("LIMIT_PROPOSE_PER_IP_HOUR", 10)  # livelihood-project proposals from one address
# Joint meetings (renda/jointmeetings): a unit's answer to a joint inquiry is due this many calendar days after the
# question when no date is given; an answer is at most this long.
JOINT_MEETING_ANSWER_DAYS = envint("JOINT_MEETING_ANSWER_DAYS", 15)
JOINT_MEETING_ANSWER_MAX_CHARS = envint("JOINT_MEETING_ANSWER_MAX_CHARS", 10000)
# CPPCC consultation (renda/consultation): a unit's feedback on a meeting's results is due this many calendar days
# after they are sent; a member's speech is at most this long.
CONSULTATION_FEEDBACK_DAYS = envint("CONSULTATION_FEEDBACK_DAYS", 30)
CONSULTATION_SPEECH_MAX_CHARS = envint("CONSULTATION_SPEECH_MAX_CHARS", 20000)
LIMIT_EVALUATE_PER_IP_HOUR = envint("LIMIT_EVALUATE_PER_IP_HOUR", 20)  # voters' term-report evaluations, one address
for _name in (
    "LIMIT_SUBMIT_PER_IP_HOUR",
    "LIMIT_SUBMIT_PER_DEVICE_HOUR",
    "LIMIT_TRACK_PER_IP_MINUTE",
    "LIMIT_OPEN311_KEY_HOUR",
    "LIMIT_API_TOKEN_MINUTE",
    "LIMIT_PROPOSE_PER_IP_HOUR",
    "JOINT_MEETING_ANSWER_DAYS",
    "JOINT_MEETING_ANSWER_MAX_CHARS",
    "CONSULTATION_FEEDBACK_DAYS",
    "CONSULTATION_SPEECH_MAX_CHARS",
    "LIMIT_EVALUATE_PER_IP_HOUR",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, got {globals()[_name]}")

# Dashboards (renda/dashboards): the targets drawn on the rate charts, in percent, and the big screen's refresh.
DASHBOARD_TARGET_HANDLING = envint("DASHBOARD_TARGET_HANDLING", 90)  # handling rate a region is asked to reach
DASHBOARD_TARGET_ON_TIME = envint("DASHBOARD_TARGET_ON_TIME", 95)  # on-time rate
DASHBOARD_TARGET_SATISFACTION = envint("DASHBOARD_TARGET_SATISFACTION", 90)  # satisfaction rate
DASHBOARD_MONTHS = envint("DASHBOARD_MONTHS", 12)  # months the time series and top topics cover
DASHBOARD_SCREEN_REFRESH_SECONDS = envint("DASHBOARD_SCREEN_REFRESH_SECONDS", 60)  # the big screen polls this often
for _name in ("DASHBOARD_TARGET_HANDLING", "DASHBOARD_TARGET_ON_TIME", "DASHBOARD_TARGET_SATISFACTION"):
    if not 0 <= globals()[_name] <= 100:
        raise ImproperlyConfigured(f"{_name} must be a percentage between 0 and 100, got {globals()[_name]}")
for _name in ("DASHBOARD_MONTHS", "DASHBOARD_SCREEN_REFRESH_SECONDS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, got {globals()[_name]}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:home"
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
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))  # collectstatic writes here
# Front-end packages come from the npm registry at install time (make install) and are served from here.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private files (opinion photos, attachments) are served by views that check who asks. With a prefix such as
# "/protected-media/" the view answers with X-Accel-Redirect and the web server sends the file from an internal
# location aliased to MEDIA_ROOT (README, "Deploying"); empty = Django streams the file itself.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not (MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")):
    raise ImproperlyConfigured(f'MEDIA_ACCEL_REDIRECT must start and end with "/", got {MEDIA_ACCEL_REDIRECT!r}')

# Keys for personal data encrypted at rest (Fernet, comma-separated, newest first; see renda/core/crypto.py).
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", "")
if not FIELD_ENCRYPTION_KEYS and not DEBUG:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off")
for _number, _key in enumerate(FIELD_ENCRYPTION_KEYS, 1):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS: key {_number} is not a Fernet key (32 url-safe base64-encoded bytes; make one with"
            ' python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
        ) from None

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
# Where sessions live: "db" (the default), "cache" (Redis only: shared by every node, no table to purge) or
# "cached_db" (written to both, read from the cache).
SESSION_STORE = os.environ.get("SESSION_STORE", "db").strip().lower()
if SESSION_STORE not in ("db", "cache", "cached_db"):
    raise ImproperlyConfigured(f'SESSION_STORE must be "db", "cache" or "cached_db", got {SESSION_STORE!r}')
if SESSION_STORE != "db" and not (_cache_url.startswith("redis") or (DEBUG and _cache_url == "locmem://")):
    raise ImproperlyConfigured(
        f"SESSION_STORE={SESSION_STORE} needs CACHE_URL=redis://… (sessions every node can read; LocMem with DEBUG)"
    )
# "cache": Django's cache store, except that an unreachable Redis is an outage (503), not a logged-out user.
SESSION_ENGINE = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "renda.core.sessions",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}[SESSION_STORE]
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

# Files people open (renda/core/pdf.py, renda/exports): the office named in every PDF's footer (empty: "<region>
# People's Congress Standing Committee" of the document's region); exports with more rows than EXPORT_SYNC_MAX_ROWS,
# and poster batches of more pages than EXPORT_SYNC_MAX_PAGES, run in the background with a progress bar; the
# finished files are kept EXPORT_KEEP_DAYS days (manage.py expire_exports); a running export whose progress has not
# moved for EXPORT_STALE_MINUTES is shown as stopped and may be retried.
ISSUING_OFFICE = os.environ.get("ISSUING_OFFICE", "").strip()
EXPORT_SYNC_MAX_ROWS = envint("EXPORT_SYNC_MAX_ROWS", 5000)
EXPORT_SYNC_MAX_PAGES = envint("EXPORT_SYNC_MAX_PAGES", 20)
EXPORT_KEEP_DAYS = envint("EXPORT_KEEP_DAYS", 7)
EXPORT_STALE_MINUTES = envint("EXPORT_STALE_MINUTES", 30)
for _name in ("EXPORT_SYNC_MAX_ROWS", "EXPORT_SYNC_MAX_PAGES", "EXPORT_KEEP_DAYS", "EXPORT_STALE_MINUTES"):
    if globals()[_name] < (0 if _name.startswith("EXPORT_SYNC") else 1):
        raise ImproperlyConfigured(f"{_name} must not be negative (KEEP_DAYS and STALE_MINUTES at least 1)")

# Excel imports larger than this are refused before they are read.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
PAGE_SIZE = envint("PAGE_SIZE", 50)
# Search boxes (renda/core/searching.py): a longer text in one of these query parameters is refused with a clear
# message on every list (HTML: the form with the error, status 400; the JSON API: 400 in its error shape).
SEARCH_MAX_LENGTH = envint("SEARCH_MAX_LENGTH", 100)
SEARCH_PARAMETERS = tuple(envlist("SEARCH_PARAMETERS", "q,search,dq,sq"))
if SEARCH_MAX_LENGTH < 1:
    raise ImproperlyConfigured("SEARCH_MAX_LENGTH must be at least 1")
# The opinion inbox's search looks for its first page among the newest SEARCH_WINDOW opinions in scope first (a
# frequent word fills a page there at once), and asks the full-text index only when they hold less than a page
# (docs/performance.md, "10 million opinions"). 0 turns the window off.
SEARCH_WINDOW = envint("SEARCH_WINDOW", 1000)
if SEARCH_WINDOW < 0:
    raise ImproperlyConfigured("SEARCH_WINDOW must be 0 or more")
# The opinion statistics page without dates reads the dashboards' summary tables (as of their last refresh) instead
# of counting every opinion of the region; false: always count live (a small deployment may prefer that).
STATS_FROM_SUMMARY = envbool("STATS_FROM_SUMMARY", "true")
# The congress staff's home counts its open opinions live, unless its regions hold more than this many open opinions
# (as of the dashboards' last refresh): then it reads the summary and says as of when — a live count of a city's
# hundreds of thousands takes longer than a page should (docs/performance.md). 0: always live.
HOME_SUMMARY_ABOVE = envint("HOME_SUMMARY_ABOVE", 20000)
if HOME_SUMMARY_ABOVE < 0:
    raise ImproperlyConfigured(f"HOME_SUMMARY_ABOVE must be 0 or more, got {HOME_SUMMARY_ABOVE}")
# ...but not from a summary older than this (refresh_dashboards stopped running): then the home counts live again.
HOME_SUMMARY_MAX_AGE_MINUTES = envint("HOME_SUMMARY_MAX_AGE_MINUTES", 60)
if HOME_SUMMARY_MAX_AGE_MINUTES < 1:
    raise ImproperlyConfigured(f"HOME_SUMMARY_MAX_AGE_MINUTES must be at least 1, got {HOME_SUMMARY_MAX_AGE_MINUTES}")
# An inbox whose scope is several parts (a deputy's stations and own opinions, a keeper's stations) reads each
# part's newest rows through its own index and merges them, up to this many parts; more take one statement.
INBOX_MERGE_PARTS = envint("INBOX_MERGE_PARTS", 20)
if INBOX_MERGE_PARTS < 0:
    raise ImproperlyConfigured("INBOX_MERGE_PARTS must be 0 or more")
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
WECHAT_TEMPLATE_IDS = envmap("WECHAT_TEMPLATE_IDS", "name=template_id")

# Alibaba Cloud SMS (renda/notifications/aliyun_sms.py), used with
# NOTIFICATION_SMS_SENDER=renda.notifications.aliyun_sms.AliyunSmsSender; the endpoint is a setting so tests (and a
# VPC endpoint) can point elsewhere. Templates: outbox template name = approved template code, e.g. "reminder=SMS_1".
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "").strip()
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "").strip()
ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "").strip()
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/").strip()
ALIYUN_SMS_REGION = os.environ.get("ALIYUN_SMS_REGION", "cn-hangzhou").strip()
ALIYUN_SMS_TIMEOUT = envint("ALIYUN_SMS_TIMEOUT", 5)
ALIYUN_SMS_TEMPLATES = envmap("ALIYUN_SMS_TEMPLATES", "name=SMS_code", lambda code: code.replace("_", "").isalnum())
if not ALIYUN_SMS_ENDPOINT.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"ALIYUN_SMS_ENDPOINT must be an http(s) URL, got {ALIYUN_SMS_ENDPOINT!r}")
if not 1 <= ALIYUN_SMS_TIMEOUT <= 60:
    raise ImproperlyConfigured("ALIYUN_SMS_TIMEOUT must be between 1 and 60 seconds")
if NOTIFICATION_SENDERS["sms"] == "renda.notifications.aliyun_sms.AliyunSmsSender":
    for _name in ("ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"{_name} must be set to send SMS through Alibaba Cloud")
    if not ALIYUN_SMS_TEMPLATES:
        raise ImproperlyConfigured("ALIYUN_SMS_TEMPLATES must name the template code of each message kind")

# Tencent Cloud SMS (renda/notifications/tencent_sms.py), used with
# NOTIFICATION_SMS_SENDER=renda.notifications.tencent_sms.TencentSmsSender. Templates: outbox template name = approved
# template id, e.g. "reminder=1234567"; their {1} {2}… are the kind's SMS variables in order (manage.py sms_templates).
TENCENT_SMS_SECRET_ID = os.environ.get("TENCENT_SMS_SECRET_ID", "").strip()
TENCENT_SMS_SECRET_KEY = os.environ.get("TENCENT_SMS_SECRET_KEY", "").strip()
TENCENT_SMS_SDK_APP_ID = os.environ.get("TENCENT_SMS_SDK_APP_ID", "").strip()
TENCENT_SMS_SIGN_NAME = os.environ.get("TENCENT_SMS_SIGN_NAME", "").strip()
TENCENT_SMS_ENDPOINT = os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/").strip()
TENCENT_SMS_REGION = os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou").strip()
TENCENT_SMS_TIMEOUT = envint("TENCENT_SMS_TIMEOUT", 5)
# Tencent refuses a variable over 12 characters from an individual's account; an organisation's has no limit.
TENCENT_SMS_VARIABLE_MAX_CHARS = envint("TENCENT_SMS_VARIABLE_MAX_CHARS", 12)
TENCENT_SMS_TEMPLATES = envmap("TENCENT_SMS_TEMPLATES", "name=template_id (digits)", str.isdigit)
if not TENCENT_SMS_ENDPOINT.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"TENCENT_SMS_ENDPOINT must be an http(s) URL, got {TENCENT_SMS_ENDPOINT!r}")
if not 1 <= TENCENT_SMS_TIMEOUT <= 60:
    raise ImproperlyConfigured("TENCENT_SMS_TIMEOUT must be between 1 and 60 seconds")
if not 1 <= TENCENT_SMS_VARIABLE_MAX_CHARS <= 200:
    raise ImproperlyConfigured("TENCENT_SMS_VARIABLE_MAX_CHARS must be between 1 and 200")
if NOTIFICATION_SENDERS["sms"] == "renda.notifications.tencent_sms.TencentSmsSender":
    for _name in ("TENCENT_SMS_SECRET_ID", "TENCENT_SMS_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID", "TENCENT_SMS_SIGN_NAME"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"{_name} must be set to send SMS through Tencent Cloud")
    if not TENCENT_SMS_TEMPLATES:
        raise ImproperlyConfigured("TENCENT_SMS_TEMPLATES must name the template id of each message kind")

# Log lines (renda/ops/requestlog.py): "json" (one JSON object a line: time, level, logger, message and, for each
# request, its request id, user id, region, method, path, status and duration; the default without DEBUG) or "text".
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f'LOG_FORMAT must be "json" or "text", got {LOG_FORMAT!r}')
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "renda.ops.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Every request at INFO, whatever LOG_LEVEL says for the rest (the access log of the application).
    # DB_ROUTER_LOG_LEVEL=INFO: one line for each request that reads from the replica (renda/core/dbrouter.py).
    "loggers": {
        "renda.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        "renda.dbrouter": {"level": os.environ.get("DB_ROUTER_LOG_LEVEL", "WARNING")},
    },
}

# Health, readiness and metrics (renda/ops, README "Monitoring"). /healthz, /readyz and /metrics answer only clients
# whose address (REMOTE_ADDR) lies in one of these networks; every other client gets 404.
try:
    OPS_ALLOWED_NETWORKS = tuple(
        ipaddress.ip_network(item, strict=False) for item in envlist("OPS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"OPS_ALLOWED_NETWORKS must be a comma-separated list of CIDR networks: {exc}") from None
# Reverse proxies in front of the nodes (nginx, HAProxy): a request whose peer lies in one of these networks gets its
# client's address from X-Forwarded-For (the rightmost address that is not itself a trusted proxy), so rate limits,
# audit rows and OPS_ALLOWED_NETWORKS see the client, not the proxy (renda/core/middleware.py). Empty: REMOTE_ADDR
# as the server saw it (no proxy, or one that sets it).
try:
    TRUSTED_PROXIES = tuple(ipaddress.ip_network(item, strict=False) for item in envlist("TRUSTED_PROXIES", ""))
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must be a comma-separated list of CIDR networks: {exc}") from None
# /readyz fails (503) when more than READY_OUTBOX_MAX_STALE outbox messages are still pending READY_OUTBOX_STALE_MINUTES
# after they were due, or more than READY_TASK_MAX_STALE tasks have waited READY_TASK_STALE_MINUTES for a worker.
READY_OUTBOX_STALE_MINUTES = envint("READY_OUTBOX_STALE_MINUTES", 15)
READY_OUTBOX_MAX_STALE = envint("READY_OUTBOX_MAX_STALE", 100)
READY_TASK_STALE_MINUTES = envint("READY_TASK_STALE_MINUTES", 15)
READY_TASK_MAX_STALE = envint("READY_TASK_MAX_STALE", 100)
# requeue_lost_tasks makes READY again a task left RUNNING this long by a worker that died (renda/ops).
TASK_LOST_SECONDS = envint("TASK_LOST_SECONDS", 600)
# The holiday-data reminder (staff home of system admins, /readyz, check_deployment): shown this many days before the
# next year begins when neither chinese-calendar nor a CalendarOverride row knows that year.
CALENDAR_REMINDER_DAYS = envint("CALENDAR_REMINDER_DAYS", 31)
for _name in (
    "READY_OUTBOX_STALE_MINUTES",
    "READY_OUTBOX_MAX_STALE",
    "READY_TASK_STALE_MINUTES",
    "READY_TASK_MAX_STALE",
    "CALENDAR_REMINDER_DAYS",
    "TASK_LOST_SECONDS",
):
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must be 0 or more, got {globals()[_name]}")

# Open311 GeoReport v2 (renda/open311): the jurisdiction id clients may send (default: the public host), and whether
# anyone may list requests without an API key (a request id is the opinion's public id, not its tracking code).
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID", "")
OPEN311_PUBLIC_LIST = envbool("OPEN311_PUBLIC_LIST", "true")
# What an Open311 request document shows beyond its id, status, service and dates (never names or phones):
# description (the opinion's text), address (the place typed, else the station's), status_notes (the latest public
# note), agency_responsible (the unit), position (the submitter's own lat/long; without it, the station's). The
# default is what the public tracking page shows.
OPEN311_PUBLIC_FIELDS = frozenset(
    envlist("OPEN311_PUBLIC_FIELDS", "description,address,status_notes,agency_responsible")
)
if OPEN311_PUBLIC_FIELDS - {"description", "address", "status_notes", "agency_responsible", "position"}:
    raise ImproperlyConfigured(
        "OPEN311_PUBLIC_FIELDS may list description, address, status_notes, agency_responsible and position, got "
        + ", ".join(sorted(OPEN311_PUBLIC_FIELDS))
    )

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

# Calendars (renda/calendars): a subscribed feed holds this many days back and ahead, and asks phones to come back
# after this many hours; the phone page shows this many days from its first day.
CALENDAR_FEED_PAST_DAYS = envint("CALENDAR_FEED_PAST_DAYS", 90)
CALENDAR_FEED_FUTURE_DAYS = envint("CALENDAR_FEED_FUTURE_DAYS", 366)
CALENDAR_FEED_REFRESH_HOURS = envint("CALENDAR_FEED_REFRESH_HOURS", 4)
CALENDAR_PAGE_DAYS = envint("CALENDAR_PAGE_DAYS", 31)
# A rendered feed is kept this many seconds in the cache (0: rendered at every poll).
CALENDAR_FEED_CACHE_SECONDS = envint("CALENDAR_FEED_CACHE_SECONDS", 300)
if not 0 <= CALENDAR_FEED_CACHE_SECONDS <= 86400:
    raise ImproperlyConfigured(
        f"CALENDAR_FEED_CACHE_SECONDS must be between 0 and 86400, got {CALENDAR_FEED_CACHE_SECONDS}"
    )
for _name in (
    "CALENDAR_FEED_PAST_DAYS",
    "CALENDAR_FEED_FUTURE_DAYS",
    "CALENDAR_FEED_REFRESH_HOURS",
    "CALENDAR_PAGE_DAYS",
):
    if not 1 <= globals()[_name] <= 3660:
        raise ImproperlyConfigured(f"{_name} must be between 1 and 3660, got {globals()[_name]}")

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
# A station's public page lists its deputies folded below the 提交意见/查询进度 buttons, open when there are at most
# this many.
PUBLIC_DEPUTIES_OPEN_MAX = envint("PUBLIC_DEPUTIES_OPEN_MAX", 4)
if PUBLIC_DEPUTIES_OPEN_MAX < 0:
    raise ImproperlyConfigured("PUBLIC_DEPUTIES_OPEN_MAX must not be negative")

# Deputies' suggestions and CPPCC proposals (renda/suggestions): every period in working days (调休 counted), per kind.
# SUGGESTION_* for congress suggestions, PROPOSAL_* for CPPCC proposals; e.g. SUGGESTION_REPLY_DAYS=60 (about 3 months).
SUGGESTION_PERIOD_DEFAULTS = {
    "SIGN": 5,  # joint signers sign within this; unsigned invitations lapse
    "REGISTER": 10,  # the office decides on registration
    "RETURN": 7,  # a unit may return a wrongly assigned item within this
    "REPLY": 60,  # the lead unit replies (about 3 months)
    "CO_VIEWS": 20,  # co-units send their views to the lead unit (about 1 month)
    "EXTENSION_MAX": 60,  # the most an approved extension adds (reply + extension: about 6 months)
    "REVIEW": 5,  # the office reviews a reply
    "RATE": 15,  # submitters rate the reply
    "REHANDLE": 40,  # re-handling after 不满意 (about 2 months)
    "REMIND": 3,  # reminders go out this many working days before a deadline
    "DISCLOSE": 20,  # a finished reply may be published this long after it was accepted
    "FOLLOW_UP": 250,  # a B/C item still tracked: the lead unit reports progress at least this often (about a year)
}
SUGGESTION_PERIODS = {}
for _kind, _prefix in (("congress", "SUGGESTION"), ("cppcc", "PROPOSAL")):
    SUGGESTION_PERIODS[_kind] = {}
    for _step, _default in SUGGESTION_PERIOD_DEFAULTS.items():
        _value = envint(f"{_prefix}_{_step}_DAYS", _default)
        _least = 0 if _step == "REMIND" else 1
        if _value < _least:
            raise ImproperlyConfigured(f"{_prefix}_{_step}_DAYS must be at least {_least}, got {_value}")
        SUGGESTION_PERIODS[_kind][_step.lower()] = _value
    SUGGESTION_PERIODS[_kind]["open"] = envbool(f"{_prefix}_SUBMISSION_OPEN", "true")
    # 大会期间 and 闭会期间: session days holding for every region (YYYY-MM-DD:YYYY-MM-DD, comma-separated; each
    # region's own sessions are recorded by its office: suggestions/sessions.py), and whether items may also be
    # submitted between sessions. Items say whether they were submitted during a session.
    SUGGESTION_PERIODS[_kind]["between_sessions"] = envbool(f"{_prefix}_BETWEEN_SESSIONS", "true")
    SUGGESTION_PERIODS[_kind]["sessions"] = []
    for _item in envlist(f"{_prefix}_SESSIONS", ""):
        try:
            _first, _last = (date.fromisoformat(_part.strip()) for _part in _item.split(":"))
        except ValueError:
            _message = f"{_prefix}_SESSIONS items must be YYYY-MM-DD:YYYY-MM-DD, got {_item!r}"
            raise ImproperlyConfigured(_message) from None
        if _last < _first:
            raise ImproperlyConfigured(f"{_prefix}_SESSIONS: {_item!r} ends before it starts")
        SUGGESTION_PERIODS[_kind]["sessions"].append((_first, _last))

# Activities' problem lists (renda/activities/stats.py): a pushed problem counts as handled on time when its opinion
# (or linked suggestion) was answered within this many days of being pushed.
ACTIVITY_PROBLEM_DAYS = envint("ACTIVITY_PROBLEM_DAYS", 30)
if ACTIVITY_PROBLEM_DAYS < 1:
    raise ImproperlyConfigured("ACTIVITY_PROBLEM_DAYS must be at least 1")
# Performance records (renda/records): a page shows the current year's record recomputed when its stored figures are
# older than this (the periodic `manage.py records_refresh` keeps every record current anyway).
RECORDS_STALE_MINUTES = envint("RECORDS_STALE_MINUTES", 10)
if RECORDS_STALE_MINUTES < 0:
    raise ImproperlyConfigured(f"RECORDS_STALE_MINUTES must be 0 or more, got {RECORDS_STALE_MINUTES}")
