"""A person's calendar feed: the secret address phone calendars subscribe to (RFC 5545).

Only the SHA-256 of the address's token is stored, as for API tokens: the address is shown once when it is made, and
a lost or leaked address is replaced by making a new one (the old stops working at once).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Feed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), related_name="calendar_feed", on_delete=models.CASCADE
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user}"
