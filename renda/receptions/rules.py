"""The rules of receptions, each in one function. Forms ask them to explain a refusal next to the field; the actions in
renda/receptions/actions/ ask them again under their row locks, so a caller that skips the form (the JSON API, a
script, a stale page) is refused the same way.

Where to find a rule:
- dates: `earliest_public_date` (the publishing lead time, RECEPTION_PUBLISH_DAYS: a reception day's publishing,
  one-off receptions and roster generation all read it), `check_not_past` (a reception day is never dated in the past);
- a reception day's states: `require` (the transition table in workflow.py, with the message for each refusal);
- who decides duties at a station: `check_station` / `check_may_edit_station`;
- on the day: `closed_reason` (check-in, visitors, opinions), `decline_problem` (a deputy says they cannot come);
- afterwards: `has_started`, `visitors_problem`, `attendance_problem`;
- absences: `absence_problem`.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from renda.workdays.calendar import CHINA

from .access import can_edit_station_duties
from .workflow import Attendance, CampaignAction, CampaignStatus, ReceptionStatus, allowed

# --- dates ------------------------------------------------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def china_today(now=None) -> date:
    return (now or timezone.now()).astimezone(CHINA).date()


def earliest_public_date(day: date | None = None) -> date:
    """The earliest date a reception made public on `day` may have: the public is told RECEPTION_PUBLISH_DAYS ahead.

    The one copy of the publishing lead time: publishing a reception day, adding a one-off reception and generating
    the roster's receptions all ask it."""
    return (day or today()) + timedelta(days=settings.RECEPTION_PUBLISH_DAYS)


def horizon_end(day: date | None = None) -> date:
    """The last date roster generation materialises (inclusive)."""
    return (day or today()) + timedelta(days=7 * settings.RECEPTION_SCHEDULE_WEEKS - 1)


def check_publish_lead(day: date, *, today_: date | None = None) -> None:
    """A one-off reception is public at once, so its date respects the publishing lead."""
    earliest = earliest_public_date(today_)
    if day < earliest:
        raise ValidationError(
            _("A reception must be published at least %(days)d days ahead: the earliest date is %(date)s.")
            % {"days": settings.RECEPTION_PUBLISH_DAYS, "date": earliest.isoformat()}
        )


def check_campaign_publish_lead(campaign, today_: date) -> None:
    if campaign.date < earliest_public_date(today_):
        raise ValidationError(
            _("A reception day is published at least %(days)d days ahead; this one is on %(date)s.")
            % {"days": settings.RECEPTION_PUBLISH_DAYS, "date": formats.date_format(campaign.date)}
        )


def check_not_past(day: date, *, today_: date | None = None) -> None:
    """A reception day is planned for today or later: nobody can be sent to a day that is over."""
    if day < (today_ or today()):
        raise ValidationError(
            _("%(date)s is in the past: a reception day is dated today or later.") % {"date": formats.date_format(day)},
            code="past",
        )


def check_times(starts, ends) -> None:
    if starts >= ends:
        raise ValidationError(_("The reception must end after it starts."))


# --- a reception day's states and stations ----------------------------------------------------------------------------


def require(action: str, campaign) -> None:
    """Refuse `action` unless the transition table allows it in the campaign's state, saying why."""
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


def station_in_region(station, campaign) -> bool:
    return campaign.region.contains_path(station.region.path)


def check_may_edit_station(actor, station) -> None:
    if not can_edit_station_duties(actor, station):
        raise ValidationError(
            _("Duties at %(station)s are decided by the congress staff of its region.") % {"station": station.name}
        )


def check_station(actor, campaign, station) -> None:
    """A duty may be placed at `station` on this day: inside the day's region, active, and the actor's to decide."""
    if not station_in_region(station, campaign):
        raise ValidationError(
            _("%(station)s is outside %(region)s, the region of this reception day.")
            % {"station": station.name, "region": campaign.region.name}
        )
    if not station.is_active:
        raise ValidationError(_("%(station)s is no longer active.") % {"station": station.name})
    check_may_edit_station(actor, station)


# --- on the day -------------------------------------------------------------------------------------------------------


class OnsiteError(ValidationError):
    """The record was refused; the message says why in the user's language. Nothing was changed."""


def closed_reason(duty, now=None) -> OnsiteError | None:
    """Why nothing can be recorded at this duty's reception now, or None while it is open (its day, still held)."""
    reception = duty.reception
    if reception.status == ReceptionStatus.CANCELLED:
        return OnsiteError(_("This reception has been cancelled."), code="cancelled")
    if reception.campaign_id and reception.campaign.status == CampaignStatus.FINISHED:
        return OnsiteError(_("This reception day is finished; nothing more can be recorded."), code="finished")
    if reception.date != china_today(now):
        return OnsiteError(
            _("This reception is on %(date)s, not today: this can only be done on the day.")
            % {"date": date_format(reception.date, "SHORT_DATE_FORMAT")},
            code="not_today",
        )
    return None


def decline_problem(duty, today_=None) -> str | None:
    """Why the deputy cannot decline this duty from the phone, or None if they may (the page offers it then)."""
    if duty.campaign_id is None:
        return _("Only a reception day's duty can be declined here; for a regular duty call the office.")
    if duty.reception.date <= (today_ or timezone.localdate()):
        return _("On the day itself, please call the office instead.")
    return None


# --- afterwards -------------------------------------------------------------------------------------------------------


def has_started(reception, now=None) -> bool:
    now = timezone.localtime(now or timezone.now())
    starts = timezone.make_aware(datetime.combine(reception.date, reception.starts), now.tzinfo)
    return starts <= now


def visitors_problem(reception, now=None) -> str | None:
    """Why visitors cannot be entered for this reception now, or None if they can (the page offers the form then)."""
    if reception.status == ReceptionStatus.CANCELLED:
        return _("This reception was cancelled: there is no attendance to record.")
    if not has_started(reception, now):
        return _("Visitors can be recorded once the reception has started.")
    if reception.campaign_id and reception.campaign.status == CampaignStatus.FINISHED:
        return _("This reception day is finished; its figures no longer change.")
    return None


RECORDABLE = (Attendance.ATTENDED, Attendance.ABSENT)


def attendance_problem(duty, attendance: str, reason: str, finished: bool) -> tuple[str | None, str]:
    """(why this attendance entry is refused or None, the reason as it will be stored)."""
    from .models import Duty

    reason_max = Duty._meta.get_field("absence_reason").max_length
    name = duty.deputy.name
    if attendance not in RECORDABLE:
        return _("%(name)s: choose attended or absent.") % {"name": name}, reason
    if attendance == Attendance.ATTENDED:
        # A reason belongs to an absence only; an attended duty keeps none.
        reason = ""
    elif not reason:
        return _("%(name)s: give the reason for the absence.") % {"name": name}, reason
    elif len(reason) > reason_max:
        return _("%(name)s: the reason is too long (at most %(max)d characters).") % {
            "name": name,
            "max": reason_max,
        }, reason
    if finished and attendance != duty.attendance:
        return _(
            "%(name)s: the reception day is finished; attendance can no longer change, only the reason for an "
            "absence can be corrected."
        ) % {"name": name}, reason
    return None, reason


# --- absences ---------------------------------------------------------------------------------------------------------

ABSENCE_MAX_DAYS = 366


def absence_problem(starts: date, ends: date, reason: str, today_: date) -> str | None:
    if not reason:
        return _("Give a reason.")
    if ends < starts:
        return _("The absence must end on or after the day it starts.")
    if ends < today_:
        return _("This period is over already.")
    if (ends - starts).days >= ABSENCE_MAX_DAYS:
        return _("An absence can last at most a year; enter a longer one in parts.")
    return None
