"""Public routes: the reception schedule anyone may search (/receptions/)."""

from django.urls import path

from .views import public

app_name = "receptions_public"
urlpatterns = [
    path("", public.schedule, name="schedule"),
]
