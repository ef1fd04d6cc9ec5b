"""Back office: congress staff issue and revoke the API keys third-party Open311 clients submit with."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from renda.accounts.decorators import congress_staff_required
from renda.audit.actions import client_ip

from . import actions
from .access import get_key_for_user, keys_for
from .forms import KeyForm


def _render(request, form, *, issued=None, raw=None, status=200):
    keys = keys_for(request.user).select_related("created_by").order_by("-created", "-id")
    context = {"keys": keys, "form": form, "issued": issued, "raw_key": raw}
    return render(request, "open311/keys.html", context, status=status)


@congress_staff_required
@require_http_methods(["GET", "POST"])
def keys(request):
    if request.method != "POST":
        return _render(request, KeyForm())
    form = KeyForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    key, raw = actions.issue_key(request.user, form.cleaned_data["name"], ip=client_ip(request))
    # Shown once, on this response only: it is stored hashed and cannot be shown again.
    response = _render(request, KeyForm(), issued=key, raw=raw)
    response["Cache-Control"] = "no-store"
    return response


@congress_staff_required
@require_POST
def revoke(request, pk):
    key = get_key_for_user(request.user, pk)
    actions.revoke_key(request.user, key.pk, ip=client_ip(request))
    return redirect("open311_staff:keys")
