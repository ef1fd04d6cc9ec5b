"""Whose messages a user reads: their own in-site messages, nothing else (another's message is missing, 404)."""

from .models import Channel, Message


def site_messages_for(user):
    return Message.objects.filter(user=user, channel=Channel.SITE)
