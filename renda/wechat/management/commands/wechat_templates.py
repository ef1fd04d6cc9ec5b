"""manage.py wechat_templates [--check]: every message a constituent may get on WeChat, and its template id.

WeChat sends an official account's template messages only with template ids the account added in its admin (模板消息);
each of the platform's message kinds that goes to constituents needs one in WECHAT_TEMPLATE_IDS (kind=id). The data
every template receives is the same (renda/wechat/senders.py `template_data`), so one template layout may serve
every kind. This lists each kind, its id, and the fields with an example of what they carry; `--check` fails (exit
status 1) while a kind has no id or WECHAT_TEMPLATE_IDS names a kind that does not exist: for a deployment script,
before switching the WeChat channel on.
"""

from types import SimpleNamespace

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from renda.notifications.configured import report
from renda.opinions.routing import constituent_kinds

from ...senders import template_data

# What each field of every template carries (the template's keywords, in the WeChat admin's order).
FIELDS = {
    "first": "the message text",
    "keyword1": "tracking code",
    "keyword2": "state",
    "keyword3": "due date",
    "remark": "station",
}
# An example opinion, to show each kind's message text as the constituent reads it.
EXAMPLE = {
    "code": "ABCDE23456",
    "url": "https://example.gov.cn/t/ABCDE23456/",
    "unit": "吴中区住房和城乡建设局",
    "into_code": "FGHJK78901",
    "into_url": "https://example.gov.cn/t/FGHJK78901/",
    "reason": "不属于人大代表履职范围",
}


class Command(BaseCommand):
    help = "List every message kind a constituent may get on WeChat, with its configured template id."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail when a message kind has no template id")

    def handle(self, *args, check=False, **options):
        ids = settings.WECHAT_TEMPLATE_IDS
        kinds = constituent_kinds()
        layout = ", ".join(f"{field} = {meaning}" for field, meaning in FIELDS.items())
        self.stdout.write(f"Every template receives: {layout}; the message opens the opinion's tracking page.")
        with translation.override("zh-hans"):
            for kind in kinds:
                data = template_data(SimpleNamespace(template=kind, context=EXAMPLE))
                self.stdout.write(f"{kind}  template id: {ids.get(kind) or '—'}")
                self.stdout.write(f"  first, e.g.: {data['first']['value']}")
        report(self.stdout.write, kinds, ids, setting="WECHAT_TEMPLATE_IDS", noun="WeChat template id", check=check)
