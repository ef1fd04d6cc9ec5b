"""The receptions landing page; each part of the app has its own views module (roster, campaign, onsite, report)."""

from django.shortcuts import render

from renda.accounts.decorators import staff_required
from renda.accounts.scope import scope_for


@staff_required
def home(request):
    scope = scope_for(request.user)
    return render(
        request,
        "receptions/home.html",
        {
            "is_congress_staff": scope.is_congress_staff,
            "is_keeper": bool(scope.station_ids),
            "is_deputy": bool(scope.deputy_ids),
        },
    )
