from django_tasks import task


@task()
def route_suggestion_event_task(event_pk: int) -> int:
    """Route a suggestion event to its audiences in the task worker, off the request that caused it."""
    from .notify import route_event

    return route_event(event_pk)
