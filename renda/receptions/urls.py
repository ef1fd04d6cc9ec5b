"""Back-office routes at /staff/receptions/: one list per part of the app, one namespace.

URL parameters are named after the object they carry (campaign_pk, reception_pk, duty_pk, slot_pk, station_pk,
deputy_pk) so that tests/test_region_isolation.py can fill them with another region's objects.
"""

from django.urls import path

from . import campaign_urls, onsite_urls, report_urls, roster_urls, views

app_name = "receptions"
urlpatterns = [
    path("", views.home, name="home"),
    *roster_urls.urlpatterns,
    *campaign_urls.urlpatterns,
    *onsite_urls.urlpatterns,
    *report_urls.urlpatterns,
]
