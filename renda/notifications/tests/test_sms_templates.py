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
    assert "variables: title, when, place  (left out of SMS: url)" in out
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
