"""Helpers shared by the actions: the locked row, the table check, the audit row, the notification."""

from django.utils.translation import gettext as _

from renda.audit.actions import record

from ..access import roles_on
from ..errors import ActivityError
from ..models import Activity
from ..workflow import TRANSITIONS, Action


def lock(pk) -> Activity:
    activity = Activity.objects.select_for_update().filter(pk=pk).first()
    if activity is None:
        raise ActivityError(_("This activity no longer exists."), "state")
    # The region (for the scope check) is read after the lock: it never changes under us.
    activity.region  # noqa: B018
    return activity


def check(user, activity, action: str, invitation=None) -> set[str]:
    """Refuse unless one of the user's roles may take `action` in the activity's current state; returns the roles."""
    sources, _target, allowed_roles = TRANSITIONS[action]
    roles = roles_on(user, activity, invitation)
    if not roles & allowed_roles:
        if action == Action.ATTENDANCE:
            raise ActivityError(_("Only the organiser records attendance (谁组织谁记录)."), "role")
        raise ActivityError(_("You may not do this for this activity."), "role")
    if activity.status not in sources:
        raise ActivityError(
            _("This cannot be done while the activity is %(status)s.") % {"status": activity.get_status_display()},
            "state",
        )
    return roles


def audit(user, action: str, obj, activity, changes=None, ip=None):
    record(user, f"activity.{action}", obj, region=activity.region, changes=changes or {}, ip=ip)


def notify(activity_pk: int) -> None:
    """Queue the routing of the activity's messages (invitations, cancellation) with the transaction."""
    from renda.notifications.tasks import route_task

    from ..notify import ROUTER

    route_task.enqueue(ROUTER, activity_pk)
