"""manage.py sms_templates [--check]: every outbox message kind, as the SMS template an operator has approved for it.

An SMS gateway in China sends only templates approved in advance (Alibaba Cloud: 模板 with ${variables}). This lists
each message kind the platform may send (every `templates/notifications/<kind>.txt` of the installed apps), its
Chinese text with the variables written as ${name}, the variables the sender fills in (aliyun_sms.TEMPLATE_VARIABLES;
others, such as links, are left out of SMS), and the template code configured for it in ALIYUN_SMS_TEMPLATES.
`--check` fails (exit status 1) when a kind has no code: for a deployment script, before switching SMS on.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template import Context, engines
from django.template.utils import get_app_template_dirs
from django.utils import translation

from ...aliyun_sms import TEMPLATE_VARIABLES
from ...configured import report

VARIABLE = re.compile(r"{{\s*(\w+)")


def message_kinds() -> dict[str, Path]:
    """{kind: its template file}, from every app's templates/notifications/ (the first one found wins, as Django's
    loader would take it)."""
    kinds: dict[str, Path] = {}
    for folder in get_app_template_dirs("templates"):
        for path in sorted(Path(folder, "notifications").glob("*.txt")):
            kinds.setdefault(path.stem, path)
    return dict(sorted(kinds.items()))


def as_template(kind: str, path: Path) -> tuple[str, list[str]]:
    """The kind's Chinese text with each variable as ${name}, and the variable names in order of appearance."""
    names = list(dict.fromkeys(VARIABLE.findall(path.read_text(encoding="utf-8"))))
    with translation.override("zh-hans"):
        template = engines["django"].get_template(f"notifications/{kind}.txt").template
        text = template.render(Context({name: "${" + name + "}" for name in names}, autoescape=False))
    return " ".join(text.split()), names


class Command(BaseCommand):
    help = "List every message kind as an SMS template: its text, its variables and the configured template code."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail when a message kind has no template code")

    def handle(self, *args, check=False, **options):
        codes = settings.ALIYUN_SMS_TEMPLATES
        kinds = message_kinds()
        for kind, path in kinds.items():
            text, names = as_template(kind, path)
            sent = ", ".join(name for name in names if name in TEMPLATE_VARIABLES) or "—"
            left_out = ", ".join(name for name in names if name not in TEMPLATE_VARIABLES)
            self.stdout.write(f"{kind}  code: {codes.get(kind) or '—'}")
            self.stdout.write(f"  text: {text}")
            self.stdout.write(f"  variables: {sent}" + (f"  (left out of SMS: {left_out})" if left_out else ""))
        report(self.stdout.write, list(kinds), codes, setting="ALIYUN_SMS_TEMPLATES", noun="template code", check=check)
