"""Every write on a suggestion or proposal. Each is one transaction, locks the rows it changes, writes an Event and an
audit record, and queues its notifications with the transaction (the worker sees them only after the commit).

- `submitting.submit`: a deputy or CPPCC member submits, with joint signers invited and source opinions linked;
- `handling.perform`: the one door for every transition of the table in workflow.py, whoever takes it;
- `handling.system_transition`: the deadline job's transitions (lapsing the signing, closing the rating period);
- `reports`: 社情民意 reports.
"""

from .errors import TransitionError
from .handling import perform, system_transition
from .submitting import submit

__all__ = ["TransitionError", "perform", "submit", "system_transition"]
