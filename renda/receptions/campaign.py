"""Every write on a unified reception day (统一接待日): one function per change, one transaction, one audit record.

Concurrency: every write locks the campaign row first (`_lock`), so two staff changing the same day are serialised;
then it checks what the form saw — the campaign's `version` for its settings, a duty's current reception for a move or
a removal — and refuses with a clear message if someone else changed it meanwhile. Nothing is half-written.

After publishing, a change marks the duty and its reception `changed_at` (the public schedule highlights it) and
queues a message to the deputy concerned (outbox: `reception_changed`).
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.audit.actions import changed_fields, record
from renda.notifications.actions import enqueue
from renda.notifications.models import Channel, Message
from renda.opinions import recipients
from renda.people.models import Deputy
from renda.regions.models import paths_q
from renda.stations.models import Assignment, Station, StationKind

from . import planner
from .absences import absences_to_unavailability
from .access import can_edit_station_duties
from .models import Campaign, Duty, Reception, Unavailability
from .towns import TownIndex
from .workflow import Attendance, CampaignAction, CampaignStatus, ReceptionKind, ReceptionStatus, allowed

CAMPAIGN_FIELDS = ("region", "title", "theme", "date", "starts", "ends")
# Changing these after planning moves every reception of the day with them.
SCHEDULE_FIELDS = ("date", "starts", "ends")


# --- helpers ---------------------------------------------------------------------------------------------------------


def _lock(campaign: Campaign) -> Campaign:
    """The campaign's row, locked until the transaction ends; the region already loaded is reused."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    locked.region = campaign.region
    return locked


def _require(action: str, campaign: Campaign) -> None:
    if allowed(action, campaign.status):
        return
    if campaign.status == CampaignStatus.FINISHED:
        raise ValidationError(_("This reception day is finished; nothing about it can change any more."))
    if action == CampaignAction.PLAN:
        raise ValidationError(_("Assignments are proposed only while the reception day is a draft."))
    if action == CampaignAction.PUBLISH:
        raise ValidationError(_("This reception day is already published."))
    if action == CampaignAction.FINISH:
        raise ValidationError(_("Only a published reception day can be finished."))
    raise ValidationError(_("This reception day cannot be changed in its current state."))


def station_in_region(station: Station, campaign: Campaign) -> bool:
    return campaign.region.contains_path(station.region.path)


def _check_station(actor, campaign: Campaign, station: Station) -> None:
    if not station_in_region(station, campaign):
        raise ValidationError(
            _("%(station)s is outside %(region)s, the region of this reception day.")
            % {"station": station.name, "region": campaign.region.name}
        )
    if not station.is_active:
        raise ValidationError(_("%(station)s is no longer active.") % {"station": station.name})
    if not can_edit_station_duties(actor, station):
        raise ValidationError(
            _("Duties at %(station)s are decided by the congress staff of its region.") % {"station": station.name}
        )


def _stale() -> ValidationError:
    return ValidationError(_("Someone else changed this reception day meanwhile; reload the page and try again."))


def _reception_for(campaign: Campaign, station: Station, now) -> Reception:
    """The campaign's reception at the station, created if needed (public at once if the day is published)."""
    reception = Reception.objects.filter(campaign=campaign, station=station).first()
    if reception is None:
        published = campaign.status == CampaignStatus.PUBLISHED
        reception = Reception.objects.create(
            station=station,
            date=campaign.date,
            starts=campaign.starts,
            ends=campaign.ends,
            kind=ReceptionKind.CAMPAIGN,
            campaign=campaign,
            published_at=now if published else None,
            changed_at=now if published else None,
        )
    return reception


def _mark_changed(now, *receptions: Reception) -> None:
    ids = [r.pk for r in receptions if r is not None]
    Reception.objects.filter(pk__in=ids).update(changed_at=now)


def _drop_if_empty_draft(campaign: Campaign, reception_id: int) -> None:
    """In a draft an empty reception is noise; after publishing it stays, the public already saw it (and staff see
    it under conflicts as a station without a deputy)."""
    if campaign.status == CampaignStatus.DRAFT and not Duty.objects.filter(reception_id=reception_id).exists():
        Reception.objects.filter(pk=reception_id).delete()


# --- messages --------------------------------------------------------------------------------------------------------


def _message_context(campaign: Campaign, station: Station | None, **extra) -> dict:
    """What a deputy needs to find their way: date, time, station name and address; no one else's data."""
    with translation.override(settings.LANGUAGE_CODE):
        date = formats.date_format(campaign.date, "DATE_FORMAT")
    context = {
        "title": campaign.title,
        "date": date,
        "time": f"{campaign.starts:%H:%M}–{campaign.ends:%H:%M}",
        "station": station.name if station else "",
        "address": station.address if station else "",
    }
    return context | extra


def _queue(rows: list[tuple[Deputy, str, dict, str]]) -> int:
    """Queue (deputy, template, context, key) messages in bulk: a site message to the deputy's account if any and an
    SMS to their phone if any. Keys already queued are skipped, as `notifications.actions.enqueue` does, so
    publishing twice (or a retried request) sends nothing twice; one query to check, one to insert."""
    messages = []
    for deputy, template, context, key in rows:
        if deputy.user_id:
            messages.append(
                Message(
                    channel=Channel.SITE,
                    user_id=deputy.user_id,
                    template=template,
                    context=context,
                    dedupe_key=f"{key}:site",
                )
            )
        if deputy.phone:
            messages.append(
                Message(
                    channel=Channel.SMS,
                    user_id=deputy.user_id,
                    phone=deputy.phone,
                    template=template,
                    context=context,
                    dedupe_key=f"{key}:sms",
                )
            )
    keys = [m.dedupe_key for m in messages]
    existing = set()
    for start in range(0, len(keys), 500):
        existing.update(
            Message.objects.filter(dedupe_key__in=keys[start : start + 500]).values_list("dedupe_key", flat=True)
        )
    new = [m for m in messages if m.dedupe_key not in existing]
    Message.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def _notify_change(campaign: Campaign, duty_deputy: Deputy, station: Station | None, now, *, removed=False) -> None:
    if campaign.status != CampaignStatus.PUBLISHED:
        return
    context = _message_context(campaign, station, removed=removed)
    key = f"reception-changed:{campaign.pk}:{duty_deputy.pk}:{now.timestamp():.6f}"
    _queue([(duty_deputy, "reception_changed", context, key)])


# --- settings --------------------------------------------------------------------------------------------------------


def create_campaign(actor, data: dict, *, ip=None) -> Campaign:
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    if not scope_for(actor).covers_path(data["region"].path):
        raise ValidationError(_("There is no region with this code in your area."))
    if data["starts"] >= data["ends"]:
        raise ValidationError(_("The reception must end after it starts."))
    with transaction.atomic():
        campaign = Campaign.objects.create(created_by=actor if actor.pk else None, **data)
        record(actor, "campaign.create", campaign, changes={key: data[key] for key in data}, ip=ip)
    return campaign


def update_campaign(actor, campaign: Campaign, data: dict, *, version: int, ip=None) -> dict:
    """Apply `data` if the campaign is still at `version`; returns the saved changes.

    The region changes only in a draft, and then the proposed duties go (they were for the old region). A new date or
    time moves every reception of the day; after publishing, the deputies are told.
    """
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"not campaign fields: {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        _require(CampaignAction.EDIT, locked)
        if locked.version != version:
            raise _stale()
        region = data.get("region", locked.region)
        if region.pk != locked.region_id:
            if locked.status != CampaignStatus.DRAFT:
                raise ValidationError(_("The region of a published reception day cannot change."))
            if not scope_for(actor).covers_path(region.path):
                raise ValidationError(_("There is no region with this code in your area."))
        if data.get("starts", locked.starts) >= data.get("ends", locked.ends):
            raise ValidationError(_("The reception must end after it starts."))
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
                _queue(
                    [
                        (d.deputy, "reception_changed", _message_context(locked, d.reception.station), f"{key}:{d.pk}")
                        for d in duties
                    ]
                )
            else:
                receptions.update(date=locked.date, starts=locked.starts, ends=locked.ends)
        record(actor, "campaign.update", locked, changes=changes, ip=ip)
    for key in (*CAMPAIGN_FIELDS, "version", "planned_at"):
        setattr(campaign, key, getattr(locked, key))
    return changes


# --- planning --------------------------------------------------------------------------------------------------------


def load_planning_input(campaign: Campaign):
    """Deputies, stations and unavailability of the campaign's region, as the planner's plain records.

    A handful of queries whatever the size: values_list rows, joined in memory.
    """
    prefixes = campaign.region.subtree_prefixes()
    towns = TownIndex(prefixes)
    stations = [
        planner.StationInfo(id=pk, town=towns.town_of(path), is_home=kind == StationKind.HOME)
        for pk, path, kind in Station.objects.filter(paths_q(prefixes, "region__path"), is_active=True).values_list(
            "id", "region__path", "kind"
        )
    ]
    station_ids = {s.id for s in stations}
    serves: dict[int, list[int]] = defaultdict(list)
    for deputy_id, station_id in (
        Assignment.objects.filter(paths_q(prefixes, "station__region__path"), station__is_active=True)
        .order_by("station_id")
        .values_list("deputy_id", "station_id")
    ):
        if station_id in station_ids:
            serves[deputy_id].append(station_id)
    deputy_rows = (
        Deputy.objects.filter(is_active=True)
        .filter(paths_q(prefixes, "electoral_region__path") | Q(pk__in=list(serves)))
        .values_list("id", "level", "electoral_region_id", "electoral_region__path", "electoral_region__kind")
    )
    deputies = [
        planner.DeputyInfo(
            id=pk,
            level=level,
            serves=tuple(serves.get(pk, ())),
            region_towns=towns.home_towns(electoral_id, electoral_path, electoral_kind),
        )
        for pk, level, electoral_id, electoral_path, electoral_kind in deputy_rows.order_by("id")
    ]
    unavailable = set(campaign.unavailabilities.values_list("deputy_id", flat=True))
    return deputies, stations, unavailable


def _execute(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert(model, constants: dict, varying, rows: list) -> None:
    """INSERT one row per item of `rows` with executemany: the same `constants` in every row, `varying` field(s)
    from the item. At a city's 2,900 duties the ORM's bulk_create spends most of a second preparing identical
    values; here each constant is prepared once and the varying ids need no preparing."""
    if not rows:
        return
    varying = (varying,) if isinstance(varying, str) else tuple(varying)
    fields = [model._meta.get_field(name) for name in (*constants, *varying)]
    prepared = tuple(
        model._meta.get_field(name).get_db_prep_save(value, connection) for name, value in constants.items()
    )
    if len(varying) == 1:
        params = [(*prepared, item) for item in rows]
    else:
        params = [(*prepared, *item) for item in rows]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])


def plan_campaign(campaign: Campaign, user, *, ip=None) -> planner.Plan:
    """Propose every assignment of a draft day at once, replacing the previous proposal."""
    _require(CampaignAction.PLAN, campaign)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        _require(CampaignAction.PLAN, locked)
        # Read under the lock: an unavailability or a publication recorded meanwhile is not planned over. Standing
        # absences covering the date become the day's unavailability too.
        deputies, stations, unavailable = load_planning_input(locked)
        unavailable |= absences_to_unavailability(locked, {d.id for d in deputies})
        result = planner.plan(deputies, stations, unavailable)
        # Nothing of a draft has been seen outside the office: replace it whole. On-the-day rows (visits, opinions)
        # exist only after publishing, so nothing hangs off these rows and plain statements delete them.
        _execute(f"DELETE FROM {Duty._meta.db_table} WHERE campaign_id = %s", [locked.pk])
        _execute(f"DELETE FROM {Reception._meta.db_table} WHERE campaign_id = %s", [locked.pk])
        used = sorted(set(result.assignments.values()))
        _insert(
            Reception,
            {
                "date": locked.date,
                "starts": locked.starts,
                "ends": locked.ends,
                "kind": ReceptionKind.CAMPAIGN.value,
                "campaign": locked.pk,
                "status": ReceptionStatus.SCHEDULED.value,
                "cancel_reason": "",
                "note": "",
                "created": now,
                "updated": now,
            },
            "station",
            used,
        )
        reception_of = dict(Reception.objects.filter(campaign=locked).values_list("station_id", "pk"))
        _insert(
            Duty,
            {
                "campaign": locked.pk,
                "attendance": Attendance.EXPECTED.value,
                "absence_reason": "",
                "created": now,
                "updated": now,
            },
            ("deputy", "reception"),
            [(deputy_id, reception_of[station_id]) for deputy_id, station_id in sorted(result.assignments.items())],
        )
        locked.planned_at = now
        locked.version += 1
        locked.save(update_fields=["planned_at", "version", "updated"])
        record(
            user,
            "campaign.plan",
            locked,
            changes={
                "duties": len(result.assignments),
                "receptions": len(used),
                "unassigned": len(result.unassigned),
                "uncovered_towns": len(result.uncovered_towns),
                "unavailable": len(unavailable),
            },
            ip=ip,
        )
    campaign.planned_at, campaign.version = locked.planned_at, locked.version
    return result


# --- adjustments -----------------------------------------------------------------------------------------------------


def add_duty(actor, campaign: Campaign, station: Station, deputy: Deputy, *, ip=None) -> Duty:
    """Send one more deputy to a station. A deputy already on duty this day is moved instead (`move_duty`)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        _require(CampaignAction.EDIT, locked)
        _check_station(actor, locked, station)
        if not deputy.is_active:
            raise ValidationError(_("%(name)s is no longer an active deputy.") % {"name": deputy.name})
        if Unavailability.objects.filter(campaign=locked, deputy=deputy).exists():
            raise ValidationError(_("%(name)s has said they cannot come; remove that first.") % {"name": deputy.name})
        current = Duty.objects.filter(campaign=locked, deputy=deputy).select_related("reception__station").first()
        if current is not None:
            raise ValidationError(
                _("%(name)s is already on duty at %(station)s; move them from their page instead.")
                % {"name": deputy.name, "station": current.reception.station.name}
            )
        reception = _reception_for(locked, station, now)
        published = locked.status == CampaignStatus.PUBLISHED
        duty = Duty.objects.create(
            reception=reception, deputy=deputy, campaign=locked, changed_at=now if published else None
        )
        if published:
            _mark_changed(now, reception)
        _notify_change(locked, deputy, station, now)
        record(actor, "campaign.add_duty", locked, changes={"deputy": deputy.pk, "station": station.pk}, ip=ip)
    return duty


def _locked_duty(campaign: Campaign, duty_pk: int, expected_reception_id: int) -> Duty:
    """The duty, locked, if it is still where the form saw it; otherwise somebody moved or removed it meanwhile."""
    duty = (
        Duty.objects.select_for_update(of=("self",))
        .filter(pk=duty_pk, campaign=campaign)
        .select_related("deputy", "reception__station__region")
        .first()
    )
    if duty is None or duty.reception_id != expected_reception_id:
        raise ValidationError(
            _("Someone else moved or removed this duty meanwhile; reload the page to see where it is now.")
        )
    return duty


def remove_duty(actor, campaign: Campaign, duty: Duty, *, expected_reception_id: int, ip=None) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        _require(CampaignAction.EDIT, locked)
        current = _locked_duty(locked, duty.pk, expected_reception_id)
        station = current.reception.station
        if not can_edit_station_duties(actor, station):
            raise ValidationError(
                _("Duties at %(station)s are decided by the congress staff of its region.") % {"station": station.name}
            )
        if current.attendance != Attendance.EXPECTED:
            raise ValidationError(_("This deputy's attendance is already recorded; the duty stays."))
        current.delete()
        if locked.status == CampaignStatus.PUBLISHED:
            _mark_changed(now, current.reception)
        _drop_if_empty_draft(locked, current.reception_id)
        _notify_change(locked, current.deputy, station, now, removed=True)
        record(
            actor, "campaign.remove_duty", locked, changes={"deputy": current.deputy_id, "station": station.pk}, ip=ip
        )


def move_duty(actor, campaign: Campaign, duty: Duty, station: Station, *, expected_reception_id: int, ip=None) -> Duty:
    """Send the duty's deputy to another station. Two staff moving the same deputy at once: the second is refused
    (the duty is no longer at the reception their form showed)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        _require(CampaignAction.EDIT, locked)
        current = _locked_duty(locked, duty.pk, expected_reception_id)
        old_station = current.reception.station
        if not can_edit_station_duties(actor, old_station):
            raise ValidationError(
                _("Duties at %(station)s are decided by the congress staff of its region.")
                % {"station": old_station.name}
            )
        _check_station(actor, locked, station)
        if station.pk == old_station.pk:
            return current
        if current.attendance != Attendance.EXPECTED:
            raise ValidationError(_("This deputy's attendance is already recorded; the duty stays."))
        old_reception = current.reception
        reception = _reception_for(locked, station, now)
        current.reception = reception
        published = locked.status == CampaignStatus.PUBLISHED
        if published:
            current.changed_at = now
            _mark_changed(now, old_reception, reception)
        current.save(update_fields=["reception", "changed_at", "updated"])
        _drop_if_empty_draft(locked, old_reception.pk)
        _notify_change(locked, current.deputy, station, now)
        record(
            actor,
            "campaign.move_duty",
            locked,
            changes={"deputy": current.deputy_id, "station": [old_station.pk, station.pk]},
            ip=ip,
        )
    return current


# --- unavailability --------------------------------------------------------------------------------------------------


def add_unavailability(actor, campaign: Campaign, deputy: Deputy, reason: str, *, ip=None) -> Unavailability:
    """Record that a deputy cannot come. In a draft their proposed duty goes; after publishing it stays and is
    listed under conflicts, so staff decide who replaces them."""
    with transaction.atomic():
        locked = _lock(campaign)
        _require(CampaignAction.EDIT, locked)
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
                _drop_if_empty_draft(locked, reception_id)
            removed = [pk for pk, _r in duties]
        record(
            actor,
            "campaign.add_unavailability",
            locked,
            changes={"deputy": deputy.pk, "reason": reason, "removed_duties": removed},
            ip=ip,
        )
    return item


def decline_problem(duty: Duty, today=None) -> str | None:
    """Why the deputy cannot decline this duty from the phone, or None if they may (the page offers it then)."""
    if duty.campaign_id is None:
        return _("Only a reception day's duty can be declined here; for a regular duty call the office.")
    if duty.reception.date <= (today or timezone.localdate()):
        return _("On the day itself, please call the office instead.")
    return None


def deputy_cannot_come(actor, duty: Duty, reason: str, *, today=None, ip=None) -> Unavailability:
    """The deputy says, from their phone, that they cannot come to a published day's duty. Recorded like staff's
    unavailability (the duty stays and shows among the conflicts until staff replace them) and the staff who adjust
    the duty's station are told at once. Not on the day itself: then they call the office."""
    problem = decline_problem(duty, today)
    if problem:
        raise ValidationError(problem)
    reception = duty.reception
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    with transaction.atomic():
        item = add_unavailability(actor, duty.campaign, duty.deputy, reason, ip=ip)
        region, staff = recipients.supervisors(reception.station.region, include_self=True)
        context = _message_context(duty.campaign, reception.station, deputy=duty.deputy.name, reason=reason[:100])
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
        locked = _lock(campaign)
        _require(CampaignAction.EDIT, locked)
        deleted, _detail = Unavailability.objects.filter(pk=item.pk, campaign=locked).delete()
        if deleted:
            record(actor, "campaign.remove_unavailability", locked, changes={"deputy": item.deputy_id}, ip=ip)


# --- publishing and finishing ----------------------------------------------------------------------------------------


def earliest_publishable_date(today):
    return today + timedelta(days=settings.RECEPTION_PUBLISH_DAYS)


def publish_campaign(actor, campaign: Campaign, *, ip=None) -> int:
    """Make the day public and tell every deputy on duty where to go; returns the number of messages queued."""
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = _lock(campaign)
        _require(CampaignAction.PUBLISH, locked)
        if locked.date < earliest_publishable_date(today):
            raise ValidationError(
                _("A reception day is published at least %(days)d days ahead; this one is on %(date)s.")
                % {"days": settings.RECEPTION_PUBLISH_DAYS, "date": formats.date_format(locked.date)}
            )
        if not Duty.objects.filter(campaign=locked).exists():
            raise ValidationError(_("Nobody is on duty yet: propose or add assignments first."))
        locked.status = CampaignStatus.PUBLISHED
        locked.published_at = now
        locked.version += 1
        locked.save(update_fields=["status", "published_at", "version", "updated"])
        Reception.objects.filter(campaign=locked).update(published_at=now)
        duties = Duty.objects.filter(campaign=locked).select_related("deputy", "reception__station").order_by("id")
        queued = _queue(
            [
                (
                    duty.deputy,
                    "reception_assigned",
                    _message_context(locked, duty.reception.station),
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
        locked = _lock(campaign)
        _require(CampaignAction.FINISH, locked)
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
