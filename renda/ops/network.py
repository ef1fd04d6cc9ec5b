"""Who may see health, readiness and metrics: clients inside OPS_ALLOWED_NETWORKS (default: this host only)."""

import ipaddress

from django.conf import settings
from django.http import Http404


def is_allowed(request) -> bool:
    """REMOTE_ADDR inside one of the networks. Behind a proxy, the proxy must set REMOTE_ADDR (README, "Monitoring")."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in settings.OPS_ALLOWED_NETWORKS)


def require_allowed(request) -> None:
    """404 for everyone else: the endpoints' existence is not advertised."""
    if not is_allowed(request):
        raise Http404("not found")
