"""Back-office routes of the roster part; collected into the "receptions" namespace by urls.py."""

from django.urls import path

from . import roster_views as views

urlpatterns = [
    path("roster/", views.roster_list, name="roster_list"),
    path("roster/stations/<int:station_pk>/", views.roster_station, name="roster_station"),
    path("roster/stations/<int:station_pk>/slots/new/", views.roster_slot_create, name="roster_slot_create"),
    path("roster/stations/<int:station_pk>/one-off/", views.roster_one_off_create, name="roster_one_off_create"),
    path("roster/slots/<int:slot_pk>/edit/", views.roster_slot_edit, name="roster_slot_edit"),
    path("roster/slots/<int:slot_pk>/deactivate/", views.roster_slot_deactivate, name="roster_slot_deactivate"),
    path("roster/receptions/<int:reception_pk>/", views.roster_reception, name="roster_reception"),
    path("roster/receptions/<int:reception_pk>/cancel/", views.roster_reception_cancel, name="roster_reception_cancel"),
    path(
        "roster/receptions/<int:reception_pk>/deputies/",
        views.roster_reception_deputies,
        name="roster_reception_deputies",
    ),
]
