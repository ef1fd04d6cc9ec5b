"""What both benchmarks need: a fresh PostgreSQL database of their own, and a production-like environment."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_postgres(url: str, suffix: str, *, force: bool = False):
    """(url, drop) for a new UTF-8 database named `<name in url>_<suffix>`; drop() removes it.

    The database named in `url` itself is never touched."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("bench: DATABASE_URL must be PostgreSQL here")
    name = f"{config['NAME']}_{suffix}"
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    params["password"] = config["PASSWORD"] or None
    admin = psycopg.connect(dbname="postgres", autocommit=True, **params)

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"' + (" WITH (FORCE)" if force else ""))

    drop()
    admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return url.rsplit("/", 1)[0] + "/" + name, drop


# The product's submission limits, raised by configuration (not by a bench-only endpoint): a bench sends thousands of
# submissions from one address.
RAISED_LIMITS = {"LIMIT_SUBMIT_PER_IP_HOUR": "100000000", "LIMIT_SUBMIT_PER_DEVICE_HOUR": "100000000"}


def bench_env(database_url: str, **extra) -> dict:
    """Production-like: DEBUG off (no query log in memory), a fresh encryption key, the test client's host allowed."""
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_COOKIES="false",
        DJANGO_SETTINGS_MODULE="renda.settings",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env
