"""Which messages an opinion event causes (being written: the notifications work replaces this module)."""


def route_event(event_pk: int) -> None:
    return None
