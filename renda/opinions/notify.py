"""Hand an opinion event to the notifications module, in the background.

Called inside the event's transaction: the queued task commits with the event or not at all, and the worker
(`manage.py db_worker`) only sees it after the commit. Routing reads grants and writes several outbox rows, so the
request that caused the event pays for one queued task row instead. Tests use the immediate backend, so there routing
happens at once, inside the same transaction.
"""


def notify_event(event_pk: int) -> None:
    from renda.notifications.tasks import route_event_task

    route_event_task.enqueue(event_pk)
