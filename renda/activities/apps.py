from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    label = "activities"

    def ready(self):
        from renda.notifications.registry import register_router

        from .notify import ROUTER, route_activity

        # The outbox below knows no activities: it runs this router by name (renda/activities/notify.py).
        register_router(ROUTER, route_activity)
