"""What the WeChat account answers to 实事项目: the open rounds with their phase and link (renda/wechat calls this;
a reply must leave within WeChat's 5 seconds, so it is one small query)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Round
from .phases import Phase

KEYWORDS = ("实事项目", "民生实事", "民生项目")
SHOWN = 3


def current_rounds_text() -> str:
    rounds = list(Round.objects.exclude(phase=Phase.CLOSED).select_related("region").order_by("-year", "-id")[:SHOWN])
    base = settings.PUBLIC_BASE_URL
    if not rounds:
        return _("No livelihood projects round is open now. Past rounds: %(url)s") % {
            "url": base + reverse("projects_public:rounds")
        }
    lines = [_("Livelihood projects (群众点菜、代表下单):")]
    for round_ in rounds:
        url = base + reverse("projects_public:round", args=[round_.pk])
        lines.append(f"· {round_.title}（{round_.get_phase_display()}）{url}")
    return "\n".join(lines)
