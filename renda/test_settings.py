"""Settings for the test suite: the real settings with test keys, immediate tasks and a fast password hash."""

import os

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
