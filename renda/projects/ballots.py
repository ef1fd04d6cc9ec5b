"""Electronic ballots: the canonical form of a ballot's choices, the voter's commitment and receipt code.

The phone makes a random secret (static/projects/vote.js, 128 bits from crypto.getRandomValues) and sends it with the
choices. The server stores `commitment = sha256(canonical(choices) + secret)` under a random receipt code and forgets
the secret; the phone keeps it and shows it with the receipt. The published ballot list shows every receipt with its
commitment, and separately, in random order, every ballot's choices. So:

- a voter who kept the secret recomputes the commitment from their choices and finds it next to their receipt code
  (the server recorded what they chose, at the moment they chose it);
- anyone recounts the tally from the published choices, and checks that there are as many ballots as receipts and
  as deputies marked as having voted;
- nobody can tell from the published lists which deputy cast which ballot, and the secret is too long to guess, so a
  commitment says nothing about the choices behind it.

What it cannot do (docs/projects.md): it does not prove that the published choices *include* a given voter's ballot
(they carry no commitment, by design: that would link a receipt to its choices); a voter who hands over receipt and
secret can prove how they voted to whoever pressures them — sessions that need resistance to that vote on paper.
"""

import hashlib
import json
import secrets

from renda.core.codes import ALPHABET

RECEIPT_LENGTH = 10
SECRET_MIN_LENGTH = 16
SECRET_MAX_LENGTH = 128


def canonical(choices: dict) -> str:
    """The choices as the one JSON text everyone hashes: keys as strings, sorted, no spaces."""
    return json.dumps({str(key): value for key, value in choices.items()}, sort_keys=True, separators=(",", ":"))


def commitment(choices: dict, secret: str) -> str:
    return hashlib.sha256((canonical(choices) + secret).encode()).hexdigest()


def new_secret() -> str:
    """A secret for a phone that sent none (no JavaScript): then the server saw it once; the voter is told so."""
    return secrets.token_hex(16)


def new_receipt_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_LENGTH))


def valid_secret(secret: str) -> bool:
    return (
        SECRET_MIN_LENGTH <= len(secret) <= SECRET_MAX_LENGTH
        and secret.isascii()
        and all(ch.isalnum() or ch in "-_" for ch in secret)
    )
