"""A message's text: the template `notifications/<template>.txt` rendered with the context stored on the row.

Each domain ships its own texts in its templates folder (renda/opinions/templates/notifications/,
renda/receptions/templates/notifications/): the outbox knows no domain. Contexts hold codes, names of stations and
units and links, never a constituent's name or phone (the domains' routing builds them). SMS and other outside
channels are rendered in Chinese; the message page renders in the reader's language.
"""

import functools
import re
from contextlib import nullcontext

from django.template import Context, engines
from django.utils import translation

TEMPLATE_NAME = re.compile(r"^[a-z_]+$")
VARIABLE = re.compile(r"{{\s*(\w+)")
# The context values an SMS may carry, whatever the gateway (an approved template's ${name} at Alibaba Cloud, its
# numbered {1} {2}… at Tencent Cloud): public facts of the item, never a link, a constituent's name, phone or text.
SMS_VARIABLES = (
    "code",
    "state",
    "category",
    "station",
    "unit",
    "region",
    "due",
    "days",
    "reason",
    "title",
    "date",
    "time",
    "address",
    # An activity's time and place (activities/notify.py): public facts of the activity, never a person's.
    "when",
    "place",
    # A suggestion's or proposal's kind, number and what happened (suggestions/notify.py, reminders.py) and its step;
    # a livelihood project's number, name, round and milestone (projects/reminders.py): public facts of the items.
    "kind",
    "number",
    "what",
    "step",
    "project",
    "round",
    "milestone",
)


@functools.cache
def variables(template: str) -> tuple[str, ...]:
    """The context names a message kind's text uses, in the order they appear in its Chinese text (an SMS gateway
    with numbered template variables, {1} {2}…, is sent them in this order; a translation may reorder the English
    text's). Names the Chinese text does not show (another branch of an {% if %}) come last."""
    if not TEMPLATE_NAME.match(template):
        raise ValueError(f"bad template name {template!r}")
    template = engines["django"].get_template(f"notifications/{template}.txt").template
    names = list(dict.fromkeys(VARIABLE.findall(template.source)))
    with translation.override("zh-hans"):
        text = template.render(Context({name: f"\x00{name}\x00" for name in names}, autoescape=False))

    def place(name: str) -> tuple[int, int]:
        found = text.find(f"\x00{name}\x00")
        return (found if found >= 0 else len(text), names.index(name))

    return tuple(sorted(names, key=place))


def sms_variables(template: str) -> tuple[str, ...]:
    """The kind's variables an SMS carries, in the order of its Chinese text ({1} {2}… where a gateway numbers them)."""
    return tuple(name for name in variables(template) if name in SMS_VARIABLES)


def render_body(message, language: str | None = "zh-hans") -> str:
    if not TEMPLATE_NAME.match(message.template):
        raise ValueError(f"bad template name {message.template!r}")
    with translation.override(language) if language else nullcontext():
        # Plain text, not HTML: no escaping here (the message page escapes when it shows the text).
        template = engines["django"].get_template(f"notifications/{message.template}.txt").template
        text = template.render(Context(message.context, autoescape=False))
    return " ".join(text.split())
