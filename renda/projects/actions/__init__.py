"""Every write on livelihood projects: one function per change, one transaction, the changed rows locked, the rule
re-checked against the locked rows (phases.GRID first), a public RoundEvent where the issue asks for history, and an
audit record. Forms and the API only translate input into these calls.

- rounds.py: create a round with its phase dates, move to the next phase
- proposals.py: propose, support ("mine too"), promote an opinion, screen
- candidates.py: the candidate list and its publication
- sessions.py: prepare, open (fix the roll), presence, start and close voting, the paper count, sign-off, results
- voting.py: casting an electronic ballot
"""

from .common import ProjectsError

__all__ = ["ProjectsError"]
