"""Settings for the test suite: the real settings with test keys, immediate tasks and a fast password hash."""

import os
import re
from pathlib import Path

# Tests pin what they depend on: a variable set in the developer's shell (PUBLIC_BASE_URL, PAGE_SIZE, ...) must not
# change what a test sees. Every variable renda/settings.py reads is dropped here, so the run sees the documented
# defaults and the test keys below; only DATABASE_URL (which database the suite runs on) is taken from the shell.
# Read from the settings source, so a variable added there is covered without anyone remembering to list it.
_SETTINGS_SOURCE = (Path(__file__).resolve().parent / "settings.py").read_text(encoding="utf-8")
_READ = set(re.findall(r"(?:env\w*|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]*)\"", _SETTINGS_SOURCE))
# A test that starts its own processes names the variables it sets for them in RENDA_TEST_KEEP_ENV.
_KEEP = {"DATABASE_URL"} | set(filter(None, os.environ.get("RENDA_TEST_KEEP_ENV", "").split(",")))
for _name in _READ - _KEEP:
    os.environ.pop(_name, None)

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
# A fixed Fernet key so that encrypted fields behave exactly as in production.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0=")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "false")
# Per-process cache as before (pages' query counts are pinned); rate limits still count in the database table.
os.environ.setdefault("CACHE_URL", "locmem://")

from renda.settings import *  # noqa: E402,F403

# Every test reads rules and holidays fresh: a rolled-back test must not leave its rows cached for the next one.
REFERENCE_CACHE_SECONDS = -1
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):  # noqa: F405
    # A file, as in production, not SQLite's shared in-memory database: live-server tests then run each request on
    # its own connection with the real locking (WAL, IMMEDIATE, busy timeout), and concurrent writers test what
    # ships. One file per run, so two runs side by side never share it.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"renda-test-{os.getpid()}.sqlite3")
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
