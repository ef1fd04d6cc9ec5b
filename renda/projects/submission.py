"""A constituent's proposal, the one path of the phone form and the public API: the per-address limit checked and
counted in one step (renda/core/ratelimit.py, LIMIT_PROPOSE_PER_IP_HOUR), then the action; a refused proposal gives
its hit back. Each channel only translates its input (a valid ProposalForm) and its output."""

from django.utils.translation import gettext as _

from renda.core.ratelimit import Limit

from .actions import ProjectsError, proposals
from .phases import Role

PROPOSE_PER_IP = Limit("projects-propose-ip", "LIMIT_PROPOSE_PER_IP_HOUR", 3600)


def propose_public(round_, cleaned: dict, *, ip: str, station=None):
    """File the proposal of a valid ProposalForm's `cleaned` data; ProjectsError (code "rate_limited" when the
    address has used up its hour) if refused, nothing counted or written then."""
    if not PROPOSE_PER_IP.hit(ip):
        raise ProjectsError(
            _("Too many proposals from this network in the last hour; please try later."), code="rate_limited"
        )
    try:
        return proposals.propose(
            round_,
            role=Role.PUBLIC,
            roles={Role.PUBLIC},
            title=cleaned["title"],
            description=cleaned["description"],
            place=cleaned["place"],
            reason=cleaned["reason"],
            name=cleaned["name"],
            phone=cleaned["phone"],
            consent=cleaned["consent"],
            client_token=cleaned["client_token"],
            station=station,
        )
    except ProjectsError:
        PROPOSE_PER_IP.undo(ip)
        raise
