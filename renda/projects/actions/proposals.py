"""Solicitation (群众点菜) and screening: proposals from constituents, deputies, units, staff and opinions."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.codes import unique_code

from ..models import EventKind, Proposal, ProposalStatus, ProposalSupporter, Round, SetAsideReason, Source
from ..phases import Do, Role
from ..search import bigrams
from .common import ProjectsError, audit, event, lock_round, require

SOURCE_OF_ROLE = {
    Role.PUBLIC: Source.CONSTITUENT,
    Role.DEPUTY: Source.DEPUTY,
    Role.UNIT: Source.UNIT,
    Role.STAFF: Source.STAFF,
}


def _clean(value: str) -> str:
    return (value or "").strip()


def propose(
    round_: Round,
    *,
    role: str,
    roles,
    title: str,
    description: str,
    place: str = "",
    reason: str = "",
    user=None,
    deputy=None,
    unit=None,
    station=None,
    name: str = "",
    phone: str = "",
    consent: bool = False,
    client_token: str | None = None,
    ip=None,
) -> Proposal:
    """A new proposal. A repeated submission with the same client token returns the first one (a double tap)."""
    if role not in roles:
        raise ProjectsError(_("You cannot propose in this role."), code="role")
    title, description = _clean(title), _clean(description)
    if not title or not description:
        raise ProjectsError(_("Give a title and say what should be done."), code="empty")
    if (name or phone) and not consent:
        raise ProjectsError(_("Agree to be contacted, or leave your name and phone out."), code="consent")
    if client_token:
        existing = Proposal.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            round_ = lock_round(round_)
            require(round_, Do.PROPOSE, {role})
            proposal = Proposal.objects.create(
                round=round_,
                tracking_code=unique_code(Proposal, "tracking_code", 8),
                client_token=client_token or None,
                title=title,
                description=description,
                place=_clean(place),
                reason=_clean(reason),
                source=SOURCE_OF_ROLE[role],
                deputy=deputy if role == Role.DEPUTY else None,
                unit=unit if role == Role.UNIT else None,
                station=station,
                submitter_name=_clean(name) if consent else "",
                submitter_phone=_clean(phone) if consent else "",
                consent=consent,
                search_text=bigrams(f"{title} {description} {place}"),
            )
            event(
                round_,
                EventKind.PROPOSED,
                gettext_lazy("Proposed (%(source)s): %(title)s"),
                {"source": proposal.get_source_display(), "title": title},
                proposal=proposal,
            )
            audit(user, "proposal.create", proposal, {"source": proposal.source}, ip)
    except IntegrityError:
        existing = Proposal.objects.filter(client_token=client_token).first() if client_token else None
        if existing is None:
            raise
        return existing
    return proposal


def support(proposal: Proposal, *, name: str = "", phone: str = "", consent: bool = False, client_token=None):
    """ "Mine too": a constituent joins a proposal instead of filing a duplicate."""
    if (name or phone) and not consent:
        raise ProjectsError(_("Agree to be contacted, or leave your name and phone out."), code="consent")
    if client_token:
        existing = ProposalSupporter.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        round_ = lock_round(proposal.round)
        require(round_, Do.SUPPORT, {Role.PUBLIC})
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if client_token and ProposalSupporter.objects.filter(client_token=client_token).exists():
            return ProposalSupporter.objects.get(client_token=client_token)
        if proposal.status not in (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED):
            raise ProjectsError(_("This proposal is no longer open; please make your own."), code="closed")
        supporter = ProposalSupporter.objects.create(
            proposal=proposal,
            client_token=client_token or None,
            name=_clean(name) if consent else "",
            phone=_clean(phone) if consent else "",
        )
        proposal.supporters_count += 1
        proposal.save(update_fields=["supporters_count"])
    return supporter


def promote_opinion(user, round_: Round, opinion, roles, *, title: str = "", ip=None) -> Proposal:
    """An opinion already in the inbox becomes a proposal that links back to it (the opinion itself is unchanged).

    The caller fetched `opinion` through opinions.access; the opinion must lie in the round's region."""
    with transaction.atomic():
        round_ = lock_round(round_)
        require(round_, Do.PROMOTE_OPINION, roles)
        if not round_.region.contains_path(opinion.region.path):
            raise ProjectsError(_("This opinion is from outside the round's region."), code="region")
        if Proposal.objects.filter(round=round_, opinion=opinion).exists():
            raise ProjectsError(_("This opinion is already a proposal in this round."), code="duplicate")
        text = opinion.text
        proposal = Proposal.objects.create(
            round=round_,
            tracking_code=unique_code(Proposal, "tracking_code", 8),
            title=_clean(title) or text[:40],
            description=text,
            place=opinion.place,
            source=Source.OPINION,
            opinion=opinion,
            station=opinion.station,
            search_text=bigrams(f"{title} {text} {opinion.place}"),
        )
        event(
            round_,
            EventKind.PROPOSED,
            gettext_lazy("Proposed from opinion %(code)s: %(title)s"),
            {"code": opinion.tracking_code, "title": proposal.title},
            proposal=proposal,
        )
        audit(user, "proposal.promote", proposal, {"opinion": opinion.pk}, ip)
    return proposal


def screen(
    user,
    proposal: Proposal,
    roles,
    *,
    decision: str,
    reason: str = "",
    note: str = "",
    merged_into: Proposal | None = None,
    ip=None,
) -> Proposal:
    """Accept into the pool, merge into another proposal, or set aside with a reason; public either way."""
    with transaction.atomic():
        round_ = lock_round(proposal.round)
        require(round_, Do.SCREEN, roles)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if decision == ProposalStatus.ACCEPTED:
            reason, merged_into = "", None
        elif decision == ProposalStatus.SET_ASIDE:
            if reason not in SetAsideReason.values:
                raise ProjectsError(_("Say why the proposal is set aside."), code="reason")
            merged_into = None
        elif decision == ProposalStatus.MERGED:
            merged_into = Proposal.objects.filter(pk=getattr(merged_into, "pk", None)).first()
            if merged_into is None or merged_into.round_id != round_.pk or merged_into.pk == proposal.pk:
                raise ProjectsError(_("Choose another proposal of this round to merge into."), code="merge")
            if merged_into.status != ProposalStatus.ACCEPTED:
                raise ProjectsError(_("Merge only into a proposal accepted into the pool."), code="merge")
            reason = ""
        else:
            raise ProjectsError(_("Choose accept, merge or set aside."), code="decision")
        before = proposal.status
        proposal.status = decision
        proposal.set_aside_reason = reason
        proposal.merged_into = merged_into
        proposal.screening_note = _clean(note)
        proposal.save(update_fields=["status", "set_aside_reason", "merged_into", "screening_note"])
        if decision == ProposalStatus.SET_ASIDE:
            message, params = (
                gettext_lazy("%(title)s: set aside (%(reason)s)."),
                {"title": proposal.title, "reason": SetAsideReason(reason).label},
            )
        elif decision == ProposalStatus.MERGED:
            message, params = (
                gettext_lazy("%(title)s: merged into %(other)s."),
                {"title": proposal.title, "other": merged_into.title},
            )
        else:
            message, params = gettext_lazy("%(title)s: accepted into the pool."), {"title": proposal.title}
        event(round_, EventKind.SCREENED, message, params, proposal=proposal)
        audit(user, "proposal.screen", proposal, {"status": [before, decision], "reason": reason}, ip)
    return proposal
