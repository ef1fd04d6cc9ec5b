"""What every action shares: the refusal, the grid check, the round's public history and the audit record."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from renda.audit.actions import record
from renda.workdays.calendar import CHINA

from ..models import Round, RoundEvent
from ..phases import allowed


class ProjectsError(ValidationError):
    """The request was refused; the message says why in the user's language. Nothing was changed.

    `code` names the rule, also when several messages are given (a count that does not add up lists every reason).
    """

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        if not hasattr(self, "code"):
            self.code = code


def china_today(now):
    return now.astimezone(CHINA).date()


def lock_round(round_: Round) -> Round:
    return Round.objects.select_for_update(of=("self",)).select_related("region").get(pk=round_.pk)


def require(round_: Round, action: str, roles) -> None:
    """Refuse unless one of `roles` may take `action` in the round's current phase (phases.GRID)."""
    if not allowed(round_.phase, action, roles):
        raise ProjectsError(
            _("This cannot be done by you while the round is in the phase “%(phase)s”.")
            % {"phase": round_.get_phase_display()},
            code="phase",
        )


def event(round_: Round, kind: str, message, params=None, *, project=None, proposal=None, session=None) -> RoundEvent:
    """One line of the round's public history, written in Chinese whatever the actor's language (it is public).

    `message` is a lazy translation; `params` fill it inside the Chinese override."""
    with translation.override("zh-hans"):
        text = str(message) % params if params else str(message)
        return RoundEvent.objects.create(
            round=round_, kind=kind, text=text, project=project, proposal=proposal, session=session
        )


def audit(user, action: str, obj, changes=None, ip=None):
    return record(user, f"projects.{action}", obj, changes=changes or {}, ip=ip)
