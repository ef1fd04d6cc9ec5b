"""The floor's only table: rate-limit counters (renda/core/ratelimit.py), shared by every worker process."""

from django.db import models


class RateCounter(models.Model):
    """One fixed window's count for one limit and one client, e.g. submissions from one address in this hour.

    The key is a hash (no IP address or cookie is stored in clear) that includes the window's slot, so a new window is
    a new row; `expires` (Unix seconds) lets old rows be deleted. Rows are counted with one atomic upsert. On
    PostgreSQL the table is UNLOGGED (migration 0002): a crash empties it, and no hit waits for a WAL flush.
    """

    key = models.CharField(max_length=64, primary_key=True)
    hits = models.IntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.hits}"
