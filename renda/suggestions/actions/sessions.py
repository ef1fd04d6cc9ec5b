"""The office records its congress's (or CPPCC committee's) plenary sessions (大会), and removes a mistaken one."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.audit.actions import record
from renda.regions.models import VILLAGE_KINDS, Region

from ..access import is_office_for, sessions_for
from ..models import Session
from ..workflow import Kind
from .errors import TransitionError

# A session is a week or two; a year-long one is a typing mistake.
MAX_DAYS = 60


def add(user, *, region, kind: str, name: str, first_day: datetime.date, last_day: datetime.date, ip=None) -> Session:
    """Record a session of `region`'s congress (kind "congress") or CPPCC committee ("cppcc")."""
    if kind not in Kind.values:
        raise TransitionError(_("Choose whether it is the congress's or the CPPCC committee's session."))
    if region is None or not is_office_for(scope_for(user), kind, region.path):
        raise TransitionError(_("You may only record sessions of your own regions."))
    if region.kind in VILLAGE_KINDS:
        raise TransitionError(_("Villages and communities have no congress of their own."))
    name = (name or "").strip()
    if not name:
        raise TransitionError(_("Give the session's name, e.g. 第十七届人民代表大会第三次会议."))
    if first_day is None or last_day is None or last_day < first_day:
        raise TransitionError(_("The last day cannot be before the first."))
    if (last_day - first_day).days >= MAX_DAYS:
        raise TransitionError(_("A session lasts at most %(days)d days.") % {"days": MAX_DAYS})
    with transaction.atomic():
        # The region's row is the lock: two offices recording the same days at once take turns, and the second
        # sees the first's row (a lock on the overlapping rows would not stop two inserts of rows not yet there).
        Region.objects.select_for_update().filter(pk=region.pk).first()
        overlapping = Session.objects.filter(region=region, kind=kind, first_day__lte=last_day, last_day__gte=first_day)
        same = overlapping.filter(name=name[:100], first_day=first_day, last_day=last_day).first()
        if same is not None:
            return same  # a retried form or API call: the session it recorded
        if overlapping.exists():
            raise TransitionError(_("Another session of this region overlaps these days."))
        session = Session.objects.create(
            region=region, kind=kind, name=name[:100], first_day=first_day, last_day=last_day
        )
        days = {"first_day": first_day.isoformat(), "last_day": last_day.isoformat()}
        record(user, "suggestion.session_add", session, region=region, changes={"name": session.name} | days, ip=ip)
    return session


def remove(user, pk: int, ip=None) -> None:
    with transaction.atomic():
        session = sessions_for(user).select_for_update().select_related("region").filter(pk=pk).first()
        if session is None:
            raise TransitionError(_("You may only remove sessions of your own regions."))
        changes = {"name": session.name, "first_day": session.first_day.isoformat()}
        record(user, "suggestion.session_remove", session, region=session.region, changes=changes, ip=ip)
        session.delete()
