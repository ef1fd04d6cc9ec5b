"""Keys that let third-party Open311 clients submit service requests (GeoReport v2 `api_key`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiKey(models.Model):
    """Only the SHA-256 of the key is stored: the key itself is shown once, when it is issued.

    A fast hash is enough: keys are 32 random bytes, not passwords a person chose, so there is nothing to brute-force.
    """

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # The first characters of the key, so staff can tell keys apart without the key itself.
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(pgettext_lazy("time of", "revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
