"""Who an invitation "by level, delegation, station, region or name" means. Resolving reads only; the invite action
then refuses anyone outside the organiser's region, so naming an outsider is an error, not a silent skip."""

import re

from django.db.models import Q

from renda.people.models import Deputy, Member
from renda.regions.models import Region
from renda.stations.models import Station

from .access import eligible_deputies, eligible_members
from .models import Body

LIMIT = 2000  # one invitation list at most; a whole city's deputies is a campaign of many activities


def _names(value):
    return [part for part in re.split(r"[\s,，、;；]+", value or "") if part]


def resolve(activity, by: str, value: str) -> tuple[list[int], list[int]]:
    """(deputy pks, member pks) named by the criterion, for the activity's body."""
    value = (value or "").strip()
    congress = activity.body == Body.CONGRESS
    people = Deputy.objects.filter(is_active=True) if congress else Member.objects.filter(is_active=True)
    within = eligible_deputies(activity.region) if congress else eligible_members(activity.region)
    region_field = "electoral_region__path" if congress else "region__path"
    if by == "name":
        names = _names(value)
        queryset = people.filter(Q(name__in=names) | Q(public_code__in=[n.upper() for n in names]))
    elif by == "level":
        queryset = within.filter(level=value)
    elif by == "delegation":
        queryset = within.filter(delegation=value) if congress else within.filter(sector=value)
    elif by == "station":
        station = Station.objects.filter(Q(public_code=value.upper()) | Q(name=value)).first()
        if station is None or not congress:
            return [], []
        queryset = people.filter(assignments__station=station)
    elif by == "region":
        region = Region.objects.filter(Q(code=value) | Q(name=value)).first()
        if region is None:
            return [], []
        queryset = people.filter(region.subtree_q(region_field))
    else:
        return [], []
    ids = list(queryset.order_by("pk").values_list("pk", flat=True).distinct()[:LIMIT])
    return (ids, []) if congress else ([], ids)
