"""Sender classes come from the environment; a malformed value stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def load(printed: str = "s.NOTIFICATION_SENDERS['sms']", **env):
    """Start the settings in a fresh process with `env` (and none of the senders' variables of this one); prints
    `printed`, an expression over the settings module `s`."""
    ours = ("NOTIFICATION_", "ALIYUN_", "TENCENT_", "DATABASE_URL")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    clean.update({"DEBUG": "1"}, **env)
    code = f"import renda.settings as s; print({printed})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_default_sms_sender_logs():
    result = load()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "renda.notifications.senders.LogSender"


def test_sender_from_the_environment():
    result = load(NOTIFICATION_SMS_SENDER="myorg.sms.GatewaySender")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "myorg.sms.GatewaySender"


def test_malformed_sender_stops_start_up():
    result = load(NOTIFICATION_SMS_SENDER="not a class path")
    assert result.returncode != 0
    assert "the sms sender must be a dotted class path" in result.stderr


ALIYUN = {
    "NOTIFICATION_SMS_SENDER": "renda.notifications.aliyun_sms.AliyunSmsSender",
    "ALIYUN_SMS_ACCESS_KEY_ID": "LTAI5tKeyId",
    "ALIYUN_SMS_ACCESS_KEY_SECRET": "secret",
    "ALIYUN_SMS_SIGN_NAME": "苏州人大",
    "ALIYUN_SMS_TEMPLATES": "opinion_accepted=SMS_100001, reminder=SMS_100002",
}


def load_aliyun(**env):
    return load("s.ALIYUN_SMS_TEMPLATES, s.ALIYUN_SMS_ENDPOINT", **env)


def test_aliyun_sms_configuration():
    result = load_aliyun(**ALIYUN)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "{'opinion_accepted': 'SMS_100001', 'reminder': 'SMS_100002'} https://dysmsapi.aliyuncs.com/"
    )


def test_aliyun_sms_incomplete_or_malformed_stops_start_up():
    for missing in ("ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME"):
        result = load_aliyun(**{k: v for k, v in ALIYUN.items() if k != missing})
        assert result.returncode != 0 and f"{missing} must be set" in result.stderr
    result = load_aliyun(**(ALIYUN | {"ALIYUN_SMS_TEMPLATES": ""}))
    assert result.returncode != 0 and "ALIYUN_SMS_TEMPLATES must name" in result.stderr
    result = load_aliyun(**(ALIYUN | {"ALIYUN_SMS_TEMPLATES": "reminder"}))
    assert result.returncode != 0 and "ALIYUN_SMS_TEMPLATES items must be name=SMS_code" in result.stderr
    result = load_aliyun(**(ALIYUN | {"ALIYUN_SMS_ENDPOINT": "dysmsapi.aliyuncs.com"}))
    assert result.returncode != 0 and "ALIYUN_SMS_ENDPOINT must be an http(s) URL" in result.stderr
    result = load_aliyun(ALIYUN_SMS_TIMEOUT="0")
    assert result.returncode != 0 and "ALIYUN_SMS_TIMEOUT must be between 1 and 60" in result.stderr


TENCENT = {
    "NOTIFICATION_SMS_SENDER": "renda.notifications.tencent_sms.TencentSmsSender",
    "TENCENT_SMS_SECRET_ID": "AKIDKeyId",
    "TENCENT_SMS_SECRET_KEY": "secret",
    "TENCENT_SMS_SDK_APP_ID": "1400012345",
    "TENCENT_SMS_SIGN_NAME": "苏州人大",
    "TENCENT_SMS_TEMPLATES": "opinion_accepted=100001, reminder=100002",
}


def load_tencent(**env):
    return load("s.TENCENT_SMS_TEMPLATES, s.TENCENT_SMS_ENDPOINT, s.TENCENT_SMS_REGION", **env)


def test_tencent_sms_configuration():
    result = load_tencent(**TENCENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "{'opinion_accepted': '100001', 'reminder': '100002'} https://sms.tencentcloudapi.com/ ap-guangzhou"
    )


def test_tencent_sms_incomplete_or_malformed_stops_start_up():
    for missing in [name for name in TENCENT if name.startswith("TENCENT_SMS_") and name != "TENCENT_SMS_TEMPLATES"]:
        result = load_tencent(**{k: v for k, v in TENCENT.items() if k != missing})
        assert result.returncode != 0 and f"{missing} must be set" in result.stderr
    result = load_tencent(**(TENCENT | {"TENCENT_SMS_TEMPLATES": ""}))
    assert result.returncode != 0 and "TENCENT_SMS_TEMPLATES must name" in result.stderr
    result = load_tencent(**(TENCENT | {"TENCENT_SMS_TEMPLATES": "reminder=SMS_1"}))
    assert result.returncode != 0 and "TENCENT_SMS_TEMPLATES items must be name=template_id (digits)" in result.stderr
    result = load_tencent(**(TENCENT | {"TENCENT_SMS_ENDPOINT": "sms.tencentcloudapi.com"}))
    assert result.returncode != 0 and "TENCENT_SMS_ENDPOINT must be an http(s) URL" in result.stderr
    result = load_tencent(TENCENT_SMS_TIMEOUT="61")
    assert result.returncode != 0 and "TENCENT_SMS_TIMEOUT must be between 1 and 60" in result.stderr
    result = load_tencent(TENCENT_SMS_VARIABLE_MAX_CHARS="0")
    assert result.returncode != 0 and "TENCENT_SMS_VARIABLE_MAX_CHARS must be between 1 and 200" in result.stderr
