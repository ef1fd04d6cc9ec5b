"""Casting an electronic ballot: one step, once, in the window, by a present deputy on the roll.

One vote per deputy is the roll entry: it is locked (select_for_update) and then flipped from not-voted to voted by
a conditional UPDATE, so two casts racing for the same deputy produce exactly one ballot on PostgreSQL and SQLite
alike — the second finds the row already flipped and is refused, and its transaction writes nothing.
The ballot and the receipt carry no reference to the deputy, to each other, or to the time (models.py).
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ballots import commitment, new_receipt_code, valid_secret
from ..counting import ballot_projects, options_for
from ..models import Ballot, Option, Receipt, RollEntry, Session, SessionKind, SessionStatus
from ..phases import Do
from .common import ProjectsError, audit, require
from .sessions import PHASE_OF_KIND


@dataclass(frozen=True)
class CastReceipt:
    code: str
    commitment: str
    choices: dict


def _share_lock(session: Session) -> None:
    """Casts share the session row (many at once); closing the vote locks it exclusively, so it waits for the casts
    in flight and no cast lands after the count. SQLite has one writer at a time and needs no row lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {Session._meta.db_table} WHERE id = %s FOR SHARE", [session.pk])


def check_choices(session: Session, choices: dict, places: int) -> dict:
    """The choices as stored: one allowed option for every project on the ballot, at most `places` "for"."""
    projects = {str(pk) for pk in ballot_projects(session).values_list("pk", flat=True)}
    choices = {str(key): value for key, value in choices.items()}
    if set(choices) != projects:
        raise ProjectsError(_("Choose an answer for every project on the ballot."), code="incomplete")
    allowed = set(options_for(session))
    if any(value not in allowed for value in choices.values()):
        raise ProjectsError(_("A choice is not one of the ballot's options."), code="option")
    if session.kind == SessionKind.VOTE:
        votes_for = sum(1 for value in choices.values() if value == Option.FOR)
        if votes_for > places:
            raise ProjectsError(
                _("At most %(places)d projects may get your vote for; you chose %(count)d.")
                % {"places": places, "count": votes_for},
                code="too_many",
            )
    return choices


def cast(user, session: Session, deputy, roles, choices: dict, secret: str, *, now=None, ip=None) -> CastReceipt:
    now = now or timezone.now()
    if not valid_secret(secret):
        raise ProjectsError(_("The ballot's secret is missing or malformed; reload the page."), code="secret")
    with transaction.atomic():
        _share_lock(session)
        session = Session.objects.select_related("round__region").get(pk=session.pk)
        round_ = session.round
        require(round_, Do.CAST, roles)
        entry = RollEntry.objects.select_for_update().filter(session_id=session.pk, deputy=deputy).first()
        if deputy is None or entry is None:
            raise ProjectsError(_("You are not on this session's roll."), code="not_on_roll")
        if round_.phase != PHASE_OF_KIND[session.kind]:
            raise ProjectsError(_("This session belongs to another phase of the round."), code="phase")
        if session.status != SessionStatus.VOTING or not session.has_electronic:
            raise ProjectsError(_("Electronic voting is not open in this session."), code="not_voting")
        if not session.starts_at <= now <= session.ends_at:
            raise ProjectsError(_("Outside the voting window."), code="window")
        if not entry.present:
            raise ProjectsError(_("Only deputies recorded as present may vote."), code="absent")
        if entry.voted:
            raise ProjectsError(_("You have already voted in this session."), code="twice")
        choices = check_choices(session, choices, round_.places)
        if RollEntry.objects.filter(pk=entry.pk, voted=False).update(voted=True) != 1:
            raise ProjectsError(_("You have already voted in this session."), code="twice")
        Ballot.objects.create(session=session, choices=choices)
        receipt = Receipt.objects.create(
            session=session, code=new_receipt_code(), commitment=commitment(choices, secret)
        )
        # Who voted is public knowledge at a session; how is not: the audit record names the roll entry only.
        audit(user, "ballot.cast", session, {"roll_entry": entry.pk}, ip)
    return CastReceipt(code=receipt.code, commitment=receipt.commitment, choices=choices)
