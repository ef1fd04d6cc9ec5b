"""On the day of a reception: the deputy checks in, records visitors and records opinions on a visitor's behalf.

Every write here is one transaction that first locks the duty row, re-checks the rules against the row as it is now
(a double tap, or staff finishing the day a second earlier, sees the first change) and writes an audit record.

The rules, in the order they are checked:
- only the duty's own deputy acts on it (the views already 404 otherwise; this is the second lock on the door);
- a cancelled reception or a finished reception day takes no more records;
- everything happens on the reception's date, China time (Asia/Shanghai). The day after is refused too: records made
  from memory later belong to the attendance and report pages (staff), not to the phone on the spot;
- a check-in with a position must be within RECEPTION_CHECKIN_TOLERANCE_M of the station's coordinates; without a
  position (denied, no GPS) it is accepted and the distance stays empty, so the board can tell the two apart;
- visitors and opinions are recorded after checking in: they are what happened at a sitting the deputy attended.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.audit.actions import record
from renda.core.geo import Point, format_distance, in_station_system, metres_between
from renda.opinions.actions import submit
from renda.workdays.calendar import CHINA

from ..models import Duty, ReceptionOpinion, Visit
from ..rules import OnsiteError, closed_reason
from ..workflow import Attendance


def _lock(duty: Duty) -> Duty:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to the campaign.
    return (
        Duty.objects.select_for_update(of=("self",))
        .select_related("reception__station__region", "reception__campaign", "deputy")
        .get(pk=duty.pk)
    )


def _check_open(user, duty: Duty, now) -> None:
    """Refuse unless `user` is the duty's deputy and the reception is open (`closed_reason`)."""
    if duty.deputy_id not in scope_for(user).deputy_ids:
        raise OnsiteError(_("Only the deputy on duty can do this."), code="not_own")
    reason = closed_reason(duty, now)
    if reason is not None:
        raise reason


def _check_checked_in(duty: Duty) -> None:
    if duty.checked_in_at is None:
        raise OnsiteError(_("Check in first, then record what happened."), code="not_checked_in")


def _audit(user, action: str, duty: Duty, changes: dict, ip) -> None:
    record(user, action, duty, region=duty.reception.station.region, changes=changes, ip=ip)


def check_in(duty: Duty, user, latitude=None, longitude=None, *, now=None, ip=None) -> Duty:
    """Mark the deputy present at their reception now; with a position, it must be near the station.

    The position is the phone's (WGS-84); it is turned into the stations' coordinate system before measuring and
    stored in that system (renda.core.geo.in_station_system)."""
    now = now or timezone.now()
    if latitude is not None and longitude is not None:
        point = in_station_system(Point(float(latitude), float(longitude)))
        latitude, longitude = point.lat, point.lng
    with transaction.atomic():
        locked = _lock(duty)
        if locked.checked_in_at is not None:
            raise OnsiteError(
                _("You already checked in at %(time)s.")
                % {"time": locked.checked_in_at.astimezone(CHINA).strftime("%H:%M")},
                code="twice",
            )
        _check_open(user, locked, now)
        distance = None
        station = locked.reception.station
        has_position = latitude is not None and longitude is not None
        if has_position and station.latitude is not None and station.longitude is not None:
            distance = metres_between(
                Point(float(latitude), float(longitude)), Point(float(station.latitude), float(station.longitude))
            )
            tolerance = settings.RECEPTION_CHECKIN_TOLERANCE_M
            if distance > tolerance:
                raise OnsiteError(
                    _(
                        "You are %(distance)s from %(station)s; check in within %(tolerance)s of the station, "
                        "or check in without your position."
                    )
                    % {
                        "distance": format_distance(distance / 1000),
                        "station": station.name,
                        "tolerance": format_distance(tolerance / 1000),
                    },
                    code="far",
                )
        locked.attendance = Attendance.ATTENDED
        locked.checked_in_at = now
        # The position is kept as given (rounded to the column) even when the station has no coordinates to compare.
        locked.checkin_latitude = Decimal(str(round(float(latitude), 6))) if has_position else None
        locked.checkin_longitude = Decimal(str(round(float(longitude), 6))) if has_position else None
        locked.checkin_distance = distance
        locked.save(
            update_fields=[
                "attendance",
                "checked_in_at",
                "checkin_latitude",
                "checkin_longitude",
                "checkin_distance",
                "updated",
            ]
        )
        _audit(
            user,
            "reception.check_in",
            locked,
            {"attendance": Attendance.ATTENDED, "distance": distance, "with_position": has_position},
            ip,
        )
    return locked


def record_visit(duty: Duty, user, count: int, topics: str = "", *, now=None, ip=None) -> Visit:
    """Visitors the deputy received at this reception (several records add up)."""
    if count < 1:
        raise OnsiteError(_("Enter at least one visitor."), code="count")
    with transaction.atomic():
        locked = _lock(duty)
        _check_open(user, locked, now or timezone.now())
        _check_checked_in(locked)
        visit = Visit.objects.create(
            reception=locked.reception, duty=locked, count=count, topics=topics.strip(), recorded_by=user
        )
        _audit(user, "reception.record_visit", locked, {"visit": visit.pk, "count": count}, ip)
    return visit


def record_opinion_on_behalf(
    duty: Duty,
    user,
    *,
    category,
    text: str,
    phone: str = "",
    consent: bool,
    client_token: str | None = None,
    now=None,
    ip=None,
) -> ReceptionOpinion:
    """An opinion a visitor gave the deputy; it enters the station's inbox like any other, tagged with the reception.

    The opinion and its tag are written in one transaction: both exist or neither. A repeated form (same client
    token, e.g. a double tap) returns the first opinion's tag instead of filing it twice.
    """
    if not consent:
        raise OnsiteError(_("Ask the visitor's consent before recording their opinion."), code="consent")
    with transaction.atomic():
        locked = _lock(duty)
        _check_open(user, locked, now or timezone.now())
        _check_checked_in(locked)
        reception = locked.reception
        submission = submit(
            station=reception.station,
            deputy=locked.deputy,
            category=category,
            text=text,
            name="",
            phone=phone,
            consent=True,
            client_token=client_token,
        )
        tag, created = ReceptionOpinion.objects.get_or_create(
            opinion=submission.opinion,
            defaults={"reception": reception, "campaign": reception.campaign, "duty": locked},
        )
        if created:
            _audit(
                user,
                "reception.record_opinion",
                locked,
                {"opinion": submission.opinion.pk, "category": category.pk, "with_phone": bool(phone)},
                ip,
            )
    return tag
