"""The organiser's writes: create, edit (optimistic version), invite, publish, cancel, finish."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for

from ..access import eligible_deputies, eligible_members
from ..errors import ActivityError
from ..models import Activity, Body, Invitation, OrganiserKind, Status
from ..notify import withdrawn
from ..workflow import Action
from .common import audit, check, lock, notify

EDITABLE = (
    "kind",
    "campaign",
    "title",
    "theme",
    "place",
    "starts_at",
    "ends_at",
    "is_public",
    "delegation",
)


def may_organise_in(user, region, station=None) -> bool:
    scope = scope_for(user)
    if station is not None and station.pk in scope.station_ids and station.region_id == region.pk:
        return True
    return bool(scope.staff_paths) and scope.covers_path(region.path)


def _check_times(starts_at, ends_at):
    if ends_at < starts_at:
        raise ActivityError(_("The activity cannot end before it starts."), "invalid")


@transaction.atomic
def create(
    user,
    *,
    region,
    kind,
    title,
    starts_at,
    ends_at,
    body=Body.CONGRESS,
    organiser_kind=OrganiserKind.REGION,
    station=None,
    delegation="",
    campaign=None,
    theme="",
    place="",
    is_public=False,
    ip=None,
) -> Activity:
    """A draft activity in the organiser's region (a station's activity: the station's region)."""
    if station is not None:
        region = station.region
        organiser_kind = OrganiserKind.STATION
    if not may_organise_in(user, region, station):
        raise ActivityError(_("You may organise activities only in your own region."), "outside")
    if campaign is not None and not region.path.startswith(campaign.region.path):
        raise ActivityError(_("The campaign belongs to another region."), "outside")
    _check_times(starts_at, ends_at)
    activity = Activity.objects.create(
        region=region,
        body=body,
        kind=kind,
        campaign=campaign,
        organiser_kind=organiser_kind,
        station=station,
        delegation=delegation,
        title=title,
        theme=theme,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        is_public=is_public,
        created_by=user,
    )
    audit(user, "create", activity, activity, {"title": title}, ip)
    return activity


@transaction.atomic
def edit(user, pk, *, version: int, ip=None, **fields) -> Activity:
    """Change the plan. `version` is the one the form was opened on: if someone saved in between, refuse."""
    activity = lock(pk)
    check(user, activity, Action.EDIT)
    if version != activity.version:
        raise ActivityError(
            _("Someone else changed this activity meanwhile; reload the page and make your changes again."), "version"
        )
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ActivityError(_("These fields cannot be changed: %(names)s") % {"names": ", ".join(sorted(unknown))})
    changes = {}
    for name, value in fields.items():
        if getattr(activity, name) != value:
            changes[name] = str(value)
            setattr(activity, name, value)
    if activity.campaign_id and not activity.region.path.startswith(activity.campaign.region.path):
        raise ActivityError(_("The campaign belongs to another region."), "outside")
    _check_times(activity.starts_at, activity.ends_at)
    activity.version += 1
    activity.save(update_fields=[*fields, "version", "updated"])
    audit(user, "edit", activity, activity, changes, ip)
    return activity


@transaction.atomic
def invite(user, pk, *, deputies=(), members=(), ip=None) -> int:
    """Invite deputies (congress activity) or members (CPPCC activity); everyone must be inside the organiser's
    region (its subtree; a zone's managed towns count). One outsider refuses the whole list. Returns how many new."""
    activity = lock(pk)
    check(user, activity, Action.INVITE)
    deputy_ids = {getattr(d, "pk", d) for d in deputies}
    member_ids = {getattr(m, "pk", m) for m in members}
    if deputy_ids and activity.body != Body.CONGRESS or member_ids and activity.body != Body.CPPCC:
        raise ActivityError(_("Deputies are invited to congress activities, members to CPPCC activities."))
    outside = []
    if deputy_ids:
        inside = set(eligible_deputies(activity.region).filter(pk__in=deputy_ids).values_list("pk", flat=True))
        outside += _names("people.Deputy", deputy_ids - inside)
    if member_ids:
        inside = set(eligible_members(activity.region).filter(pk__in=member_ids).values_list("pk", flat=True))
        outside += _names("people.Member", member_ids - inside)
    if outside:
        raise ActivityError(
            _("Outside the organiser's region (%(region)s), not invited: %(names)s")
            % {"region": activity.region.name, "names": "、".join(outside)},
            "outside",
        )
    existing_d = set(activity.invitations.filter(deputy_id__in=deputy_ids).values_list("deputy_id", flat=True))
    existing_m = set(activity.invitations.filter(member_id__in=member_ids).values_list("member_id", flat=True))
    new = [Invitation(activity=activity, deputy_id=d) for d in sorted(deputy_ids - existing_d)]
    new += [Invitation(activity=activity, member_id=m) for m in sorted(member_ids - existing_m)]
    Invitation.objects.bulk_create(new)
    if new:
        audit(user, "invite", activity, activity, {"deputies": sorted(deputy_ids), "members": sorted(member_ids)}, ip)
        if activity.status == Status.PUBLISHED:
            notify(activity.pk)  # the newly invited hear of it now; the others' messages are not queued twice
    return len(new)


def _names(model, ids):
    from django.apps import apps

    if not ids:
        return []
    # An unknown id is an outsider too: name it by its number.
    found = dict(apps.get_model(model).objects.filter(pk__in=ids).values_list("pk", "name"))
    return [found.get(pk, f"#{pk}") for pk in sorted(ids)]


def withdrawal_open(activity) -> bool:
    """Whether an invitation may still be withdrawn: before the activity starts, or any time while it is a draft
    (the pages offer the button on the same rule; `uninvite` re-checks it under the lock)."""
    return activity.status == Status.DRAFT or activity.starts_at > timezone.now()


@transaction.atomic
def uninvite(user, pk, invitation_pk, *, ip=None) -> str:
    """Withdraw one invitation before the activity starts (any time for a draft); an invitee of a published activity
    is told. Returns the person's name."""
    activity = lock(pk)
    check(user, activity, Action.INVITE)
    invitation = (
        activity.invitations.select_for_update(of=("self",))  # the invitation only: its person rows may be absent
        .select_related("deputy__user", "member")
        .filter(pk=invitation_pk)
        .first()
    )
    if invitation is None:
        raise ActivityError(_("No such invitation."), "invalid")
    if not withdrawal_open(activity):
        raise ActivityError(_("The activity has started; its invitations stay as they are."), "too_late")
    name = invitation.person.name
    audit(user, "uninvite", activity, activity, {"invitation": invitation.pk, "name": name}, ip)
    withdrawn(activity, invitation)
    invitation.delete()
    return name


def _transition(user, pk, action, target, *, ip=None, stamp=None, started=False):
    activity = lock(pk)
    check(user, activity, action)
    if started and activity.starts_at > timezone.now():
        raise ActivityError(_("The activity has not started yet."), "too_early")
    before = activity.previous_status = activity.status
    activity.status = target
    fields = ["status", "version", "updated"]
    if stamp:
        setattr(activity, stamp, timezone.now())
        fields.append(stamp)
    activity.version += 1
    activity.save(update_fields=fields)
    audit(user, action, activity, activity, {"from": before, "to": target}, ip)
    return activity


@transaction.atomic
def publish(user, pk, *, ip=None) -> Activity:
    """Publish the plan: the invitees are told through the outbox (after the commit)."""
    activity = _transition(user, pk, Action.PUBLISH, Status.PUBLISHED, ip=ip, stamp="published_at")
    notify(activity.pk)
    return activity


@transaction.atomic
def cancel(user, pk, *, ip=None) -> Activity:
    activity = _transition(user, pk, Action.CANCEL, Status.CANCELLED, ip=ip)
    if activity.previous_status == Status.PUBLISHED:
        notify(activity.pk)  # those invited hear it is off
    return activity


@transaction.atomic
def finish(user, pk, *, ip=None) -> Activity:
    return _transition(user, pk, Action.FINISH, Status.FINISHED, ip=ip, stamp="finished_at", started=True)


@transaction.atomic
def create_campaign(user, *, region, title, year, description="", ip=None):
    from ..models import Campaign

    if not (scope_for(user).staff_paths and scope_for(user).covers_path(region.path)):
        raise ActivityError(_("You may organise activities only in your own region."), "outside")
    campaign = Campaign.objects.create(region=region, title=title, year=year, description=description)
    record_region = region
    from renda.audit.actions import record

    record(user, "activity.create_campaign", campaign, region=record_region, changes={"title": title}, ip=ip)
    return campaign


def change_state(user, pk, action: str, *, reason: str = "", ip=None):
    """The one door of the pages and the API for the state changes of the table (publish, cancel, finish; confirm or
    reject a self-recorded activity)."""
    from . import reports

    steps = {
        Action.PUBLISH: lambda: publish(user, pk, ip=ip),
        Action.CANCEL: lambda: cancel(user, pk, ip=ip),
        Action.FINISH: lambda: finish(user, pk, ip=ip),
        Action.CONFIRM: lambda: reports.confirm(user, pk, ip=ip),
        Action.REJECT: lambda: reports.reject(user, pk, reason, ip=ip),
    }
    if action not in steps:
        raise ActivityError(_("Unknown action."))
    return steps[action]()
