from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "renda.opinions"
    label = "opinions"

    def ready(self):
        from renda.notifications.registry import register_router

        from .notify import ROUTER
        from .routing import route_event

        # The outbox below knows no opinions: it runs this router by name (renda/opinions/notify.py).
        register_router(ROUTER, route_event)

        from renda.exports.registry import register_builder

        from .exports import INBOX, build_inbox

        # Long inbox exports run as export jobs (renda/exports): the job runs this builder by name.
        register_builder(INBOX, build_inbox)
