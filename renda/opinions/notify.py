"""Hand an opinion event to the outbox, in the background; opinions/routing.py decides who hears of it.

Called inside the event's transaction: the queued task commits with the event or not at all, and the worker
(`manage.py db_worker`) only sees it after the commit. Routing reads grants and writes several outbox rows, so the
request that caused the event pays for one queued task row instead. Tests use the immediate backend, so there routing
happens at once, inside the same transaction.
"""

ROUTER = "opinions.event"  # registered with the outbox in apps.py: routing.route_event


def notify_event(event_pk: int) -> None:
    from renda.notifications.tasks import route_task

    route_task.enqueue(ROUTER, event_pk)  # runs routing.route_event, registered in apps.py


def queued_row(event_row: int):
    """The queued task that routes an event, as a row for `core.rowchain` to insert in the same statement as the
    event at position `event_row`; None when the tasks backend keeps no queue in the database (then `notify_event`)."""
    from renda.notifications.tasks import route_row

    return route_row(ROUTER, event_row)
