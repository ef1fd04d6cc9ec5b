"""The back office's own pages: the staff home (counts across domains) and the phone reveal."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.accounts.region_access import regions_for
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip
from renda.core import privacy
from renda.core.htmx import render_page_or_fragment
from renda.opinions.access import get_opinion_for_user
from renda.people.access import deputies_for, get_deputy_for_user, members_for, units_for
from renda.stations.access import stations_for
from renda.workdays.coverage import year_needing_holidays

from .privacy import may_reveal_deputy, may_reveal_opinion


@staff_required
def home(request):
    """The back office's first page: what the user holds, and how much of each thing is in their scope."""
    user = request.user
    context = {
        "grants": user.grants.select_related("region", "station", "unit", "deputy"),
        "counts": {
            "regions": regions_for(user).count(),
            "deputies": deputies_for(user).count(),
            "members": members_for(user).count(),
            "stations": stations_for(user).count(),
            "units": units_for(user).count(),
        },
        # System admins are reminded to enter next year's holidays when nothing knows them (renda/workdays/coverage.py).
        "holiday_year": year_needing_holidays(timezone.localdate()) if scope_for(user).admin_paths else None,
    }
    return render(request, "backoffice/home.html", context)


@require_POST
@staff_required
def reveal_opinion_phone(request, pk):
    """POST only, never cached: the submitter's phone in full, audited as pii.reveal (docs/security.md)."""
    opinion = get_opinion_for_user(request.user, pk)
    if not may_reveal_opinion(request.user, opinion):
        raise Http404("nothing to reveal")
    phone = privacy.reveal(request.user, opinion, "submitter_phone", ip=client_ip(request))
    return _revealed(request, phone)


@require_POST
@staff_required
def reveal_deputy_phone(request, pk):
    deputy = get_deputy_for_user(request.user, pk)
    if not may_reveal_deputy(request.user, deputy):
        raise Http404("nothing to reveal")
    phone = privacy.reveal(request.user, deputy, "phone", ip=client_ip(request))
    return _revealed(request, phone)


def _revealed(request, phone):
    response = render_page_or_fragment(
        request, "backoffice/revealed_phone.html", {"phone": phone}, "backoffice/_revealed_phone.html"
    )
    add_never_cache_headers(response)  # shown once: not kept by the browser or a proxy
    return response
