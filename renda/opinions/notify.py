"""Hand an opinion event to the notifications module, in the background.

Called after the event's transaction commits. Routing reads grants and writes several outbox rows, so it runs in the
task worker (`manage.py db_worker`); the request that caused the event pays for one queued task. Tests use the
immediate backend, so there routing happens at once.
"""


def notify_event(event_pk: int) -> None:
    from renda.notifications.tasks import route_event_task

    route_event_task.enqueue(event_pk)
