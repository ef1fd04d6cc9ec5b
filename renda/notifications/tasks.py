from django_tasks import task

from .routing import route_event


@task()
def route_event_task(event_pk: int) -> int:
    """Route an opinion event to its audiences in the task worker, off the request that caused it."""
    return route_event(event_pk)
