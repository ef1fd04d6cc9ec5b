from django.shortcuts import render

from renda.accounts.decorators import staff_required
from renda.people.access import deputies_for, members_for, units_for
from renda.regions.access import regions_for
from renda.stations.access import stations_for


@staff_required
def home(request):
    """The back office's first page: what the user holds, and how much of each thing is in their scope."""
    user = request.user
    context = {
        "grants": user.grants.select_related("region", "station", "unit", "deputy"),
        "counts": {
            "regions": regions_for(user).count(),
            "deputies": deputies_for(user).count(),
            "members": members_for(user).count(),
            "stations": stations_for(user).count(),
            "units": units_for(user).count(),
        },
    }
    return render(request, "core/home.html", context)
