"""Senders: how a queued message leaves the building, one class per channel, chosen in settings.

The interface is one method, `send(message) -> None`, which raises on failure (the outbox then retries with
back-off). `settings.NOTIFICATION_SENDERS` maps each channel to a dotted class path; a real SMS gateway or the
WeChat template-message API is a class with this method, added without touching the outbox: Alibaba Cloud SMS is
`renda.notifications.aliyun_sms.AliyunSmsSender`, WeChat template messages `renda.wechat.senders.TemplateSender`.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from renda.core.crypto import mask_phone

from .texts import render_body

log = logging.getLogger("renda.notifications")


class SendError(Exception):
    """The message could not be delivered now (no address, gateway refused, …); it will be retried."""


class PermanentSendError(SendError):
    """The message can never be delivered as it is (no phone, a number the gateway calls invalid, a text it will
    always refuse): the outbox marks it failed at once instead of retrying it for hours."""


class Sender:
    def send(self, message) -> None:  # pragma: no cover - the interface
        raise NotImplementedError


class LogSender(Sender):
    """Development and intranets without a gateway: the message goes to the log (phone masked)."""

    def send(self, message) -> None:
        recipient = mask_phone(message.phone) or message.address or (message.user_id and f"user {message.user_id}")
        log.info("[%s to %s] %s", message.channel, recipient, render_body(message))


class SiteSender(Sender):
    """In-site messages are already where they belong (the recipient's message page): delivery is marking them."""

    def send(self, message) -> None:
        if message.user_id is None:
            raise SendError("an in-site message needs a recipient account")


class EmailSender(Sender):
    """Through Django's email backend (EMAIL_* settings); the address is the message's or the account's."""

    def send(self, message) -> None:
        address = message.address or (message.user.email if message.user_id else "")
        if not address:
            raise SendError("no email address")
        body = render_body(message)
        send_mail(body.splitlines()[0][:60], body, None, [address])


def sender_for(channel: str) -> Sender:
    try:
        path = settings.NOTIFICATION_SENDERS[channel]
    except KeyError:
        raise SendError(f"no sender configured for channel {channel!r}") from None
    return import_string(path)()
