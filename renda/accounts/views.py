"""Account pages for system administrators: the accounts holding roles in their regions, and their grants."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.audit.actions import client_ip
from renda.core.paging import paginate, query_without_page

from . import actions
from .access import get_user_for_admin, may_grant, users_for
from .forms import GrantForm, UserCreateForm
from .scope import scope_for


def system_admin_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = scope_for(request.user)
        if not (scope.admin_paths or scope.is_superuser):
            raise Http404("not a system admin")
        return view(request, *args, **kwargs)

    return wrapper


@system_admin_required
def user_list(request):
    users = users_for(request.user).order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(username__icontains=q) | users.filter(display_name__icontains=q)
    page = paginate(request, users.prefetch_related("grants__region", "grants__station", "grants__unit"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q, "query": query_without_page(request)})


@system_admin_required
def user_create(request):
    form = UserCreateForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = actions.create_user(
            request.user,
            username=data["username"],
            display_name=data["display_name"],
            password=data["password"],
            grant=form.grant,
            ip=client_ip(request),
        )
        messages.success(request, _("Account %(name)s created.") % {"name": user.username})
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@system_admin_required
def user_detail(request, pk):
    account = get_user_for_admin(request.user, pk)
    form = GrantForm(request.POST or None, admin=request.user, user=account)
    if request.method == "POST" and form.is_valid():
        actions.add_grant(request.user, form.grant, ip=client_ip(request))
        messages.success(request, _("Role granted."))
        return redirect("accounts:user_detail", pk=account.pk)
    grants = account.grants.select_related("region", "station__region", "unit__region", "deputy__electoral_region")
    rows = [(grant, may_grant(request.user, grant)) for grant in grants]
    return render(
        request,
        "accounts/user_detail.html",
        {"account": account, "rows": rows, "form": form, "is_self": account.pk == request.user.pk},
    )


@require_POST
@system_admin_required
def grant_remove(request, pk, grant_pk):
    account = get_user_for_admin(request.user, pk)
    grant = account.grants.filter(pk=grant_pk).first()
    if grant is None or not may_grant(request.user, grant):
        raise Http404("no such grant")
    actions.remove_grant(request.user, grant, ip=client_ip(request))
    messages.success(request, _("Role removed."))
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
@system_admin_required
def user_set_active(request, pk):
    account = get_user_for_admin(request.user, pk)
    if account.pk == request.user.pk:
        raise Http404("not on oneself")
    active = request.POST.get("active") == "1"
    actions.set_active(request.user, account, active, ip=client_ip(request))
    messages.success(request, _("Account enabled.") if active else _("Account disabled."))
    return redirect("accounts:user_detail", pk=account.pk)
