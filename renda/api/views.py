"""/staff/tokens/: a user's own API tokens: create one (the secret is shown once), revoke one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.audit.actions import client_ip

from . import actions
from .forms import TokenForm
from .models import ApiToken


def _page(request, form, *, secret=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created", "-id")
    context = {"tokens": tokens, "form": form, "secret": secret}
    return render(request, "api/tokens.html", context, status=status)


@never_cache
@staff_required
def token_list(request):
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    _token, secret = actions.create_token(request.user, form.cleaned_data["name"], ip=client_ip(request))
    # Rendered, not redirected: the secret exists only in this response and is never stored.
    return _page(request, TokenForm(), secret=secret, status=201)


@require_POST
@staff_required
def token_revoke(request, pk):
    if actions.revoke_token(request.user, pk, ip=client_ip(request)) is None:
        raise Http404("no such token")
    messages.success(request, _("The token was revoked; requests using it are now refused."))
    return redirect("api_tokens:list")
