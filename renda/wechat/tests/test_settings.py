"""The WECHAT_* variables: optional, and a malformed value stops start-up with a clear message."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def load(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WECHAT_") and k != "DATABASE_URL"}
    clean.update({"DEBUG": "1"} | env)
    code = "import json, renda.settings as s; print(json.dumps([s.WECHAT_TOKEN, s.WECHAT_TEMPLATE_IDS]))"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_all_optional():
    result = load()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["", {}]


def test_full_configuration():
    result = load(
        WECHAT_TOKEN="tok123",
        WECHAT_APPID="wx1",
        WECHAT_ENCODING_AES_KEY=KEY,
        WECHAT_TEMPLATE_IDS="opinion_replied=AbC-1, reminder=XyZ_2",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["tok123", {"opinion_replied": "AbC-1", "reminder": "XyZ_2"}]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WECHAT_TOKEN": "bad token!"}, "WECHAT_TOKEN must be letters and digits"),
        ({"WECHAT_APPID": "wx1", "WECHAT_ENCODING_AES_KEY": KEY[:-1]}, "WECHAT_ENCODING_AES_KEY must be the 43"),
        ({"WECHAT_ENCODING_AES_KEY": KEY}, "WECHAT_ENCODING_AES_KEY needs WECHAT_APPID"),
        ({"WECHAT_TEMPLATE_IDS": "opinion_replied"}, "WECHAT_TEMPLATE_IDS items must be name=template_id"),
    ],
)
def test_malformed_values_fail_loudly(env, message):
    result = load(**env)
    assert result.returncode != 0 and message in result.stderr
