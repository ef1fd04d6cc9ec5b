"""States of a reception-day campaign (统一接待日) and what may happen in each — declared once, here.

A campaign is planned as a draft, published (deputies are told, the public schedule shows it), and finished after the
day (absent duties are recorded, nothing may change any more). `CAMPAIGN_TRANSITIONS[action]` = (states it may start
from, state it leads to). `EDITABLE` says in which states duties may still be added, moved or removed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    FINISHED = "finished", _("finished")


class CampaignAction(models.TextChoices):
    PLAN = "plan", _("propose assignments")
    EDIT = "edit", _("edit")
    PUBLISH = "publish", _("publish")
    FINISH = "finish", _("finish")


S = CampaignStatus
CAMPAIGN_TRANSITIONS = {
    # Re-planning replaces every proposed duty: only while nobody outside the office has seen them.
    CampaignAction.PLAN: ({S.DRAFT}, S.DRAFT),
    # Changes after publishing stay possible (a deputy falls ill) and are highlighted and notified.
    CampaignAction.EDIT: ({S.DRAFT, S.PUBLISHED}, None),
    CampaignAction.PUBLISH: ({S.DRAFT}, S.PUBLISHED),
    CampaignAction.FINISH: ({S.PUBLISHED}, S.FINISHED),
}
EDITABLE = CAMPAIGN_TRANSITIONS[CampaignAction.EDIT][0]


def allowed(action: str, status: str) -> bool:
    return status in CAMPAIGN_TRANSITIONS[action][0]


class ReceptionKind(models.TextChoices):
    ROSTER = "roster", _("regular duty (roster)")
    ONE_OFF = "one_off", _("one-off reception")
    CAMPAIGN = "campaign", _("unified reception day")


class ReceptionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("expected")
    ATTENDED = "attended", _("attended")
    ABSENT = "absent", _("absent")
