"""The checks behind `manage.py check_deployment` (docs/upgrading.md).

Errors mean "do not put this node behind the load balancer": settings that are unsafe in production, missing
migrations, a missing cache table, no holidays for the current year. Warnings are work to do soon: next year's
holidays, a superuser still active once the three administrators (三员) exist. Each finding has a stable id
("ops.E001") that scripts and the docs refer to; its text is translated.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from renda.accounts.models import ADMIN_ROLES, Grant, User
from renda.workdays.coverage import has_overrides, package_knows, year_needing_holidays

from .. import health

ERROR, WARNING = "error", "warning"
MIN_SECRET_KEY_LENGTH = 50  # Django's own deployment check (security.W009) asks for 50 characters, 5 unique


@dataclass(frozen=True)
class Finding:
    level: str
    id: str
    message: str


def check_settings() -> list[Finding]:
    found = []
    if settings.DEBUG:
        found.append(Finding(ERROR, "ops.E001", _("DEBUG is on: turn it off in production.")))
    key = settings.SECRET_KEY
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5 or key.startswith(("insecure", "django-insecure")):
        found.append(
            Finding(
                ERROR,
                "ops.E002",
                _("SECRET_KEY is too short or a known placeholder: use at least %(length)d random characters.")
                % {"length": MIN_SECRET_KEY_LENGTH},
            )
        )
    hosts = settings.ALLOWED_HOSTS
    if not hosts or "*" in hosts:
        found.append(Finding(ERROR, "ops.E003", _("ALLOWED_HOSTS must name the site's host names (not * or empty).")))
    if not settings.PUBLIC_BASE_URL.startswith("https://"):
        found.append(
            Finding(ERROR, "ops.E004", _("PUBLIC_BASE_URL must start with https:// (QR codes and links carry it)."))
        )
    if not settings.FIELD_ENCRYPTION_KEYS:
        found.append(
            Finding(ERROR, "ops.E005", _("FIELD_ENCRYPTION_KEYS is empty: personal data cannot be encrypted."))
        )
    if not settings.SESSION_COOKIE_SECURE:
        found.append(Finding(WARNING, "ops.W001", _("SECURE_COOKIES is off: session cookies also travel over http.")))
    if any(network.prefixlen == 0 for network in settings.OPS_ALLOWED_NETWORKS):
        found.append(
            Finding(WARNING, "ops.W002", _("OPS_ALLOWED_NETWORKS lets every address read health and metrics."))
        )
    return found


def check_database() -> list[Finding]:
    try:
        health.check_database()
    except Exception as exc:  # noqa: BLE001 - any failure means the database cannot be used
        return [Finding(ERROR, "ops.E006", _("The database is unreachable: %(error)s") % {"error": type(exc).__name__})]
    found = []
    missing = health.unapplied_migrations()
    if missing:
        found.append(
            Finding(
                ERROR,
                "ops.E007",
                _("%(count)d migrations are not applied (first: %(first)s): run manage.py migrate.")
                % {"count": len(missing), "first": missing[0]},
            )
        )
    cache = settings.CACHES["default"]
    if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
        if cache["LOCATION"] not in connections[DEFAULT_DB_ALIAS].introspection.table_names():
            found.append(
                Finding(
                    ERROR,
                    "ops.E008",
                    _("The cache table %(table)s does not exist: run manage.py createcachetable.")
                    % {"table": cache["LOCATION"]},
                )
            )
    return found


def check_calendar(today: date) -> list[Finding]:
    found = []
    if not package_knows(today.year) and not has_overrides(today.year):
        found.append(
            Finding(
                ERROR,
                "ops.E009",
                _("No holidays are known for %(year)d: deadlines count weekends only. Enter calendar overrides.")
                % {"year": today.year},
            )
        )
    coming = year_needing_holidays(today)
    if coming is not None:
        found.append(
            Finding(
                WARNING,
                "ops.W003",
                _("No holidays are known for %(year)d yet: enter calendar overrides or upgrade chinese-calendar.")
                % {"year": coming},
            )
        )
    return found


def check_superusers() -> list[Finding]:
    """三员: once the three administrators exist, no superuser should stay active (manage.py disable_superusers)."""
    if not User.objects.filter(is_superuser=True, is_active=True).exists():
        return []
    held = set(
        Grant.objects.filter(role__in=ADMIN_ROLES, user__is_active=True, user__is_superuser=False).values_list(
            "role", flat=True
        )
    )
    if held >= set(ADMIN_ROLES):
        return [
            Finding(
                WARNING,
                "ops.W004",
                _(
                    "A superuser is still active although the three administrators exist: run manage.py "
                    "disable_superusers."
                ),
            )
        ]
    return [
        Finding(
            WARNING,
            "ops.W005",
            _("A superuser is active and not every administrator role (system, security, audit) has a holder yet."),
        )
    ]


def deployment_findings(today: date) -> list[Finding]:
    found = check_settings()
    database = check_database()
    found += database
    if not any(finding.id in ("ops.E006", "ops.E007") for finding in database):
        found += check_calendar(today) + check_superusers()
    return found
