"""Similar proposals while typing: the round's open proposals sharing the most character bigrams with the text.

A round has hundreds of proposals, not millions: the newest CANDIDATES open ones are read and ranked in Python by
shared bigrams (the same tokens as opinion search, renda/opinions/search.py).
"""

from renda.opinions.search import bigrams, tokens

from .models import Proposal, ProposalStatus

MIN_CHARS = 4
LIMIT = 5
CANDIDATES = 500
SUPPORTABLE = (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED)

__all__ = ["bigrams", "similar_proposals"]


def similar_proposals(round_, text: str, *, limit: int = LIMIT) -> list[Proposal]:
    text = (text or "").strip()
    if len(text) < MIN_CHARS:
        return []
    wanted = set(tokens(text))
    if not wanted:
        return []
    rows = (
        Proposal.objects.filter(round=round_, status__in=SUPPORTABLE)
        .only("id", "title", "description", "place", "supporters_count", "search_text", "tracking_code", "created")
        .order_by("-created", "-id")[:CANDIDATES]
    )
    scored = []
    for proposal in rows:
        score = len(wanted.intersection(proposal.search_text.split()))
        if score >= 2:
            scored.append((score, proposal))
    scored.sort(key=lambda pair: -pair[0])
    return [proposal for _score, proposal in scored[:limit]]
