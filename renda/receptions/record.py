"""A deputy's performance record (履职记录) of receptions: every duty with what came of it, and yearly totals.

Who sees which duties: the deputy their own whole record; congress staff of the deputy's electoral region the whole
record too (the deputy is theirs, wherever they served); anyone else who may see the deputy (staff or keeper of a
station the deputy serves) only the duties at stations they may see (access.duties_for), so a record never shows
another region's stations to them.

Three queries whatever the length of the record: the duties with reception and station, visitors by duty, opinions
by duty.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from renda.accounts.scope import scope_for

from . import access
from .access import may_record_attendance
from .models import Duty, ReceptionOpinion, Visit
from .workflow import Attendance, ReceptionStatus

CANCELLED, UPCOMING = "cancelled", "upcoming"


@dataclass
class Entry:
    duty: Duty
    status: str  # attended / absent / expected (not recorded yet) / cancelled / upcoming
    visitors: int
    opinions: int
    may_record: bool = False  # the viewer may record this reception's attendance (a link on the record)


def entry_status(duty: Duty, today) -> str:
    if duty.reception.status == ReceptionStatus.CANCELLED:
        return CANCELLED
    # A check-in counts as attendance until staff record otherwise (as in the reports).
    if duty.attendance == Attendance.ATTENDED or (duty.attendance == Attendance.EXPECTED and duty.checked_in_at):
        return Attendance.ATTENDED
    if duty.attendance == Attendance.EXPECTED and duty.reception.date > today:
        return UPCOMING
    return duty.attendance


@dataclass
class Year:
    year: int
    entries: list = field(default_factory=list)
    duties: int = 0
    attended: int = 0
    absent: int = 0
    visitors: int = 0
    opinions: int = 0

    @property
    def participation_rate(self):
        return round(100 * self.attended / self.duties, 1) if self.duties else None


def record_duties(user, deputy):
    """The deputy's duties the user may see in their record (see the module docstring)."""
    scope = scope_for(user)
    duties = Duty.objects.filter(deputy=deputy)
    if deputy.pk in scope.deputy_ids or scope.covers_path(deputy.electoral_region.path):
        return duties
    return duties.filter(pk__in=access.duties_for(user).filter(deputy=deputy).values("pk"))


def deputy_record(user, deputy, today=None) -> list[Year]:
    """Years, newest first, each with its duties (newest first) and totals.

    The totals count held duties only: cancelled receptions and duties still to come are listed but not counted.
    """
    today = today or timezone.localdate()
    duties = list(
        record_duties(user, deputy)
        .select_related("reception__station__region", "reception__campaign")
        .order_by("-reception__date", "-reception__starts", "-id")
    )
    ids = [duty.pk for duty in duties]
    visitors = dict(
        Visit.objects.filter(duty_id__in=ids).values("duty_id").annotate(n=Sum("count")).values_list("duty_id", "n")
    )
    opinions = dict(
        ReceptionOpinion.objects.filter(duty_id__in=ids)
        .values("duty_id")
        .annotate(n=Count("id"))
        .values_list("duty_id", "n")
    )
    years: dict[int, Year] = {}
    for duty in duties:
        entry = Entry(duty, entry_status(duty, today), visitors.get(duty.pk) or 0, opinions.get(duty.pk, 0))
        entry.may_record = entry.status not in (CANCELLED, UPCOMING) and may_record_attendance(user, duty.reception)
        year = years.setdefault(duty.reception.date.year, Year(duty.reception.date.year))
        year.entries.append(entry)
        if entry.status in (CANCELLED, UPCOMING):
            continue
        year.duties += 1
        year.attended += entry.status == Attendance.ATTENDED
        year.absent += entry.status == Attendance.ABSENT
        year.visitors += entry.visitors
        year.opinions += entry.opinions
    return sorted(years.values(), key=lambda year: -year.year)
