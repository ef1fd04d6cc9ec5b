"""Whether a region's congress (or CPPCC committee) is in session on a day: the one home of that rule.

A session is recorded by the region's office (models.Session, actions/sessions.py). The days in the settings
(SUGGESTION_SESSIONS / PROPOSAL_SESSIONS) hold for every region of the deployment, as before there were records.
"""

import datetime

from django.conf import settings

from .models import Session


def in_session(kind: str, region, day: datetime.date) -> bool:
    if any(first <= day <= last for first, last in settings.SUGGESTION_PERIODS[kind].get("sessions", ())):
        return True
    return Session.objects.filter(kind=kind, region=region, first_day__lte=day, last_day__gte=day).exists()
