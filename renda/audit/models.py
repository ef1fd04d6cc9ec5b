from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import chain


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit record through the ORM."""


class AuditEvent(models.Model):
    """One row per write or security event: who did what to which object, when, from where, and the result.

    Rows are only ever added (renda/audit/actions.py); saving an existing row or deleting one raises, and on
    PostgreSQL a trigger refuses UPDATE/DELETE except inside purge_audit. Each row is hash-chained (chain.py).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_path = models.CharField(_("region path"), max_length=100, blank=True, db_index=True)
    result = models.CharField(_("result"), max_length=20, default="ok")
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit records cannot be changed")
        with transaction.atomic(using=kwargs.get("using")):
            chain.lock_appends()
            last_id, last_hash = chain.chain_head(AuditEvent, AuditAnchor)
            self.pk = last_id + 1
            self.at = self.at or timezone.now()
            self.prev_hash = last_hash
            self.hash = chain.compute_hash(self, last_hash)
            kwargs["force_insert"] = True
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records cannot be deleted; use manage.py purge_audit")

    @property
    def attempted_username(self) -> str:
        """The user name typed at a sign-in attempt (login, login.failed, login.locked): for a failure the account
        under attack, which the actor (nobody) does not tell."""
        if self.action == "login" or self.action.startswith("login."):
            return str((self.changes or {}).get("username", ""))
        return ""


class AuditAnchor(models.Model):
    """Where the chain starts: the id and hash of the last record purged (retention), so the rest stays verifiable.

    chained_from: the highest id when the chain was introduced; id gaps below it predate the chain and are accepted.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    last_id = models.BigIntegerField(_("last purged ID"), default=0)
    last_hash = models.CharField(_("last purged hash"), max_length=64, blank=True)
    chained_from = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain anchor")
        verbose_name_plural = _("audit chain anchors")

    def __str__(self):
        return f"{self.last_id} {self.last_hash[:12]}"
