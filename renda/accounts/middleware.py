"""Session rules for signed-in users: idle and absolute timeouts, "log out everywhere", forced password change."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .passwords import must_change

STARTED, SEEN, EPOCH = "_renda_started", "_renda_seen", "_renda_epoch"
# Write "last seen" at most this often: a session save on every request would cost a query each time.
SEEN_RESOLUTION = 60


def stamp_session(sender, request, user, **kwargs):
    """user_logged_in receiver: the session remembers when it began and which epoch it belongs to."""
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    request.session[EPOCH] = user.session_epoch


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            now = int(time.time())
            idle = getattr(settings, "SESSION_IDLE_SECONDS", 30 * 60)
            absolute = getattr(settings, "SESSION_ABSOLUTE_SECONDS", 12 * 3600)
            started, seen = session.get(STARTED), session.get(SEEN)
            if started is None or seen is None:
                session[STARTED] = session[SEEN] = now
                session[EPOCH] = user.session_epoch
            elif (
                now - seen > idle
                or now - started > absolute
                or session.get(EPOCH, user.session_epoch) != user.session_epoch
            ):
                logout(request)
                return redirect_to_login(request.get_full_path())
            elif now - seen >= SEEN_RESOLUTION:
                session[SEEN] = now
        return self.get_response(request)


# Pages a user who must change their password may still open.
EXEMPT_URL_NAMES = ("accounts:password_change", "accounts:logout", "accounts:login")


class PasswordChangeRequiredMiddleware:
    """Sends first-login and expired-password users to the change page before any staff page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and must_change(user):
            exempt = {reverse(name) for name in EXEMPT_URL_NAMES}
            prefixes = getattr(settings, "PASSWORD_CHANGE_GUARDED_PREFIXES", ("/staff/", "/accounts/", "/admin/"))
            if request.path not in exempt and request.path.startswith(tuple(prefixes)):
                return redirect("accounts:password_change")
        return self.get_response(request)


OTP_EXEMPT_URL_NAMES = ("accounts:otp", "accounts:logout", "accounts:login", "accounts:password_change")


class OTPRequiredMiddleware:
    """Administrators (and, if OTP_REQUIRED_FOR_STAFF, all staff) verify a TOTP code before any staff page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .otp import is_verified, requires_otp

        user = request.user
        prefixes = getattr(settings, "OTP_GUARDED_PREFIXES", ("/staff/", "/accounts/", "/admin/"))
        if (
            user.is_authenticated
            and request.path.startswith(tuple(prefixes))
            and request.path not in {reverse(name) for name in OTP_EXEMPT_URL_NAMES}
            and not is_verified(request)
            and requires_otp(user)
        ):
            return redirect_to_login(request.get_full_path(), login_url=reverse("accounts:otp"))
        return self.get_response(request)
