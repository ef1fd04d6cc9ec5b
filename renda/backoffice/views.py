"""The back office's own pages: the staff home (what waits for the user, per role) and the phone reveal."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.audit.actions import client_ip
from renda.core import privacy
from renda.core.htmx import render_page_or_fragment
from renda.opinions.access import get_opinion_for_user
from renda.people.access import get_deputy_for_user

from .home import sections_for
from .privacy import may_reveal_deputy, may_reveal_opinion


@staff_required
def home(request):
    """The back office's first page: what waits for the user, one section per role they hold (home.py)."""
    user = request.user
    context = {
        "grants": user.grants.select_related("region", "station", "unit", "deputy"),
        "sections": sections_for(user),
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
