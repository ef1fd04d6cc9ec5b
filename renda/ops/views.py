"""Health, readiness and metrics for load balancers and Prometheus; only from OPS_ALLOWED_NETWORKS (else 404)."""

import os

import prometheus_client
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from prometheus_client import multiprocess

from .health import readiness
from .metrics import RendaCollector
from .network import require_allowed


def _json(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response


@require_safe
def healthz(request):
    """Liveness: the process answers. No database, so a database outage does not restart every node."""
    require_allowed(request)
    return _json({"status": "ok"}, 200)


@require_safe
def readyz(request):
    """Readiness: 200 when this node can serve, 503 (with each check's answer) when a load balancer should skip it."""
    require_allowed(request)
    ready, body = readiness()
    return _json(body, 200 if ready else 503)


@require_safe
def metrics(request):
    """Prometheus text format: django-prometheus's metrics and the platform's gauges (renda/ops/metrics.py)."""
    require_allowed(request)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: their request metrics are summed from the shared directory; the platform's gauges
        # are read once, here (django-prometheus's own view would leave them out).
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(RendaCollector())
    else:
        registry = prometheus_client.REGISTRY
    return HttpResponse(prometheus_client.generate_latest(registry), content_type=prometheus_client.CONTENT_TYPE_LATEST)
