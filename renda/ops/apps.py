from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health and readiness for load balancers, Prometheus metrics, request logs, deployment checks.

    A top-layer app (docs/architecture.md, "Layers"): it reads every domain's tables for its gauges and nothing imports
    it; settings name its middleware and log formatter.
    """

    name = "renda.ops"
    label = "ops"

    def ready(self):
        from .metrics import register_collector

        register_collector()
