"""The test run sees the documented defaults, whatever the developer's shell has set (issue 11, item 5)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_shell_variables_do_not_reach_the_tests():
    env = {
        **os.environ,
        "PUBLIC_BASE_URL": "https://x.example",
        "PAGE_SIZE": "7",
        "OPEN311_JURISDICTION_ID": "x.example",
        "DJANGO_SETTINGS_MODULE": "renda.test_settings",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.PUBLIC_BASE_URL, s.PAGE_SIZE, repr(s.OPEN311_JURISDICTION_ID), s.DATABASES['default']['ENGINE'])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    base_url, page_size, jurisdiction, engine = result.stdout.split()
    assert base_url == "http://127.0.0.1:8000"
    assert page_size != "7"
    assert jurisdiction == "''"
    # The one choice a run takes from the shell: which database the suite runs on.
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    assert engine.endswith(expected)
