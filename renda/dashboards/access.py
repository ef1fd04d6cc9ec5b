"""Every scoped read of the dashboards: through the apps' own access functions, 404 outside the user's regions."""

from django.http import Http404

from renda.accounts.region_access import get_region_for_user, regions_for
from renda.projects.access import get_round_for_user, rounds_for
from renda.receptions.access import campaigns_for, get_campaign_for_user
from renda.regions.models import Region

__all__ = ["get_region_for_user", "get_campaign_for_user", "get_round_for_user", "home_region", "links_for"]


def home_region(user) -> Region:
    """The highest region the user is congress staff of (their dashboard's first page)."""
    region = regions_for(user).order_by("depth", "path").first()
    if region is None:
        raise Http404("no region")
    return region


def links_for(user, region: Region) -> dict:
    """The reception days and livelihood rounds of the region the user may open, latest first."""
    campaigns = campaigns_for(user).filter(region=region).order_by("-date", "-id")[:5]
    rounds = rounds_for(user).filter(region=region).order_by("-id")[:5]
    return {"campaigns": list(campaigns), "rounds": list(rounds)}
