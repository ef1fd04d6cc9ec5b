"""A region's batch of station posters as a background export (renda/exports): the builder re-reads the stations
through the job owner's scope, so a job never prints a station its owner could not see."""

from renda.accounts.region_access import get_region_for_user
from renda.exports.registry import Built
from renda.stations.access import stations_for

from . import posters

POSTERS = "qrcodes.posters"


def region_stations(stations):
    return posters.with_serving(stations.order_by("region__path", "name", "id"))


def build_posters(job, progress) -> Built:
    user = job.created_by
    region = get_region_for_user(user, job.params["region"])
    stations = stations_for(user).filter(region.subtree_q("region__path"), is_active=True)
    data = posters.poster_pdf(region_stations(stations), progress)
    return Built(data, job.download_name or f"{region.name}.pdf", "application/pdf")
