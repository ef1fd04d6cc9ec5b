"""manage.py wechat_templates: the message kinds a constituent may get on WeChat, each with its template id."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.opinions.routing import constituent_kinds
from renda.wechat.management.commands.wechat_templates import FIELDS
from renda.wechat.senders import template_data

EVERY_KIND = [
    "opinion_accepted",
    "opinion_final",
    "opinion_forwarded",
    "opinion_merged",
    "opinion_refused",
    "opinion_reopened",
    "opinion_replied",
    "opinion_suggestion",
]


def run(*args) -> str:
    out = StringIO()
    call_command("wechat_templates", *args, stdout=out)
    return out.getvalue()


def test_the_kinds_are_the_constituents_messages_of_the_routing_plan():
    # Staff kinds (new_opinion, forwarded_to_unit, opinion_reopened_staff…) never go to an openid.
    assert constituent_kinds() == EVERY_KIND


def test_every_kind_is_listed_with_its_id_and_its_text(settings):
    settings.WECHAT_TEMPLATE_IDS = {"opinion_replied": "TPL-replied"}
    out = run()
    assert "opinion_replied  template id: TPL-replied" in out
    assert "opinion_accepted  template id: —" in out
    assert "您的意见 ABCDE23456 已转交吴中区住房和城乡建设局办理" in out  # the Chinese text with the example's values
    assert "keyword1 = tracking code" in out
    assert "1 of 8 message kinds have a WeChat template id." in out


def test_the_listed_fields_are_the_ones_the_sender_fills():
    message = type("M", (), {"template": "opinion_replied", "context": {"code": "X"}})()
    assert list(template_data(message)) == list(FIELDS)


def test_check_fails_until_every_kind_has_an_id(settings):
    settings.WECHAT_TEMPLATE_IDS = {"opinion_replied": "TPL-replied"}
    with pytest.raises(CommandError, match="no WeChat template id for: opinion_accepted, opinion_final"):
        run("--check")
    settings.WECHAT_TEMPLATE_IDS = dict.fromkeys(EVERY_KIND, "TPL") | {"new_opinion": "TPL-staff"}
    with pytest.raises(CommandError, match="unknown message kinds in WECHAT_TEMPLATE_IDS: new_opinion"):
        run("--check")
    del settings.WECHAT_TEMPLATE_IDS["new_opinion"]
    assert "8 of 8 message kinds have a WeChat template id." in run("--check")
