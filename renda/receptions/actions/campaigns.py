"""A reception day's settings and life: create, edit, publish, finish (统一接待日).

Concurrency: every write locks the campaign row first, so two staff changing the same day are serialised; then it
checks what the form saw — the campaign's `version` — and refuses with a clear message if someone else changed it
meanwhile. Nothing is half-written. Planning is in planning.py, duties in duties.py, who cannot come in
unavailability.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.audit.actions import changed_fields, record

from .. import rules
from ..models import Campaign, Duty, Reception
from ..workflow import Attendance, CampaignAction, CampaignStatus
from . import notify
from .base import lock_campaign

CAMPAIGN_FIELDS = ("region", "title", "theme", "date", "starts", "ends")
# Changing these after planning moves every reception of the day with them.
SCHEDULE_FIELDS = ("date", "starts", "ends")


def stale() -> ValidationError:
    return ValidationError(_("Someone else changed this reception day meanwhile; reload the page and try again."))


def create_campaign(actor, data: dict, *, ip=None) -> Campaign:
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    if not scope_for(actor).covers_path(data["region"].path):
        raise ValidationError(_("There is no region with this code in your area."))
    rules.check_times(data["starts"], data["ends"])
    rules.check_not_past(data["date"])
    with transaction.atomic():
        campaign = Campaign.objects.create(created_by=actor if actor.pk else None, **data)
        record(actor, "campaign.create", campaign, changes={key: data[key] for key in data}, ip=ip)
    return campaign


def update_campaign(actor, campaign: Campaign, data: dict, *, version: int, ip=None) -> dict:
    """Apply `data` if the campaign is still at `version`; returns the saved changes.

    The region changes only in a draft, and then the proposed duties go (they were for the old region). A new date or
    time moves every reception of the day; after publishing, the deputies are told. A new date is never in the past.
    """
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.EDIT, locked)
        if locked.version != version:
            raise stale()
        region = data.get("region", locked.region)
        if region.pk != locked.region_id:
            if locked.status != CampaignStatus.DRAFT:
                raise ValidationError(_("The region of a published reception day cannot change."))
            if not scope_for(actor).covers_path(region.path):
                raise ValidationError(_("There is no region with this code in your area."))
        rules.check_times(data.get("starts", locked.starts), data.get("ends", locked.ends))
        if "date" in data and data["date"] != locked.date:
            rules.check_not_past(data["date"], today_=timezone.localdate(now))
        changes = changed_fields(locked, data)
        if not changes:
            return {}
        locked.version += 1
        if "region" in changes:
            Duty.objects.filter(campaign=locked).delete()
            Reception.objects.filter(campaign=locked).delete()
            locked.planned_at = None
        locked.save(update_fields=[*changes, "version", "planned_at", "updated"])
        if any(field in changes for field in SCHEDULE_FIELDS):
            receptions = Reception.objects.filter(campaign=locked)
            if locked.status == CampaignStatus.PUBLISHED:
                receptions.update(date=locked.date, starts=locked.starts, ends=locked.ends, changed_at=now)
                duties = Duty.objects.filter(campaign=locked).select_related("deputy", "reception__station")
                duties.update(changed_at=now)
                key = f"reception-changed:{locked.pk}:v{locked.version}"
                notify.queue_many(
                    [
                        (
                            d.deputy,
                            "reception_changed",
                            notify.campaign_context(locked, d.reception.station),
                            f"{key}:{d.pk}",
                        )
                        for d in duties
                    ]
                )
            else:
                receptions.update(date=locked.date, starts=locked.starts, ends=locked.ends)
        record(actor, "campaign.update", locked, changes=changes, ip=ip)
    for key in (*CAMPAIGN_FIELDS, "version", "planned_at"):
        setattr(campaign, key, getattr(locked, key))
    return changes


def publish_campaign(actor, campaign: Campaign, *, ip=None) -> int:
    """Make the day public and tell every deputy on duty where to go; returns the number of messages queued."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.PUBLISH, locked)
        rules.check_campaign_publish_lead(locked, timezone.localdate(now))
        if not Duty.objects.filter(campaign=locked).exists():
            raise ValidationError(_("Nobody is on duty yet: propose or add assignments first."))
        locked.status = CampaignStatus.PUBLISHED
        locked.published_at = now
        locked.version += 1
        locked.save(update_fields=["status", "published_at", "version", "updated"])
        Reception.objects.filter(campaign=locked).update(published_at=now)
        duties = Duty.objects.filter(campaign=locked).select_related("deputy", "reception__station").order_by("id")
        queued = notify.queue_many(
            [
                (
                    duty.deputy,
                    "reception_assigned",
                    notify.campaign_context(locked, duty.reception.station),
                    f"reception-assigned:{locked.pk}:{duty.deputy_id}",
                )
                for duty in duties
            ]
        )
        record(actor, "campaign.publish", locked, changes={"messages": queued}, ip=ip)
    campaign.status, campaign.published_at, campaign.version = locked.status, locked.published_at, locked.version
    return queued


def finish_campaign(actor, campaign: Campaign, *, ip=None) -> int:
    """Close the day: whoever did not check in is recorded absent; returns how many. Nothing changes afterwards."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        rules.require(CampaignAction.FINISH, locked)
        if timezone.localdate(now) < locked.date:
            raise ValidationError(_("A reception day can be finished on or after its date, not before."))
        # Stored in the site's language: the record reads the same whoever finished the day.
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Did not check in")
        absent = Duty.objects.filter(campaign=locked, attendance=Attendance.EXPECTED).update(
            attendance=Attendance.ABSENT, absence_reason=reason, updated=now
        )
        locked.status = CampaignStatus.FINISHED
        locked.finished_at = now
        locked.version += 1
        locked.save(update_fields=["status", "finished_at", "version", "updated"])
        record(actor, "campaign.finish", locked, changes={"absent": absent}, ip=ip)
    campaign.status, campaign.finished_at, campaign.version = locked.status, locked.finished_at, locked.version
    return absent
