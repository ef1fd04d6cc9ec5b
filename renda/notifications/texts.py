"""A message's text: the template `notifications/<template>.txt` rendered with the context stored on the row.

Each domain ships its own texts in its templates folder (renda/opinions/templates/notifications/,
renda/receptions/templates/notifications/): the outbox knows no domain. Contexts hold codes, names of stations and
units and links, never a constituent's name or phone (the domains' routing builds them). SMS and other outside
channels are rendered in Chinese; the message page renders in the reader's language.
"""

import re
from contextlib import nullcontext

from django.template import Context, engines
from django.utils import translation

TEMPLATE_NAME = re.compile(r"^[a-z_]+$")


def render_body(message, language: str | None = "zh-hans") -> str:
    if not TEMPLATE_NAME.match(message.template):
        raise ValueError(f"bad template name {message.template!r}")
    with translation.override(language) if language else nullcontext():
        # Plain text, not HTML: no escaping here (the message page escapes when it shows the text).
        template = engines["django"].get_template(f"notifications/{message.template}.txt").template
        text = template.render(Context(message.context, autoescape=False))
    return " ".join(text.split())
