"""Every write of records: weight tables, disputes, reports, the voters' evaluation. One transaction each, the
changed row locked, an audit row. Lines, figures and scores are written only by compute.refresh."""

import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record

from . import compute
from .access import person_region, roles_on
from .kinds import BY_KEY
from .models import Body, Dispute, Evaluation, Line, Report, ReportKind, Weight, WeightTable
from .workflow import (
    DISPUTE_NEEDS_REASON,
    DISPUTE_TRANSITIONS,
    NEW,
    REPORT_TRANSITIONS,
    DisputeAction,
    ReportAction,
    ReportState,
    Role,
    dispute_allowed,
    report_allowed,
)


class RecordError(Exception):
    """A refused write, with a message for the user."""


# weights ------------------------------------------------------------------------------------------------------------


def table_read_only(table: WeightTable, today=None) -> bool:
    """A past year's table, or one the office closed, is read-only: last year's scores never change."""
    today = today or timezone.localdate()
    return table.year < today.year or table.closed_at is not None


def create_table(user, region, year: int, body: str = Body.CONGRESS, *, copy_from: WeightTable | None = None):
    if year < timezone.localdate().year:
        raise RecordError(_("The weights of a past year cannot be set any more."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                table = WeightTable.objects.create(region=region, year=year, body=body, created_by=user)
        except IntegrityError:
            raise RecordError(_("This region already has weights for that year.")) from None
        if copy_from is not None:
            table.good_min, table.fair_min = copy_from.good_min, copy_from.fair_min
            table.save(update_fields=["good_min", "fair_min"])
            weights = [Weight(table=table, kind=w.kind, points=w.points, cap=w.cap) for w in copy_from.weights.all()]
        else:
            weights = [
                Weight(
                    table=table,
                    kind=kind.key,
                    points=Decimal(kind.default_points),
                    cap=Decimal(kind.default_cap) if kind.default_cap else None,
                )
                for kind in BY_KEY.values()
            ]
        Weight.objects.bulk_create(weights)
        record(user, "records.table.create", table, region=region, changes={"year": year, "body": body})
    return table


def save_weights(user, table: WeightTable, weights: dict, *, good_min, fair_min) -> None:
    """`weights`: kind → (points, cap or None). Refused on a read-only table; the region's scores of that year are
    recomputed."""
    with transaction.atomic():
        table = WeightTable.objects.select_for_update().get(pk=table.pk)
        if table_read_only(table):
            raise RecordError(_("These weights are read-only: the year is past or closed."))
        if fair_min > good_min:
            raise RecordError(_("The boundary of “fair” cannot be above that of “good”."))
        before = {w.kind: (str(w.points), str(w.cap)) for w in table.weights.all()}
        table.good_min, table.fair_min = good_min, fair_min
        table.save(update_fields=["good_min", "fair_min", "updated"])
        for kind, (points, cap) in weights.items():
            Weight.objects.update_or_create(table=table, kind=kind, defaults={"points": points, "cap": cap})
        after = {kind: (str(points), str(cap)) for kind, (points, cap) in weights.items()}
        changed = {kind: [before.get(kind), value] for kind, value in after.items() if before.get(kind) != value}
        record(user, "records.table.save", table, region=table.region, changes=changed)
        compute.refresh_region(table.region, table.year)


def close_table(user, table: WeightTable) -> None:
    with transaction.atomic():
        table = WeightTable.objects.select_for_update().get(pk=table.pk)
        if table.closed_at is not None:
            raise RecordError(_("These weights are closed already."))
        table.closed_at = timezone.now()
        table.save(update_fields=["closed_at", "updated"])
        record(user, "records.table.close", table, region=table.region)


# disputes -----------------------------------------------------------------------------------------------------------


def year_closed(person, year: int, today=None) -> bool:
    """A past year, or a year whose applicable weight table the office closed."""
    today = today or timezone.localdate()
    if year < today.year:
        return True
    body = Body.CONGRESS if hasattr(person, "electoral_region") else Body.CPPCC
    table = compute.table_for(compute.tables_for_year(year), body, person_region(person).path)
    return table is not None and table.table.closed_at is not None


def _role_for(roles: set[str], allowed) -> str | None:
    for role in (Role.OFFICE, Role.PERSON):
        if role in roles and allowed(role):
            return role
    return None


def file_dispute(user, person, line: Line, text: str, *, ip=None) -> Dispute:
    text = (text or "").strip()
    if not text:
        raise RecordError(_("Say why the line is wrong."))
    closed = year_closed(person, line.year)
    role = _role_for(roles_on(user, person), lambda r: dispute_allowed(DisputeAction.FILE, NEW, r, closed_year=closed))
    if role is None:
        if closed:
            raise RecordError(_("This year is closed: ask the office to file the dispute."))
        raise RecordError(_("You may not dispute this line."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                dispute = Dispute.objects.create(
                    **compute.person_filter(person),
                    year=line.year,
                    line=line,
                    line_key=line.key,
                    line_label=line.label,
                    kind=line.kind,
                    text=text,
                    filed_by=user,
                )
        except IntegrityError:
            raise RecordError(_("This line is disputed already.")) from None
        record(user, "records.dispute.file", dispute, region=person_region(person), changes={"line": line.key}, ip=ip)
    return dispute


def decide_dispute(user, dispute: Dispute, action: str, reason: str = "", *, ip=None) -> Dispute:
    if action not in DISPUTE_TRANSITIONS or action == DisputeAction.FILE:
        raise RecordError(_("Unknown action."))
    reason = (reason or "").strip()
    if action in DISPUTE_NEEDS_REASON and not reason:
        raise RecordError(_("Give the reason of the decision."))
    person = dispute.person
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        role = _role_for(roles_on(user, person), lambda r: dispute_allowed(action, dispute.status, r))
        if role is None:
            raise RecordError(_("This action is not possible now."))
        before = dispute.status
        dispute.status = DISPUTE_TRANSITIONS[action][1]
        dispute.reason = reason
        dispute.decided_by, dispute.decided_at = user, timezone.now()
        dispute.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        record(
            user,
            f"records.dispute.{action}",
            dispute,
            region=person_region(person),
            changes={"from": before, "to": dispute.status},
            ip=ip,
        )
        compute.refresh_person(person, dispute.year)
    return dispute


# reports ------------------------------------------------------------------------------------------------------------


def start_report(user, person, year: int, kind: str = ReportKind.ANNUAL, first_year: int | None = None) -> Report:
    if not roles_on(user, person):
        raise RecordError(_("You may not write this report."))
    if kind == ReportKind.TERM and (first_year is None or first_year > year):
        raise RecordError(_("Give the term's first year."))
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            **compute.person_filter(person), year=year, kind=kind, defaults={"first_year": first_year or year}
        )
        if created:
            record(user, "records.report.start", report, region=person_region(person), changes={"kind": kind})
    return report


def act_on_report(user, report: Report, action: str, *, introduction=None, note="", ip=None) -> Report:
    if action not in REPORT_TRANSITIONS:
        raise RecordError(_("Unknown action."))
    person = report.person
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        role = _role_for(roles_on(user, person), lambda r: report_allowed(action, report.status, r))
        if role is None:
            raise RecordError(_("This action is not possible now."))
        if action == ReportAction.CLOSE and report.kind != ReportKind.TERM:
            raise RecordError(_("Only a term report collects the voters' evaluation."))
        if action == ReportAction.RETURN and not note.strip():
            raise RecordError(_("Say what to change."))
        before = report.status
        fields = ["status", "updated"]
        if action == ReportAction.EDIT:
            report.introduction = (introduction or "").strip()
            fields.append("introduction")
        if note.strip():
            report.note = note.strip()
            fields.append("note")
        report.status = REPORT_TRANSITIONS[action][1]
        if action == ReportAction.PUBLISH:
            report.published_at = timezone.now()
            fields.append("published_at")
        report.save(update_fields=fields)
        record(
            user,
            f"records.report.{action}",
            report,
            region=person_region(person),
            changes={"from": before, "to": report.status},
            ip=ip,
        )
    return report


# the voters' evaluation ---------------------------------------------------------------------------------------------


def voter_key(*, phone: str = "", openid: str = "") -> str:
    """A keyed hash of the voter's identity (never stored in clear): one verdict per phone number or WeChat openid."""
    ident = f"openid:{openid}" if openid else f"phone:{phone}"
    return hmac.new(settings.SECRET_KEY.encode(), ident.encode(), hashlib.sha256).hexdigest()


def evaluate(report: Report, voter: str, verdict: str) -> Evaluation:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.kind != ReportKind.TERM or report.status != ReportState.PUBLISHED:
            raise RecordError(_("This report is not open for evaluation."))
        try:
            with transaction.atomic():
                return Evaluation.objects.create(report=report, voter=voter, verdict=verdict)
        except IntegrityError:
            raise RecordError(_("You have evaluated this report already.")) from None
