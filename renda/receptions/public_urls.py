"""Public routes: the reception schedule anyone may search (/receptions/)."""

from django.urls import path

from . import public_views

app_name = "receptions_public"
urlpatterns = [
    path("", public_views.schedule, name="schedule"),
]
