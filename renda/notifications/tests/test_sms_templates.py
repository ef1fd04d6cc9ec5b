"""manage.py sms_templates: every message kind as the SMS template to get approved, with its configured code."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = StringIO()
    call_command("sms_templates", *args, stdout=out)
    return out.getvalue()


def test_every_kind_is_listed_with_its_text_variables_and_code(settings):
    settings.ALIYUN_SMS_TEMPLATES = {"activity_invited": "SMS_200001"}
    out = run()
    assert "activity_invited  code: SMS_200001" in out and "activity_withdrawn  code: —" in out
    # The Chinese text with ${variables}, the ones SMS carries, and the link left out.
    assert "邀请您参加${when}在${place}举行的活动“${title}”" in out
    assert "variables: when, place, title  (left out of SMS: url)" in out  # in the order of the Chinese text
    assert "reminder  code: —" in out and "1 of " in out


def test_check_fails_until_every_kind_has_a_code(settings):
    settings.ALIYUN_SMS_TEMPLATES = {"activity_invited": "SMS_200001"}
    with pytest.raises(CommandError, match="no template code for: activity_cancelled, activity_withdrawn"):
        run("--check")
    from renda.notifications.management.commands.sms_templates import message_kinds

    settings.ALIYUN_SMS_TEMPLATES = dict.fromkeys(message_kinds(), "SMS_1") | {"no_such_kind": "SMS_2"}
    with pytest.raises(CommandError, match="unknown message kinds in ALIYUN_SMS_TEMPLATES: no_such_kind"):
        run("--check")
    del settings.ALIYUN_SMS_TEMPLATES["no_such_kind"]
    assert "of " in run("--check")


def test_with_tencent_cloud_the_variables_are_numbered_in_the_order_they_are_sent(settings):
    settings.NOTIFICATION_SENDERS = settings.NOTIFICATION_SENDERS | {
        "sms": "renda.notifications.tencent_sms.TencentSmsSender"
    }
    settings.TENCENT_SMS_TEMPLATES = {"activity_invited": "2000001"}
    out = run()
    assert "Templates for Tencent Cloud SMS (TENCENT_SMS_TEMPLATES)." in out
    assert "activity_invited  code: 2000001" in out
    # Numbered in the order of the Chinese text (the English one has the title first), which is the order
    # tencent_sms.template_params sends them in; the link left out.
    assert "邀请您参加{1}在{2}举行的活动“{3}”" in out and "${" not in out
    from renda.notifications.tencent_sms import template_params

    assert template_params("activity_invited", {"title": "T", "when": "W", "place": "P", "url": "U"}) == ["W", "P", "T"]
    with pytest.raises(CommandError, match="no template code for: activity_cancelled"):
        run("--check")
