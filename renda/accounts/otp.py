"""Second factor (TOTP, django-otp) for the three administrator roles and superusers; optionally all staff.

A verified session carries django-otp's device key (set by django_otp.login). The gate checks only that key, so it
costs no query per request; enrolment and verification load the device.
"""

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY

from .scope import scope_for


def requires_otp(user) -> bool:
    scope = scope_for(user)
    if scope.is_privileged:
        return True
    return bool(getattr(settings, "OTP_REQUIRED_FOR_STAFF", False)) and scope.is_staff_anywhere


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))
