"""Sign-in, password change, own-session security, and the locks page for security administrators."""

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.audit.actions import client_ip, record

from . import actions, lockout
from .access import get_user_for_security, users_for_security
from .decorators import security_admin_required, staff_required
from .forms import LockingAuthenticationForm
from .passwords import password_expired


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LockingAuthenticationForm


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            record(request.user, "logout", request.user, ip=client_ip(request))
        return super().post(request, *args, **kwargs)


# Own-account pages are staff pages like the others: an account without any role finds nothing here (404).
@method_decorator(staff_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = self.request.user.must_change_password
        context["expired"] = password_expired(self.request.user)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.password_changed(self.request.user, ip=client_ip(self.request))
        messages.success(self.request, _("Your password has been changed."))
        return response


@staff_required
def security(request):
    """The user's own security page: password, and ending all their sessions."""
    if request.method == "POST":
        actions.logout_everywhere(request.user, ip=client_ip(request))
        messages.success(request, _("All your sessions have been ended. Please sign in again."))
        return redirect("accounts:login")
    return render(request, "accounts/security.html", {"account": request.user})


@security_admin_required
def lock_list(request):
    usernames = dict(users_for_security(request.user).values_list("username", "pk"))
    locks = lockout.locked_usernames(usernames)
    rows = sorted((name, usernames[name], lock) for name, lock in locks.items())
    return render(request, "accounts/lock_list.html", {"rows": rows})


@require_POST
@security_admin_required
def unlock(request, pk):
    account = get_user_for_security(request.user, pk)
    actions.unlock(request.user, account, ip=client_ip(request))
    messages.success(request, _("Account %(name)s unlocked.") % {"name": account.username})
    return redirect("accounts:locks")


@staff_required
def otp(request):
    """Enrol a TOTP device (QR code of its otpauth:// URI, drawn locally with segno) or verify a code from it."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    error = ""
    if request.method == "POST":
        token = (request.POST.get("token") or "").strip()
        if token.isdigit() and device.verify_token(token):
            actions.otp_verified(request.user, device, enrolled=not device.confirmed, ip=client_ip(request))
            otp_login(request, device)
            target = request.GET.get("next", "")
            allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
            return redirect(target if allowed else "/staff/")
        record(request.user, "otp.failed", request.user, ip=client_ip(request), result="failed")
        error = _("That code is not valid. Check the time on your phone and try again.")
    qr = "" if device.confirmed else segno.make(device.config_url).svg_inline(scale=4)
    return render(request, "accounts/otp.html", {"device": device, "qr": qr, "error": error})
