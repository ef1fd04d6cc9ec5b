"""Back-office routes of the reception-day part (统一接待日); collected into the "receptions" namespace by urls.py."""

from django.urls import path

from . import campaign_views as views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_pk>/plan/", views.campaign_plan, name="campaign_plan"),
    path("campaigns/<int:campaign_pk>/publish/", views.campaign_publish, name="campaign_publish"),
    path("campaigns/<int:campaign_pk>/finish/", views.campaign_finish, name="campaign_finish"),
    path("campaigns/<int:campaign_pk>/conflicts/", views.campaign_conflicts, name="campaign_conflicts"),
    path("campaigns/<int:campaign_pk>/stations/<int:station_pk>/", views.campaign_station, name="campaign_station"),
    path(
        "campaigns/<int:campaign_pk>/stations/<int:station_pk>/add/",
        views.campaign_add_duty,
        name="campaign_add_duty",
    ),
    path(
        "campaigns/<int:campaign_pk>/duties/<int:duty_pk>/remove/",
        views.campaign_remove_duty,
        name="campaign_remove_duty",
    ),
    path("campaigns/<int:campaign_pk>/duties/<int:duty_pk>/move/", views.campaign_move_duty, name="campaign_move_duty"),
    path("campaigns/<int:campaign_pk>/deputies/", views.campaign_deputies, name="campaign_deputies"),
    path("campaigns/<int:campaign_pk>/deputies/<int:deputy_pk>/", views.campaign_deputy, name="campaign_deputy"),
    path(
        "campaigns/<int:campaign_pk>/deputies/<int:deputy_pk>/unavailable/",
        views.campaign_unavailable,
        name="campaign_unavailable",
    ),
    path(
        "campaigns/<int:campaign_pk>/deputies/<int:deputy_pk>/available/",
        views.campaign_available,
        name="campaign_available",
    ),
]
