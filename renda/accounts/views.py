"""Account pages (三员): system admins create, disable and reset accounts; security admins grant roles; the superuser
only sets up the three administrators. Each sees the accounts holding a role in their regions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.audit.actions import client_ip
from renda.core.paging import paginate, query_without_page

from . import actions
from .access import get_user_for_admin, grantable_roles, may_grant, may_manage, users_for
from .decorators import account_admin_required, system_admin_required
from .forms import GrantForm, InitialPasswordForm, UserCreateForm
from .scope import scope_for


@account_admin_required
def user_list(request):
    users = users_for(request.user).order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(username__icontains=q) | users.filter(display_name__icontains=q)
    page = paginate(request, users.prefetch_related("grants__region", "grants__station", "grants__unit"))
    scope = scope_for(request.user)
    context = {
        "page": page,
        "q": q,
        "query": query_without_page(request),
        "may_create": bool(scope.admin_paths or scope.sets_up_admins),
    }
    return render(request, "accounts/user_list.html", context)


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


@account_admin_required
def user_detail(request, pk):
    account = get_user_for_admin(request.user, pk)
    is_self = account.pk == request.user.pk
    may_add = not is_self and bool(grantable_roles(request.user))
    form = GrantForm(request.POST or None, admin=request.user, user=account)
    if request.method == "POST":
        if not may_add:
            raise Http404("may not grant here")
        if not form.is_valid():
            return _detail(request, account, form)
        actions.add_grant(request.user, form.grant, ip=client_ip(request))
        messages.success(request, _("Role granted."))
        return redirect("accounts:user_detail", pk=account.pk)
    return _detail(request, account, form)


def _detail(request, account, form, password_form=None):
    grants = account.grants.select_related("region", "station__region", "unit__region", "deputy__electoral_region")
    rows = [(grant, may_grant(request.user, grant)) for grant in grants]
    is_self = account.pk == request.user.pk
    manage = may_manage(request.user, account)
    context = {
        "account": account,
        "rows": rows,
        "form": form if not is_self and grantable_roles(request.user) else None,
        "is_self": is_self,
        "may_manage": manage,
        "password_form": (password_form or InitialPasswordForm(account=account)) if manage else None,
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
@system_admin_required
def user_reset_password(request, pk):
    account = get_user_for_admin(request.user, pk)
    if not may_manage(request.user, account):
        raise Http404("not this account")
    form = InitialPasswordForm(request.POST, account=account)
    if not form.is_valid():
        grant_form = GrantForm(admin=request.user, user=account)
        return _detail(request, account, grant_form, password_form=form)
    actions.reset_password(request.user, account, form.cleaned_data["password"], ip=client_ip(request))
    messages.success(
        request, _("New initial password set; %(name)s must change it at next login.") % {"name": account.username}
    )
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
@account_admin_required
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
    if not may_manage(request.user, account):
        raise Http404("not this account")
    active = request.POST.get("active") == "1"
    actions.set_active(request.user, account, active, ip=client_ip(request))
    messages.success(request, _("Account enabled.") if active else _("Account disabled."))
    return redirect("accounts:user_detail", pk=account.pk)
