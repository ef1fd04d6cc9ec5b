"""Who cannot come to a reception day: recorded by staff, or by the deputy from their phone.

In a draft the deputy's proposed duty goes at once; after publishing it stays and is listed under conflicts, so staff
decide who replaces them (the staff who adjust the station are told when the deputy declines from the phone).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renda.audit.actions import record
from renda.notifications.actions import enqueue
from renda.notifications.models import Channel
from renda.opinions import recipients
from renda.people.models import Deputy

from .. import rules
from ..models import Campaign, Duty, Unavailability
from ..workflow import CampaignAction, CampaignStatus
from . import notify
from .base import lock_campaign
from .duties import drop_if_empty_draft


def add_unavailability(actor, campaign: Campaign, deputy: Deputy, reason: str, *, ip=None) -> Unavailability:
    """Record that a deputy cannot come. In a draft their proposed duty goes; after publishing it stays and is
    listed under conflicts, so staff decide who replaces them."""
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.EDIT, locked)
        try:
            with transaction.atomic():
                item = Unavailability.objects.create(campaign=locked, deputy=deputy, reason=reason)
        except IntegrityError:
            raise ValidationError(
                _("%(name)s is already recorded as unable to come.") % {"name": deputy.name}
            ) from None
        removed = []
        if locked.status == CampaignStatus.DRAFT:
            duties = list(Duty.objects.filter(campaign=locked, deputy=deputy).values_list("pk", "reception_id"))
            Duty.objects.filter(pk__in=[pk for pk, _r in duties]).delete()
            for _pk, reception_id in duties:
                drop_if_empty_draft(locked, reception_id)
            removed = [pk for pk, _r in duties]
        record(
            actor,
            "campaign.add_unavailability",
            locked,
            changes={"deputy": deputy.pk, "reason": reason, "removed_duties": removed},
            ip=ip,
        )
    return item


def deputy_cannot_come(actor, duty: Duty, reason: str, *, today=None, ip=None) -> Unavailability:
    """The deputy says, from their phone, that they cannot come to a published day's duty. Recorded like staff's
    unavailability (the duty stays and shows among the conflicts until staff replace them) and the staff who adjust
    the duty's station are told at once. Not on the day itself: then they call the office."""
    problem = rules.decline_problem(duty, today)
    if problem:
        raise ValidationError(problem)
    reception = duty.reception
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    with transaction.atomic():
        item = add_unavailability(actor, duty.campaign, duty.deputy, reason, ip=ip)
        region, staff = recipients.supervisors(reception.station.region, include_self=True)
        context = notify.campaign_context(
            duty.campaign, reception.station, deputy=duty.deputy.name, reason=reason[:100]
        )
        for user in staff:
            enqueue(
                channel=Channel.SITE,
                template="reception_unavailable",
                context=context,
                dedupe_key=f"unavailable:{item.pk}:u{user.pk}",
                user=user,
            )
    return item


def remove_unavailability(actor, campaign: Campaign, item: Unavailability, *, ip=None) -> None:
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.EDIT, locked)
        deleted, _detail = Unavailability.objects.filter(pk=item.pk, campaign=locked).delete()
        if deleted:
            record(actor, "campaign.remove_unavailability", locked, changes={"deputy": item.deputy_id}, ip=ip)
