"""The outbox: every message to a person is a row first, sent later by `manage.py send_notifications`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renda.core.crypto import EncryptedCharField


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat template message")
    EMAIL = "email", _("email")
    SITE = "site", _("in-site message")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", pgettext_lazy("message status", "failed")


class Message(models.Model):
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        null=True,
        blank=True,
        related_name="messages",
        on_delete=models.CASCADE,
    )
    phone = EncryptedCharField(_("recipient phone"), blank=True)
    address = models.CharField(_("recipient address"), max_length=200, blank=True)  # email or WeChat openid
    template = models.CharField(_("template"), max_length=60)
    context = models.JSONField(_("context"), default=dict)
    # One message per event and recipient: enqueueing the same key twice keeps the first (idempotent jobs).
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["user", "channel", "-id"])]

    def __str__(self):
        return f"{self.channel} {self.template} {self.status}"
