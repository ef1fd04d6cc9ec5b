"""Rounds: created with every phase's dates, then moved one phase at a time, each move checked and recorded."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.scope import scope_for

from ..models import EventKind, ProposalStatus, Result, Round, RoundPhase, SessionKind, SessionStatus
from ..phases import DATED, Do, Phase, next_phase
from .common import ProjectsError, audit, china_today, event, lock_round, require


def check_phase_dates(dates: dict) -> None:
    """Every phase has dates, in order, and solicitation lasts at least PROJECTS_SOLICITATION_MIN_DAYS days."""
    previous_end = None
    for phase in DATED:
        if phase not in dates:
            raise ProjectsError(_("Give the dates of every phase."), code="dates")
        starts, ends = dates[phase]
        if starts > ends:
            raise ProjectsError(
                _("The phase “%(phase)s” ends before it starts.") % {"phase": Phase(phase).label}, code="dates"
            )
        if previous_end is not None and starts < previous_end:
            raise ProjectsError(
                _("The phase “%(phase)s” starts before the previous phase ends.") % {"phase": Phase(phase).label},
                code="dates",
            )
        previous_end = ends
    starts, ends = dates[Phase.SOLICITATION]
    days = (ends - starts).days + 1
    if days < settings.PROJECTS_SOLICITATION_MIN_DAYS:
        raise ProjectsError(
            _("Solicitation must last at least %(min)d days (%(days)d given).")
            % {"min": settings.PROJECTS_SOLICITATION_MIN_DAYS, "days": days},
            code="solicitation_days",
        )


def create_round(
    user, *, region, year: int, title: str, places: int, dates: dict, electorate=(), ip=None, **rules
) -> Round:
    """A new round in its solicitation phase. `electorate`: the regions whose deputies also sit (a zone's joint
    meeting). `rules`: body, deputy_level, min_extra, min_ratio, quorum_fraction, threshold_fraction,
    satisfied_fraction, basic_fraction (the settings' defaults when left out)."""
    scope = scope_for(user)
    if not scope.is_congress_staff or not all(scope.covers_path(r.path) for r in (region, *electorate)):
        raise ProjectsError(_("You can only create rounds in your own regions."), code="scope")
    if places < 1:
        raise ProjectsError(_("A round needs at least one place."), code="places")
    check_phase_dates(dates)
    with transaction.atomic():
        round_ = Round.objects.create(region=region, year=year, title=title, places=places, **rules)
        round_.electorate.set(electorate)
        RoundPhase.objects.bulk_create(
            RoundPhase(round=round_, phase=phase, starts=dates[phase][0], ends=dates[phase][1]) for phase in DATED
        )
        event(round_, EventKind.CREATED, gettext_lazy("Round created: %(places)d places."), {"places": places})
        audit(user, "round.create", round_, {"title": title, "places": places, "year": year}, ip)
    return round_


def _check_can_leave(round_: Round, now) -> None:
    phase = round_.phase
    if phase == Phase.SOLICITATION:
        solicitation = round_.phases.get(phase=Phase.SOLICITATION)
        earliest = solicitation.starts + datetime.timedelta(days=settings.PROJECTS_SOLICITATION_MIN_DAYS)
        if china_today(now) < earliest:
            raise ProjectsError(
                _("Solicitation stays open at least %(min)d days: it can close from %(date)s.")
                % {"min": settings.PROJECTS_SOLICITATION_MIN_DAYS, "date": earliest.isoformat()},
                code="too_early",
            )
    elif phase == Phase.SCREENING:
        if round_.proposals.filter(status=ProposalStatus.SUBMITTED).exists():
            raise ProjectsError(_("Screen every proposal first."), code="unscreened")
    elif phase == Phase.CANDIDATES:
        if round_.candidates_published_at is None:
            raise ProjectsError(_("Approve and publish the candidate list first."), code="unpublished")
    elif phase == Phase.VOTING:
        if not round_.sessions.filter(kind=SessionKind.VOTE, status=SessionStatus.PUBLISHED).exists():
            raise ProjectsError(_("Publish the results of the vote first."), code="no_results")
    elif phase == Phase.RESULTS:
        if round_.projects.filter(result=Result.TIE).exists():
            raise ProjectsError(_("Decide the ties at the boundary first."), code="tie")
    elif phase == Phase.EVALUATION:
        if not round_.sessions.filter(kind=SessionKind.EVALUATION, status=SessionStatus.PUBLISHED).exists():
            raise ProjectsError(_("Publish the results of the satisfaction evaluation first."), code="no_results")


def advance(user, round_: Round, roles, *, now=None, ip=None) -> Round:
    """Move the round to the next phase (never skip one, never go back); refused until the phase's work is done."""
    now = now or timezone.now()
    with transaction.atomic():
        round_ = lock_round(round_)
        require(round_, Do.ADVANCE, roles)
        _check_can_leave(round_, now)
        before, after = round_.phase, next_phase(round_.phase)
        round_.phase = after
        round_.save(update_fields=["phase"])
        event(
            round_,
            EventKind.PHASE,
            gettext_lazy("Phase: %(before)s → %(after)s."),
            {"before": Phase(before).label, "after": Phase(after).label},
        )
        audit(user, "round.advance", round_, {"phase": [before, after]}, ip)
    return round_
