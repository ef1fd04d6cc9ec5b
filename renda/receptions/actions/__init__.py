"""Every write of receptions is a named action here, one small module per part (zulip's zerver/actions/ is the model).

Each action runs in one transaction, locks the rows whose state changes (`select_for_update`), re-checks the rules
itself (renda/receptions/rules.py — a caller that skips the form is refused the same way) and writes its audit row
(renda.audit.actions.record). Messages to deputies go to the outbox inside the transaction and leave after commit.

| module | actions |
| --- | --- |
| campaigns.py | create_campaign, update_campaign, publish_campaign, finish_campaign |
| planning.py | plan_campaign (and load_planning_input, what the planner reads) |
| duties.py | add_duty, move_duty, remove_duty |
| unavailability.py | add_unavailability, remove_unavailability, deputy_cannot_come |
| absences.py | add_absence, remove_absence (absences_to_unavailability, called by planning) |
| roster.py | create_slot, update_slot, deactivate_slot, generate_slot, generate_all (a station's slots) |
|  | add_one_off, set_one_off_deputies, cancel_reception (its one-off receptions, cancelling) |
| onsite.py | check_in, record_visit, record_opinion_on_behalf (the deputy on the day) |
| attendance.py | record_attendance, record_reception_visitors (staff and keepers afterwards) |

The names below are the actions other apps call (the JSON API, the demo); inside receptions, import the module.
"""

from .absences import add_absence, remove_absence
from .attendance import record_attendance, record_reception_visitors
from .campaigns import create_campaign, finish_campaign, publish_campaign, update_campaign
from .duties import add_duty, move_duty, remove_duty
from .onsite import check_in, record_opinion_on_behalf, record_visit
from .planning import plan_campaign
from .roster import (
    add_one_off,
    cancel_reception,
    create_slot,
    deactivate_slot,
    generate_all,
    generate_slot,
    set_one_off_deputies,
    update_slot,
)
from .unavailability import add_unavailability, deputy_cannot_come, remove_unavailability

__all__ = [
    "add_absence",
    "add_duty",
    "add_one_off",
    "add_unavailability",
    "cancel_reception",
    "check_in",
    "create_campaign",
    "create_slot",
    "deactivate_slot",
    "deputy_cannot_come",
    "finish_campaign",
    "generate_all",
    "generate_slot",
    "move_duty",
    "plan_campaign",
    "publish_campaign",
    "record_attendance",
    "record_opinion_on_behalf",
    "record_reception_visitors",
    "record_visit",
    "remove_absence",
    "remove_duty",
    "remove_unavailability",
    "set_one_off_deputies",
    "update_campaign",
    "update_slot",
]
