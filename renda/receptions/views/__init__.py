"""Back-office views of receptions, one module per part: campaign.py (reception days), roster.py (duty rosters),
onsite.py (the deputy on the day, live boards), reports.py (attendance, reports, records), public.py (the public
schedule). The landing page is here."""

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
