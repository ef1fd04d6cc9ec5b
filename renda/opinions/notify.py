"""Who hears of an opinion event, on which channel, with which template (filled by the notifications work)."""


def notify_event(event_pk: int) -> None:
    """Queue the messages an event causes. Replaced by the notifications module's routing."""
    from renda.notifications.routing import route_event

    route_event(event_pk)
