"""Routers that the domains register at app-ready time: the outbox knows no domain (docs/architecture.md, "Layers").

Who hears of a domain event, on which channel, is the domain's own rule: opinions owns `opinions/routing.py`, which
reads its rows and queues messages through `notifications.actions.enqueue`. The outbox sits below every domain, so it
cannot import them; instead each domain registers its router by name in its AppConfig.ready():

    register_router("opinions.event", routing.route_event)

and asks for it by name (`tasks.route_task.enqueue("opinions.event", pk)`). An explicit call, never a signal: the
caller names the router it wants and an unknown name fails loudly.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

Router = Callable[[int], int]  # the primary key of the domain row → how many messages were newly queued

_ROUTERS: dict[str, Router] = {}


def register_router(name: str, router: Router) -> None:
    if _ROUTERS.get(name, router) is not router:
        raise ImproperlyConfigured(f"notification router {name!r} is registered twice")
    _ROUTERS[name] = router


def route(name: str, pk: int) -> int:
    try:
        router = _ROUTERS[name]
    except KeyError:
        raise ImproperlyConfigured(f"no notification router {name!r} (registered: {sorted(_ROUTERS)})") from None
    return router(pk)
