"""manage.py sms_templates [--check]: every outbox message kind, as the SMS template an operator has approved for it.

An SMS gateway in China sends only templates approved in advance. This lists each message kind the platform may send
(every `templates/notifications/<kind>.txt` of the installed apps), its Chinese text as the template to get approved,
the variables the sender fills in (texts.SMS_VARIABLES; others, such as links, are left out of SMS) and the
template configured for it — for the configured gateway: Alibaba Cloud (the default; variables written ${name}, codes
from ALIYUN_SMS_TEMPLATES) or Tencent Cloud (NOTIFICATION_SMS_SENDER=…tencent_sms.TencentSmsSender: variables
numbered {1} {2}… in the order the text uses them, which is the order the sender fills them; ids from
TENCENT_SMS_TEMPLATES). `--check` fails (exit status 1) when a kind has none: for a deployment script, before
switching SMS on.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template import Context, engines
from django.template.utils import get_app_template_dirs
from django.utils import translation

from ...configured import report
from ...texts import sms_variables, variables

TENCENT = "renda.notifications.tencent_sms.TencentSmsSender"


def message_kinds() -> dict[str, Path]:
    """{kind: its template file}, from every app's templates/notifications/ (the first one found wins, as Django's
    loader would take it)."""
    kinds: dict[str, Path] = {}
    for folder in get_app_template_dirs("templates"):
        for path in sorted(Path(folder, "notifications").glob("*.txt")):
            kinds.setdefault(path.stem, path)
    return dict(sorted(kinds.items()))


def as_template(kind: str, numbered: bool = False) -> tuple[str, list[str]]:
    """The kind's Chinese text with each variable as ${name} — or, `numbered`, each SMS variable as {1} {2}… and the
    others left out — and the variable names in order of appearance."""
    names = list(variables(kind))
    if numbered:
        carried = sms_variables(kind)
        slots = {name: f"{{{carried.index(name) + 1}}}" if name in carried else "" for name in names}
    else:
        slots = {name: "${" + name + "}" for name in names}
    with translation.override("zh-hans"):
        template = engines["django"].get_template(f"notifications/{kind}.txt").template
        text = template.render(Context(slots, autoescape=False))
    return " ".join(text.split()), names


class Command(BaseCommand):
    help = "List every message kind as an SMS template: its text, its variables and the configured template code."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail when a message kind has no template code")

    def handle(self, *args, check=False, **options):
        tencent = settings.NOTIFICATION_SENDERS["sms"] == TENCENT
        codes = settings.TENCENT_SMS_TEMPLATES if tencent else settings.ALIYUN_SMS_TEMPLATES
        setting = "TENCENT_SMS_TEMPLATES" if tencent else "ALIYUN_SMS_TEMPLATES"
        self.stdout.write(f"Templates for {'Tencent Cloud' if tencent else 'Alibaba Cloud'} SMS ({setting}).")
        kinds = message_kinds()
        for kind in kinds:
            text, names = as_template(kind, numbered=tencent)
            carried = sms_variables(kind)
            sent = ", ".join(carried) or "—"
            left_out = ", ".join(name for name in names if name not in carried)
            self.stdout.write(f"{kind}  code: {codes.get(kind) or '—'}")
            self.stdout.write(f"  text: {text}")
            self.stdout.write(f"  variables: {sent}" + (f"  (left out of SMS: {left_out})" if left_out else ""))
        report(self.stdout.write, list(kinds), codes, setting=setting, noun="template code", check=check)
