"""Sessions that vote: prepare, open (the roll is fixed), presence, quorum, voting, the paper count, the scrutineers'
sign-off, and the results (the vote's elected projects, the evaluation's verdicts)."""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import deputy_in_round, entitled_deputies
from ..counting import ballot_projects, count_record, options_for, tally_ballots
from ..models import (
    Ballot,
    EventKind,
    Officer,
    OfficerRole,
    Option,
    Project,
    Result,
    RollEntry,
    Round,
    Session,
    SessionKind,
    SessionStatus,
    Tally,
    TallySource,
    Verdict,
)
from ..phases import Do, Phase
from ..rules import PaperCount, elect, paper_count_errors, quorum_met, verdict
from .common import ProjectsError, audit, event, lock_round, require

PHASE_OF_KIND = {SessionKind.VOTE: Phase.VOTING, SessionKind.EVALUATION: Phase.EVALUATION}


def _require(round_: Round, kind: str, action: str, roles) -> None:
    require(round_, action, roles)
    if round_.phase != PHASE_OF_KIND[kind]:
        raise ProjectsError(_("This session belongs to another phase of the round."), code="phase")


def _lock(session: Session) -> tuple[Round, Session]:
    """Lock the round, then the session (always in this order, so two actions never wait on each other)."""
    round_ = lock_round(session.round)
    session = Session.objects.select_for_update().get(pk=session.pk)
    session.round = round_
    return round_, session


def _status(session: Session, *allowed) -> None:
    if session.status not in allowed:
        raise ProjectsError(
            _("Not possible while the session is “%(status)s”.") % {"status": session.get_status_display()},
            code="status",
        )


def prepare_session(
    user, round_: Round, roles, *, kind, method, title, starts_at, ends_at, scrutineers, counters, ip=None
) -> Session:
    """A session with its voting window, its named scrutineers (deputies, who sign) and counters."""
    counters = [name.strip() for name in counters if name.strip()]
    with transaction.atomic():
        round_ = lock_round(round_)
        _require(round_, kind, Do.PREPARE_SESSION, roles)
        if round_.sessions.filter(kind=kind).exists():
            raise ProjectsError(_("The round already has this session."), code="duplicate")
        if kind == SessionKind.VOTE and round_.candidates_published_at is None:
            raise ProjectsError(_("Approve and publish the candidate list first."), code="unpublished")
        if kind == SessionKind.EVALUATION and not round_.projects.filter(result=Result.ELECTED).exists():
            raise ProjectsError(_("There are no elected projects to evaluate."), code="nothing")
        if not title.strip() or ends_at <= starts_at:
            raise ProjectsError(_("Give a title and a voting window that ends after it opens."), code="window")
        if not scrutineers or not counters:
            raise ProjectsError(_("Name at least one scrutineer and one counter."), code="officers")
        if any(not deputy_in_round(deputy, round_) for deputy in scrutineers):
            raise ProjectsError(_("Scrutineers must be deputies entitled to vote in this round."), code="officers")
        session = Session.objects.create(
            round=round_, kind=kind, method=method, title=title.strip(), starts_at=starts_at, ends_at=ends_at
        )
        Officer.objects.bulk_create(
            [Officer(session=session, role=OfficerRole.SCRUTINEER, deputy=d, name=d.name) for d in scrutineers]
            + [Officer(session=session, role=OfficerRole.COUNTER, name=name) for name in counters]
        )
        event(
            round_,
            EventKind.SESSION,
            gettext_lazy(
                "Session prepared: %(title)s (%(method)s); scrutineers %(scrutineers)s; counters %(counters)s."
            ),
            {
                "title": session.title,
                "method": session.get_method_display(),
                "scrutineers": "、".join(d.name for d in scrutineers),
                "counters": "、".join(counters),
            },
            session=session,
        )
        audit(user, "session.prepare", session, {"kind": kind, "method": method}, ip)
    return session


def open_session(user, session: Session, roles, *, ip=None) -> Session:
    """Fix the roll: every deputy entitled now, nobody added or removed afterwards."""
    with transaction.atomic():
        round_, session = _lock(session)
        _require(round_, session.kind, Do.OPEN_SESSION, roles)
        _status(session, SessionStatus.PREPARED)
        entries = [
            RollEntry(session=session, deputy_id=pk) for pk in entitled_deputies(round_).values_list("pk", flat=True)
        ]
        if not entries:
            raise ProjectsError(_("No deputy is entitled to vote in this round."), code="empty_roll")
        RollEntry.objects.bulk_create(entries, batch_size=1000)
        session.status = SessionStatus.OPEN
        session.save(update_fields=["status"])
        event(
            round_,
            EventKind.SESSION,
            gettext_lazy("Session opened, roll fixed: %(count)d entitled deputies."),
            {"count": len(entries)},
            session=session,
        )
        audit(user, "session.open", session, {"entitled": len(entries)}, ip)
    return session


def record_presence(user, session: Session, roles, present_ids, *, ip=None) -> Session:
    """Who is present (the whole list each time). A deputy who has voted stays present."""
    present_ids = {int(pk) for pk in present_ids}
    with transaction.atomic():
        round_, session = _lock(session)
        _require(round_, session.kind, Do.RECORD_PRESENCE, roles)
        _status(session, SessionStatus.OPEN, SessionStatus.VOTING)
        roll_ids = set(session.roll.values_list("deputy_id", flat=True))
        if not present_ids <= roll_ids:
            raise ProjectsError(_("Only deputies on the roll can be present."), code="not_on_roll")
        if session.roll.filter(voted=True).exclude(deputy_id__in=present_ids).exists():
            raise ProjectsError(_("A deputy who has voted cannot be marked absent."), code="voted")
        session.roll.filter(deputy_id__in=present_ids).update(present=True)
        session.roll.exclude(deputy_id__in=present_ids).update(present=False)
        audit(user, "session.presence", session, {"present": len(present_ids)}, ip)
    return session


def start_voting(user, session: Session, roles, *, ip=None) -> Session:
    """Voting starts only with a quorum: more than quorum_fraction of the entitled present."""
    with transaction.atomic():
        round_, session = _lock(session)
        _require(round_, session.kind, Do.START_VOTING, roles)
        _status(session, SessionStatus.OPEN)
        record = count_record(session)
        if not quorum_met(record.present, record.entitled, round_.quorum_fraction):
            raise ProjectsError(
                _("No quorum: %(present)d of %(entitled)d entitled deputies present.")
                % {"present": record.present, "entitled": record.entitled},
                code="quorum",
            )
        session.status = SessionStatus.VOTING
        session.save(update_fields=["status"])
        event(
            round_,
            EventKind.SESSION,
            gettext_lazy("Voting started: %(present)d of %(entitled)d entitled deputies present (quorum reached)."),
            {"present": record.present, "entitled": record.entitled},
            session=session,
        )
        audit(user, "session.start", session, {"present": record.present, "entitled": record.entitled}, ip)
    return session


def close_voting(user, session: Session, roles, *, ip=None) -> Session:
    """End voting; count the electronic ballots; rewrite them in a random order with new keys (see models.py)."""
    with transaction.atomic():
        round_, session = _lock(session)
        _require(round_, session.kind, Do.CLOSE_VOTING, roles)
        _status(session, SessionStatus.VOTING)
        ballots = list(Ballot.objects.filter(session=session).values_list("choices", flat=True))
        Ballot.objects.filter(session=session).delete()
        random.SystemRandom().shuffle(ballots)
        Ballot.objects.bulk_create((Ballot(session=session, choices=choices) for choices in ballots), batch_size=500)
        counts = tally_ballots(session)
        Tally.objects.bulk_create(
            Tally(
                session=session, project_id=pk, option=option, source=TallySource.ELECTRONIC, votes=counts[(pk, option)]
            )
            for pk in ballot_projects(session).values_list("pk", flat=True)
            for option in options_for(session)
            if session.has_electronic
        )
        session.electronic_ballots = len(ballots)
        session.status = SessionStatus.CLOSED
        session.save(update_fields=["electronic_ballots", "status"])
        event(
            round_,
            EventKind.SESSION,
            gettext_lazy("Voting closed: %(count)d electronic ballots."),
            {"count": len(ballots)},
            session=session,
        )
        audit(user, "session.close", session, {"electronic_ballots": len(ballots)}, ip)
    return session


def enter_paper_count(user, session: Session, roles, count: PaperCount, *, ip=None) -> Session:
    """The counters' paper count; refused unless it adds up, and once any scrutineer has signed."""
    with transaction.atomic():
        round_, session = _lock(session)
        _require(round_, session.kind, Do.ENTER_PAPER_COUNT, roles)
        _status(session, SessionStatus.CLOSED)
        if not session.has_paper:
            raise ProjectsError(_("This session has no paper ballots."), code="no_paper")
        if session.officers.filter(signed_at__isnull=False).exists():
            raise ProjectsError(_("The count record is being signed and can no longer change."), code="signed")
        projects = list(ballot_projects(session).values_list("pk", flat=True))
        if set(count.lines) != set(projects):
            raise ProjectsError(_("Enter the votes of every project on the ballot."), code="lines")
        record = count_record(session)
        errors = paper_count_errors(
            count,
            options=options_for(session),
            places=round_.places if session.kind == SessionKind.VOTE else None,
            may_issue=record.present - record.voted_electronically,
        )
        if errors:
            raise ProjectsError(errors, code="does_not_add_up")
        session.paper_issued, session.paper_returned = count.issued, count.returned
        session.paper_valid, session.paper_invalid, session.paper_blank = count.valid, count.invalid, count.blank
        session.save(update_fields=["paper_issued", "paper_returned", "paper_valid", "paper_invalid", "paper_blank"])
        session.tallies.filter(source=TallySource.PAPER).delete()
        Tally.objects.bulk_create(
            Tally(
                session=session,
                project_id=pk,
                option=option,
                source=TallySource.PAPER,
                votes=count.lines[pk].get(option, 0),
            )
            for pk in projects
            for option in options_for(session)
        )
        event(
            round_,
            EventKind.COUNT,
            gettext_lazy(
                "Paper count entered: %(issued)d issued, %(returned)d returned, %(valid)d valid, "
                "%(invalid)d invalid, %(blank)d blank."
            ),
            {
                "issued": count.issued,
                "returned": count.returned,
                "valid": count.valid,
                "invalid": count.invalid,
                "blank": count.blank,
            },
            session=session,
        )
        audit(user, "session.paper_count", session, {"issued": count.issued, "returned": count.returned}, ip)
    return session


def sign_off(user, session: Session, roles, deputy, *, ip=None, now=None) -> Officer:
    """A scrutineer signs the count record; when the last one has signed, the record is final."""
    with transaction.atomic():
        round_, session = _lock(session)
        _require(round_, session.kind, Do.SIGN_OFF, roles)
        _status(session, SessionStatus.CLOSED)
        officer = session.officers.select_for_update().filter(role=OfficerRole.SCRUTINEER, deputy=deputy).first()
        if deputy is None or officer is None:
            raise ProjectsError(_("Only the session's scrutineers sign the count record."), code="not_scrutineer")
        if officer.signed_at is not None:
            raise ProjectsError(_("You have already signed."), code="signed")
        if not count_record(session).complete:
            raise ProjectsError(_("The paper count has not been entered yet."), code="incomplete")
        officer.signed_at = now or timezone.now()
        officer.save(update_fields=["signed_at"])
        event(
            round_,
            EventKind.SIGNED,
            gettext_lazy("Count record signed by scrutineer %(name)s."),
            {"name": officer.name},
            session=session,
        )
        if not session.officers.filter(role=OfficerRole.SCRUTINEER, signed_at__isnull=True).exists():
            session.status = SessionStatus.SIGNED
            session.save(update_fields=["status"])
        audit(user, "session.sign", session, {"officer": officer.pk}, ip)
    return officer


def publish_results(user, session: Session, roles, *, ip=None) -> Session:
    """The results of a signed count: the vote's elected projects (ties flagged), or the evaluation's verdicts."""
    with transaction.atomic():
        round_, session = _lock(session)
        _require(round_, session.kind, Do.PUBLISH_RESULTS, roles)
        _status(session, SessionStatus.SIGNED)
        record = count_record(session)
        event(
            round_,
            EventKind.COUNT,
            gettext_lazy(
                "Count record: %(entitled)d entitled, %(present)d present, %(issued)d issued, "
                "%(returned)d returned, %(valid)d valid, %(invalid)d invalid, %(blank)d blank."
            ),
            vars(record),
            session=session,
        )
        projects = {project.pk: project for project, _votes in record.lines}
        if session.kind == SessionKind.VOTE:
            votes_for = {project.pk: votes[Option.FOR] for project, votes in record.lines}
            results = elect(
                votes_for, places=round_.places, present=record.present, threshold=round_.threshold_fraction
            )
            for pk, result in results.items():
                project = projects[pk]
                project.result, project.votes_for = result, votes_for[pk]
                project.save(update_fields=["result", "votes_for"])
                event(
                    round_,
                    EventKind.RESULT,
                    gettext_lazy("%(number)d. %(title)s: %(votes)d votes for — %(result)s."),
                    {
                        "number": project.number,
                        "title": project.title,
                        "votes": votes_for[pk],
                        "result": Result(result).label,
                    },
                    project=project,
                    session=session,
                )
        else:
            for project, votes in record.lines:
                project.verdict = verdict(
                    votes[Option.SATISFIED],
                    votes[Option.BASIC],
                    record.valid,
                    satisfied_fraction=round_.satisfied_fraction,
                    basic_fraction=round_.basic_fraction,
                )
                project.follow_up = project.verdict == Verdict.UNSATISFIED
                project.save(update_fields=["verdict", "follow_up"])
                event(
                    round_,
                    EventKind.VERDICT,
                    gettext_lazy(
                        "%(number)d. %(title)s: %(satisfied)d satisfied, %(basic)d basically satisfied, "
                        "%(unsatisfied)d unsatisfied — %(verdict)s."
                    ),
                    {
                        "number": project.number,
                        "title": project.title,
                        "satisfied": votes[Option.SATISFIED],
                        "basic": votes[Option.BASIC],
                        "unsatisfied": votes[Option.UNSATISFIED],
                        "verdict": Verdict(project.verdict).label,
                    },
                    project=project,
                    session=session,
                )
        session.status = SessionStatus.PUBLISHED
        session.save(update_fields=["status"])
        audit(user, "session.publish", session, {"kind": session.kind}, ip)
    return session


def decide_tie(user, round_: Round, roles, *, elected: list[Project], note: str, ip=None) -> Round:
    """The session's decision on a tie at the boundary (e.g. after a second ballot): exactly the free places."""
    with transaction.atomic():
        round_ = lock_round(round_)
        require(round_, Do.DECIDE_TIE, roles)
        tied = {p.pk: p for p in Project.objects.select_for_update().filter(round=round_, result=Result.TIE)}
        if not tied:
            raise ProjectsError(_("There is no tie to decide."), code="no_tie")
        chosen = {project.pk for project in elected}
        free = round_.places - round_.projects.filter(result=Result.ELECTED).count()
        if not chosen <= set(tied) or len(chosen) != free:
            raise ProjectsError(_("Choose exactly %(free)d of the tied projects.") % {"free": free}, code="tie_count")
        if not note.strip():
            raise ProjectsError(_("Say how the tie was decided."), code="note")
        for pk, project in tied.items():
            project.result = Result.ELECTED if pk in chosen else Result.NOT_ELECTED
            project.decision_note = note.strip()
            project.save(update_fields=["result", "decision_note"])
            event(
                round_,
                EventKind.DECISION,
                gettext_lazy("%(number)d. %(title)s: %(result)s by decision (%(note)s)."),
                {
                    "number": project.number,
                    "title": project.title,
                    "result": Result(project.result).label,
                    "note": note.strip(),
                },
                project=project,
            )
        audit(user, "round.decide_tie", round_, {"elected": sorted(chosen)}, ip)
    return round_
