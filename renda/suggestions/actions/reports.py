"""社情民意 reports: a member submits and may revise until the office decides; the office edits, rates the report
as adopted at a level (local, provincial, national) and records leaders' instructions (批示)."""

from django.db import transaction
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.audit.actions import record

from ..access import is_office_for, submitter_identity
from ..models import SocialReport
from ..workflow import REPORT_TRANSITIONS, Actor, Kind, ReportAction, ReportState
from .errors import TransitionError


def submit_report(user, *, title: str, text: str, ip=None) -> SocialReport:
    _deputy, member = submitter_identity(user)
    if member is None:
        raise TransitionError(_("Only CPPCC members can submit social-conditions reports."))
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise TransitionError(_("Write a title and the text."))
    with transaction.atomic():
        report = SocialReport.objects.create(
            region=member.region, title=title[:200], text=text, author=user, member=member
        )
        record(user, "social_report.submit", report, ip=ip)
    return report


def report_roles(user, report) -> set[str]:
    roles = set()
    scope = scope_for(user)
    if is_office_for(scope, Kind.CPPCC, report.region.path):  # 社情民意 is the CPPCC's
        roles.add(Actor.OFFICE)
    if report.author_id == getattr(user, "pk", None):
        roles.add(Actor.AUTHOR)
    return roles


def act_on_report(user, pk: int, action: str, data: dict, ip=None) -> SocialReport:
    if action not in REPORT_TRANSITIONS:
        raise TransitionError(_("You may not do this on this item."))
    sources, target, allowed_roles = REPORT_TRANSITIONS[action]
    with transaction.atomic():
        report = SocialReport.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)
        if not report_roles(user, report) & allowed_roles:
            raise TransitionError(_("You may not do this on this item."))
        if report.status not in sources:
            raise TransitionError(
                _("This cannot be done while the item is “%(state)s”.") % {"state": ReportState(report.status).label}
            )
        before = report.status
        text = (data.get("text") or "").strip()
        fields = {"status", "updated"}
        if action == ReportAction.REVISE:
            if not text:
                raise TransitionError(_("Write a title and the text."))
            report.text = text
            fields.add("text")
        elif action == ReportAction.EDIT:
            if not text:
                raise TransitionError(_("Write the edited text."))
            report.edited_text = text
            fields.add("edited_text")
        elif action == ReportAction.ADOPT:
            level = data.get("level") or ""
            if level not in SocialReport.Level.values:
                raise TransitionError(_("Choose the level at which it was adopted."))
            report.adopted_level = level
            fields.add("adopted_level")
        elif action == ReportAction.INSTRUCT:
            if not text:
                raise TransitionError(_("Write the leader's instruction."))
            report.instructions = f"{report.instructions}\n{text}".strip()
            fields.add("instructions")
        report.status = target or before
        report.save(update_fields=sorted(fields))
        record(user, f"social_report.{action}", report, changes={"from": before, "to": report.status}, ip=ip)
    return report
