"""Submitting a suggestion (a deputy) or a proposal (a CPPCC member), with joint signers and source opinions."""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.opinions.access import opinions_for
from renda.opinions.actions import TransitionError as OpinionTransitionError
from renda.opinions.actions import perform as opinion_perform
from renda.opinions.workflow import Action as OpinionAction
from renda.opinions.workflow import State as OpinionState

from .. import deadlines, sessions
from ..access import submitter_identity
from ..models import Signature, Suggestion
from ..workflow import Action, Actor, Kind, State
from .common import MAX_ATTACHMENTS, write_event
from .errors import TransitionError

MAX_SIGNERS = 30


def _signer_name(user, kind):
    deputy, member = submitter_identity(user)
    if kind == Kind.CONGRESS and deputy is not None:
        return deputy.name
    if kind == Kind.CPPCC and member is not None:
        return member.name
    return None


def submit(
    user,
    *,
    title: str,
    category,
    text: str,
    signers=(),
    opinions=(),
    attachments=(),
    submitter_type: str = Suggestion.SubmitterType.PERSON,
    group_name: str = "",
    ip=None,
) -> Suggestion:
    """Create the item. With joint signers it waits for their signatures until the signing deadline."""
    deputy, member = submitter_identity(user)
    if deputy is None and member is None:
        raise TransitionError(_("Only deputies and CPPCC members can submit suggestions or proposals."))
    kind = Kind.CONGRESS if deputy is not None else Kind.CPPCC
    periods = settings.SUGGESTION_PERIODS[kind]
    region = deputy.electoral_region if deputy is not None else member.region
    in_session = sessions.in_session(kind, region, timezone.localdate())
    if not periods["open"] or not (in_session or periods.get("between_sessions", True)):
        raise TransitionError(_("Submissions are closed at present."))
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise TransitionError(_("Write a title and the text."))
    if category is None or category.kind != kind:
        raise TransitionError(_("Choose a category."))
    if len(attachments) > MAX_ATTACHMENTS:
        raise TransitionError(_("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
    signer_users = list(dict.fromkeys(u for u in signers if u.pk != user.pk))
    if len(signer_users) > MAX_SIGNERS:
        raise TransitionError(_("Invite at most %(count)d joint signers.") % {"count": MAX_SIGNERS})
    names = {}
    for signer in signer_users:
        name = _signer_name(signer, kind)
        if name is None:
            raise TransitionError(_("Joint signers must be deputies (for a suggestion) or members (for a proposal)."))
        names[signer.pk] = name
    visible = opinions_for(user)
    with transaction.atomic():
        now = timezone.now()
        person = deputy or member
        suggestion = Suggestion(
            kind=kind,
            number=f"tmp-{uuid.uuid4().hex[:16]}",  # 20 characters: the column's width
            year=timezone.localdate(now).year,
            region=region,
            title=title[:200],
            category=category,
            text=text,
            author=user,
            submitter_type=submitter_type,
            submitter_name=(group_name.strip()[:100] or person.name)
            if submitter_type != Suggestion.SubmitterType.PERSON
            else person.name,
            deputy=deputy,
            member=member,
            status=State.SIGNING if signer_users else State.SUBMITTED,
            during_session=in_session,
            created=now,
        )
        if signer_users:
            suggestion.sign_deadline = deadlines.period_end(kind, "sign", now)
        suggestion.due_at = deadlines.due_for_state(suggestion, suggestion.status)
        suggestion.save()
        suggestion.number = f"{'J' if kind == Kind.CONGRESS else 'T'}{suggestion.year}-{suggestion.pk:06d}"
        suggestion.save(update_fields=["number"])
        for signer in signer_users:
            Signature.objects.create(suggestion=suggestion, user=signer, name=names[signer.pk])
        for opinion in opinions:
            if not visible.filter(pk=opinion.pk).exists():
                raise TransitionError(_("You cannot link an opinion you do not handle."))
            if opinion.status != OpinionState.SUGGESTION:
                try:
                    opinion_perform(
                        user,
                        opinion.pk,
                        OpinionAction.TO_SUGGESTION,
                        note=_("Taken up in %(number)s.") % {"number": suggestion.number},
                        ip=ip,
                    )
                except OpinionTransitionError as error:
                    raise TransitionError(str(error)) from error
            suggestion.opinions.add(opinion)
        write_event(suggestion, Action.SUBMIT, before="", user=user, role=Actor.AUTHOR, attachments=attachments, ip=ip)
    return suggestion
