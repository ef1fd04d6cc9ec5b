"""Every write on an activity, its invitations, files and problem items. Each is one transaction, locks the rows it
changes (select_for_update), re-checks the transition table in workflow.py and every rule for the row as it is now
(so a stale page cannot act twice), writes an audit record, and queues its notifications with the transaction.

- `planning`: create, edit (optimistic `version`), invite (the organiser's region only), publish, cancel, finish;
- `answers`: an invitee's answer (before the activity starts), the organiser's attendance sheet (once it started);
- `reports`: findings, report and files; a participant's self-recorded activity, confirmed or rejected;
- `problems`: problems recorded, compiled, pushed to handling as opinions or linked to a suggestion (once).
"""

from ..errors import ActivityError

__all__ = ["ActivityError"]
