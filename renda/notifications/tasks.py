from django_tasks import task

from .registry import route


@task()
def route_task(router: str, pk: int) -> int:
    """Run a domain's registered router (registry.py) in the task worker, off the request that caused the event."""
    return route(router, pk)
