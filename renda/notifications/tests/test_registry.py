"""The outbox runs a domain's router by name; it knows no domain itself (registry.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from renda.notifications import registry
from renda.notifications.tasks import route_task


def test_opinions_registered_its_router_at_app_ready():
    from renda.opinions.notify import ROUTER
    from renda.opinions.routing import route_event

    assert registry._ROUTERS[ROUTER] is route_event


@pytest.mark.django_db
def test_the_task_runs_the_named_router_and_an_unknown_name_fails_loudly():
    from renda.opinions.notify import ROUTER

    assert route_task.call(ROUTER, 999999) == 0  # no such event: nothing queued
    with pytest.raises(ImproperlyConfigured, match="no notification router 'nobody.event'"):
        registry.route("nobody.event", 1)


def test_a_name_registered_twice_with_another_router_is_refused():
    from renda.opinions.notify import ROUTER

    registry.register_router(ROUTER, registry._ROUTERS[ROUTER])  # the same router again (ready() twice): fine
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register_router(ROUTER, lambda pk: 0)
