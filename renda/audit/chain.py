"""The hash chain over audit records: canonical serialisation, appending under a lock, verification.

Each record stores the hash of the record before it (prev_hash) and its own hash = SHA-256 over its canonical
fields plus prev_hash. Ids are assigned here (previous id + 1) under the append lock, so a gap in ids means rows
were removed; a database sequence would leave gaps on every rolled-back transaction.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection

# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
APPEND_LOCK_KEY = 4_172_020_004


def canonical(event) -> str:
    at = event.at.astimezone(datetime.UTC).isoformat() if event.at else ""
    fields = [
        str(event.pk),
        at,
        str(event.actor_id or ""),
        event.actor_name or "",
        event.ip or "",
        event.action or "",
        event.object_type or "",
        event.object_id or "",
        event.object_repr or "",
        event.region_path or "",
        event.result or "",
        json.dumps(event.changes or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def compute_hash(event, prev_hash: str) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(event)).encode()).hexdigest()


def chain_head(model, anchor_model, using=None) -> tuple[int, str]:
    """(id, hash) of the record a new one links to; the caller holds the append lock."""
    last = model.objects.using(using).order_by("-id").values_list("id", "hash").first()
    if last is not None:
        return last
    anchor = anchor_model.objects.using(using).order_by("-id").values_list("last_id", "last_hash").first()
    return anchor or (0, "")


def lock_appends(using=None):
    """Serialise appends. PostgreSQL: a transaction-scoped advisory lock (works on an empty table, unlike locking
    the last row, and sees rows committed while waiting). SQLite: writers are already serialised by its write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


@dataclass
class Problem:
    kind: str  # "altered", "inserted" or "deleted"
    record_id: int
    detail: str


def verify(model, anchor_model, using=None) -> tuple[int, Problem | None]:
    """Walk the chain in id order from the anchor; return (records checked, the first problem or None).

    altered: the stored hash differs from the recomputed one (a field, or prev_hash itself, was changed);
    deleted: the link to the previous record is broken and ids skip (the missing ids were removed);
    inserted: the link is broken but ids are contiguous (a record that was not appended through the chain).
    """
    anchor = anchor_model.objects.using(using).order_by("-id").first()
    prev_id, prev_hash = (anchor.last_id, anchor.last_hash) if anchor else (None, "")
    checked = 0
    for event in model.objects.using(using).order_by("id").iterator(chunk_size=2000):
        if compute_hash(event, event.prev_hash) != event.hash:
            return checked, Problem("altered", event.pk, "stored hash does not match the record's fields")
        gap = prev_id is not None and event.pk != prev_id + 1
        if event.prev_hash != prev_hash:
            if gap:
                return checked, Problem("deleted", prev_id + 1, f"records {prev_id + 1}..{event.pk - 1} are missing")
            return checked, Problem("inserted", event.pk, "does not link to the previous record")
        if gap and prev_id >= (anchor.chained_from if anchor else 0):
            return checked, Problem("deleted", prev_id + 1, f"records {prev_id + 1}..{event.pk - 1} are missing")
        prev_id, prev_hash = event.pk, event.hash
        checked += 1
    return checked, None
